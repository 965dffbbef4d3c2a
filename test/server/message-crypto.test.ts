import assert from 'node:assert/strict';
import {createDecipheriv, randomBytes} from 'node:crypto';
import {describe, it} from 'node:test';
import {readXmlFields} from '../../server/wecom/callback-xml.ts';
import {
  assertSignature,
  decodeEncodingAesKey,
  decryptMessage,
  encryptMessage,
  MessageCryptoError,
  messageSignature,
} from '../../server/wecom/message-crypto.ts';

// WeCom's official sample (doc 91144 and every SDK's tests).
const TOKEN = 'QDG6eK';
const AES_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const RECEIVE_ID = 'wx5823bf96d3bd56c7';
const ECHOSTR = 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==';
const MESSAGE =
  'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==';

const refusal = (reason: MessageCryptoError['reason']) => (error: unknown) =>
  error instanceof MessageCryptoError && error.reason === reason;

describe('WeCom message crypto', () => {
  const key = decodeEncodingAesKey(AES_KEY)!;

  it("accepts WeCom's sample EncodingAESKey (its last character has non-zero trailing bits) and refuses others", () => {
    assert.equal(key.length, 32);
    assert.notEqual(
      Buffer.from(`${AES_KEY}=`, 'base64').toString('base64'),
      `${AES_KEY}=`,
      'a strict round trip would refuse it',
    );
    for (const bad of ['', AES_KEY.slice(1), `${AES_KEY}A`, `${AES_KEY.slice(0, 42)}-`, `${AES_KEY.slice(0, 42)} `])
      assert.equal(decodeEncodingAesKey(bad), null, bad);
  });

  it('reproduces the official URL-verification vector', () => {
    assert.equal(
      messageSignature(TOKEN, '1409659589', '263014780', ECHOSTR),
      '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
    );
    assertSignature('5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3', TOKEN, '1409659589', '263014780', ECHOSTR);
    assert.deepEqual(decryptMessage(key, ECHOSTR, [RECEIVE_ID]), {
      message: '1616140317555161061',
      receiveId: RECEIVE_ID,
    });
  });

  it('reproduces the official message vector', () => {
    assert.equal(
      messageSignature(TOKEN, '1409659813', '1372623149', MESSAGE),
      '477715d11cdb4164915debcba66cb864d751f3e6',
    );
    const {message} = decryptMessage(key, MESSAGE, [RECEIVE_ID]);
    assert.match(message, /<Content><!\[CDATA\[hello\]\]><\/Content>/);
  });

  it('round-trips every pad length from 1 to 32, where OpenSSL padding would refuse half', () => {
    const pads = new Set<number>();
    let refusedByOpenSsl = 0;
    for (let length = 0; length < 64; length++) {
      const message = '票'.repeat(length % 3) + 'x'.repeat(length);
      const encrypted = encryptMessage(key, message, 'wwsuite0001');
      pads.add(32 - ((20 + Buffer.byteLength(message) + 'wwsuite0001'.length) % 32));
      assert.deepEqual(decryptMessage(key, encrypted, ['wwsuite0001']), {message, receiveId: 'wwsuite0001'});
      try {
        const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
        decipher.update(Buffer.from(encrypted, 'base64'));
        decipher.final();
      } catch {
        refusedByOpenSsl++;
      }
    }
    assert.equal(pads.size, 32);
    assert.ok(refusedByOpenSsl >= 20, `OpenSSL's own unpadding refused ${refusedByOpenSsl} of 64`);
  });

  it('refuses a wrong key, another receiveid, truncation, tampering and a bad signature', () => {
    const encrypted = encryptMessage(key, '<xml><SuiteTicket><![CDATA[t]]></SuiteTicket></xml>', 'wwsuite0001');
    for (let i = 0; i < 20; i++)
      assert.throws(() => decryptMessage(randomBytes(32), encrypted, ['wwsuite0001']), MessageCryptoError);
    assert.throws(() => decryptMessage(key, encrypted, ['wwprovider0001']), refusal('receiveid'));
    const bytes = Buffer.from(encrypted, 'base64');
    assert.throws(
      () => decryptMessage(key, bytes.subarray(0, bytes.length - 16).toString('base64'), ['wwsuite0001']),
      MessageCryptoError,
    );
    assert.throws(
      () => decryptMessage(key, bytes.subarray(0, bytes.length - 3).toString('base64'), ['wwsuite0001']),
      refusal('decrypt'),
    );
    const tampered = Buffer.from(bytes);
    tampered[tampered.length - 20]! ^= 1;
    assert.throws(() => decryptMessage(key, tampered.toString('base64'), ['wwsuite0001']), MessageCryptoError);
    assert.throws(() => decryptMessage(key, 'not base64!', ['wwsuite0001']), refusal('decrypt'));
    assert.throws(
      () => assertSignature('477715d11cdb4164915debcba66cb864d751f3e7', TOKEN, '1409659813', '1372623149', MESSAGE),
      refusal('signature'),
    );
    assert.throws(() => assertSignature('short', TOKEN, '1409659813', '1372623149', MESSAGE), refusal('signature'));
  });
});

describe('callback XML', () => {
  it("reads elements with CDATA or text, trimming WeCom's whitespace inside and around CDATA", () => {
    const xml =
      '<xml>\n<SuiteId><![CDATA[ww4asffe99e54c0fxxxx]]></SuiteId>\n<InfoType> ' +
      '<![CDATA[suite_ticket]]></InfoType>\n<TimeStamp>1403610513</TimeStamp>\n<SuiteTicket><![CDATA[ ' +
      'asdf&lt; ]]></SuiteTicket>\n</xml>';
    assert.deepEqual(readXmlFields(xml, ['SuiteId', 'InfoType', 'TimeStamp', 'SuiteTicket', 'Missing']), {
      SuiteId: 'ww4asffe99e54c0fxxxx',
      InfoType: 'suite_ticket',
      TimeStamp: '1403610513',
      SuiteTicket: 'asdf&lt;',
    });
    assert.deepEqual(readXmlFields('<xml><A>a &amp; b</A></xml>', ['A']), {A: 'a & b'});
  });

  it('refuses DTDs, entities, processing instructions and duplicate elements', () => {
    for (const xml of [
      '<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><Encrypt>&x;</Encrypt></xml>',
      '<xml><Encrypt>&x;</Encrypt></xml>',
      '<xml><Encrypt>&#65;</Encrypt></xml>',
      '<?xml-stylesheet href="x"?><xml><Encrypt>a</Encrypt></xml>',
      '<xml><Encrypt>a</Encrypt><Encrypt>b</Encrypt></xml>',
      `<xml><Encrypt>${'a'.repeat(17_000)}</Encrypt></xml>`,
      '<xml><Encrypt><![CDATA[abc</Encrypt></xml>',
      '<xml><Encrypt><![CDATA[abc]]> x </Encrypt></xml>',
      '<xml><Encrypt>a<b/></Encrypt></xml>',
      '<xml><Encrypt>a & b</Encrypt></xml>',
      '<xml><Encrypt>a &ampx; b</Encrypt></xml>',
      '<xml><Encrypt>abc',
    ])
      assert.equal(readXmlFields(xml, ['Encrypt']), null, xml.slice(0, 60));
    assert.deepEqual(readXmlFields('<?xml version="1.0"?><xml><Encrypt>a</Encrypt></xml>', ['Encrypt']), {
      Encrypt: 'a',
    });
  });
});
