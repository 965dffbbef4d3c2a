import assert from 'node:assert/strict';
import {createHmac} from 'node:crypto';
import {describe, it} from 'node:test';
import {createCookieKeys} from '../../server/cookie-keys.ts';

describe('cookie signing keys', () => {
  const data = 'wecom_sp_login=eyJiaW5kaW5nIjoiYWJjIn0=';

  it('signs with HMAC-SHA256 of the first key and verifies its own signatures', () => {
    const keys = createCookieKeys(['new-key', 'old-key']);
    const digest = keys.sign(data);
    assert.equal(digest, createHmac('sha256', 'new-key').update(data).digest('base64url'));
    assert.equal(keys.verify(data, digest), true);
    assert.equal(keys.index(data, digest), 0);
  });

  it('still accepts a cookie signed with a rotated-out key, and says which', () => {
    const oldDigest = createCookieKeys(['old-key']).sign(data);
    assert.equal(createCookieKeys(['new-key', 'old-key']).index(data, oldDigest), 1);
  });

  it('refuses altered data, altered or truncated digests, other keys and the old SHA-1 form', () => {
    const keys = createCookieKeys(['new-key']);
    const digest = keys.sign(data);
    assert.equal(keys.verify(`${data}x`, digest), false);
    assert.equal(keys.verify(data, `${digest.slice(0, -1)}${digest.endsWith('A') ? 'B' : 'A'}`), false);
    assert.equal(keys.verify(data, digest.slice(0, 20)), false);
    assert.equal(keys.verify(data, ''), false);
    assert.equal(keys.verify(data, createCookieKeys(['other-key']).sign(data)), false);
    assert.equal(keys.verify(data, createHmac('sha1', 'new-key').update(data).digest('base64url')), false);
  });

  it('needs a key', () => {
    assert.throws(() => createCookieKeys([]), /at least one key/);
  });
});
