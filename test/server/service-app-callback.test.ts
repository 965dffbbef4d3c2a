import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {decodeEncodingAesKey, encryptMessage} from '../../server/wecom/message-crypto.ts';
import {adminRequest, PROVIDER_CORP_ID, refusalCounts, setup, SUITE_ID} from '../helpers/login-harness.ts';
import {assertNoneIn} from '../helpers/absence.ts';
import {AES_KEY, callbackUrl, postToCallback, signed, ticketMessage} from '../helpers/suite-callback-requests.ts';

describe('the 登录授权 callback (GET: URL check)', () => {
  it('answers exactly the decrypted echostr, as text/plain, for receiveid CorpID or SuiteID', async () => {
    const h = await setup({serviceApp: {}});
    for (const receiveId of ['corp', 'suite'] as const) {
      const delivery = await h.simulator.ticketPusher.verifyCallback(SUITE_ID, {receiveId});
      assert.equal(delivery.accepted, true, JSON.stringify(delivery));
      assert.match(delivery.body, /^\d{18,19}$/);
    }
    const echostr = encryptMessage(AES_KEY, '1616140317555161061', PROVIDER_CORP_ID);
    const response = await fetch(`${signed(callbackUrl(h), echostr)}&echostr=${encodeURIComponent(echostr)}`);
    assert.deepEqual(
      [response.status, response.headers.get('content-type'), await response.text()],
      [200, 'text/plain; charset=utf-8', '1616140317555161061'],
    );
  });

  it('refuses every bad URL check alike, revealing nothing', async () => {
    const h = await setup({serviceApp: {}});
    const echostr = encryptMessage(AES_KEY, '1616140317555161061', PROVIDER_CORP_ID);
    const foreign = encryptMessage(AES_KEY, '1616140317555161061', 'wwsomeoneelse0001');
    const answers = await Promise.all(
      [
        fetch(`${signed(callbackUrl(h), echostr, {token: 'WrongToken'})}&echostr=${encodeURIComponent(echostr)}`),
        fetch(`${signed(callbackUrl(h), foreign)}&echostr=${encodeURIComponent(foreign)}`),
        fetch(`${signed(callbackUrl(h, 'acme'), echostr)}&echostr=${encodeURIComponent(echostr)}`),
        fetch(callbackUrl(h)),
      ].map(async (request) => {
        const response = await request;
        return [response.status, await response.text()];
      }),
    );
    for (const answer of answers)
      assert.deepEqual(answer, [
        400,
        '{"error":{"code":"invalid_callback","message":"This message was not accepted."}}',
      ]);
    assertNoneIn(h.logs.join('\n'), 'wecom-callback', ['1616140317555161061'], 'the log');
  });
});

describe('the 登录授权 callback (POST: suite_ticket)', () => {
  it('stores a pushed ticket and answers exactly success, whatever the Content-Type', async () => {
    const h = await setup({serviceApp: {}});
    for (const [i, contentType] of ['text/xml', 'application/x-www-form-urlencoded', 'application/json'].entries()) {
      const answer = await postToCallback(h, {
        message: ticketMessage({ticket: `pushed-ticket-${i}`, timestamp: 1796000000 + i * 600}),
        contentType,
      });
      assert.deepEqual(
        [answer.status, answer.type, answer.text],
        [200, 'text/plain; charset=utf-8', 'success'],
        contentType,
      );
    }
    const tickets = await h.store.suiteTickets.read(SUITE_ID);
    assert.equal(tickets!.newest.ticket, 'pushed-ticket-2');
    assert.equal(tickets!.previous!.ticket, 'pushed-ticket-1');
    assertNoneIn(h.logs.join('\n'), 'wecom-callback', ['pushed-ticket-'], 'the log');
  });

  it('keeps the newest: an older or repeated push changes nothing, and the one before stays as previous', async () => {
    const h = await setup({serviceApp: {}});
    await postToCallback(h, {message: ticketMessage({ticket: 'first', timestamp: 1796000000})});
    await postToCallback(h, {message: ticketMessage({ticket: 'second', timestamp: 1796000600})});
    assert.equal(
      (await postToCallback(h, {message: ticketMessage({ticket: 'late', timestamp: 1796000300})})).text,
      'success',
    );
    assert.equal(
      (await postToCallback(h, {message: ticketMessage({ticket: 'again', timestamp: 1796000600})})).text,
      'success',
    );
    const tickets = await h.store.suiteTickets.read(SUITE_ID);
    assert.deepEqual(
      [tickets!.newest.ticket, tickets!.previous!.ticket, tickets!.newest.pushedAt],
      ['second', 'first', 1796000600_000],
    );
  });

  it('refuses a push not meant for this suite or not well formed, storing nothing', async () => {
    const h = await setup({serviceApp: {}});
    const refusals = [
      await postToCallback(h, {receiveId: PROVIDER_CORP_ID}),
      await postToCallback(h, {message: ticketMessage({suiteId: 'wwothersuite00001'})}),
      await postToCallback(h, {toUserName: 'wwothersuite00001'}),
      await postToCallback(h, {token: 'WrongToken'}),
      await postToCallback(h, {
        body: '<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><Encrypt>&x;</Encrypt></xml>',
      }),
      await postToCallback(h, {message: ticketMessage({ticket: 'has space'})}),
      await postToCallback(h, {message: ticketMessage({timestamp: -5})}),
    ];
    for (const answer of refusals)
      assert.deepEqual([answer.status, answer.text.includes('invalid_callback')], [400, true]);
    assert.equal(await h.store.suiteTickets.read(SUITE_ID), null);
    // Any other well-signed event of the suite is acknowledged and ignored.
    assert.equal(
      (await postToCallback(h, {message: ticketMessage({infoType: '<![CDATA[change_auth]]>'})})).text,
      'success',
    );
    assert.equal(await h.store.suiteTickets.read(SUITE_ID), null);
  });

  const inSeconds = (seconds: number) => Math.floor(Date.now() / 1000) + seconds;

  // Stored, such a push would pin its ticket until the clock caught up: every genuine push would look older.
  it('refuses a push dated more than 5 minutes ahead, storing nothing', async () => {
    const h = await setup({serviceApp: {}});

    const farAhead = await postToCallback(h, {
      message: ticketMessage({ticket: 'far-future', timestamp: inSeconds(6 * 60)}),
    });

    assert.deepEqual([farAhead.status, farAhead.text.includes('invalid_callback')], [400, true]);
    assert.equal(await h.store.suiteTickets.read(SUITE_ID), null);
  });

  it("stores a push dated 4 minutes ahead, within the clocks' allowance", async () => {
    const h = await setup({serviceApp: {}});

    const slightlyAhead = await postToCallback(h, {
      message: ticketMessage({ticket: 'slightly-ahead', timestamp: inSeconds(4 * 60)}),
    });

    assert.equal(slightlyAhead.text, 'success');
    assert.equal((await h.store.suiteTickets.read(SUITE_ID))!.newest.ticket, 'slightly-ahead');
  });

  it('clears a stored ticket through the admin API, audited', async () => {
    const h = await setup({serviceApp: {}});
    await postToCallback(h, {message: ticketMessage({ticket: 'pinned', timestamp: 1796000600})});

    const cleared = await adminRequest(h, 'DELETE', '/api/connections/acme-sa/suite-ticket');
    const again = await adminRequest(h, 'DELETE', '/api/connections/acme-sa/suite-ticket');
    const audit = await h.store.audit.list({event: 'suite_ticket_cleared', limit: 5});

    assert.deepEqual([cleared.status, cleared.json], [200, {suiteId: SUITE_ID, cleared: true}]);
    assert.deepEqual(again.json, {suiteId: SUITE_ID, cleared: false});
    assert.deepEqual(
      audit.items.map((row) => row.detail),
      ['none stored', 'cleared'],
    );
  });

  it('stores an older push again once the ticket is cleared', async () => {
    const h = await setup({serviceApp: {}});
    await postToCallback(h, {message: ticketMessage({ticket: 'pinned', timestamp: 1796000600})});
    await adminRequest(h, 'DELETE', '/api/connections/acme-sa/suite-ticket');

    const older = await postToCallback(h, {message: ticketMessage({ticket: 'older', timestamp: 1796000000})});

    assert.equal(older.text, 'success');
    assert.equal((await h.store.suiteTickets.read(SUITE_ID))!.newest.ticket, 'older');
  });
});

describe('the 登录授权 URL check is no decryptor', () => {
  it('refuses a captured push replayed as a URL check: it echoes only an echostr', async () => {
    const h = await setup({serviceApp: {}});
    // Encrypted for the SuiteID, which a URL check accepts as receiveid too.
    const captured = encryptMessage(AES_KEY, ticketMessage({ticket: 'secret-ticket-0001'}), SUITE_ID);
    const markup = encryptMessage(AES_KEY, '<b>12345</b>', PROVIDER_CORP_ID);

    const answers = await Promise.all(
      [captured, markup].map(async (echostr) => {
        const response = await fetch(`${signed(callbackUrl(h), echostr)}&echostr=${encodeURIComponent(echostr)}`);
        return [response.status, await response.text()];
      }),
    );

    for (const answer of answers)
      assert.deepEqual(answer, [
        400,
        '{"error":{"code":"invalid_callback","message":"This message was not accepted."}}',
      ]);
  });
});

describe('the 登录授权 callback under attack', () => {
  // A hundred prove the rule as well as a thousand did: each forged push is refused alike, and none is stored or
  // audited one by one, only counted.
  it('answers 100 forged pushes alike, only counting them', async () => {
    const h = await setup({serviceApp: {}, trustProxy: 1});
    const forged = encryptMessage(decodeEncodingAesKey('A'.repeat(43))!, ticketMessage({ticket: 'planted'}), SUITE_ID);
    const auditBefore = (await adminRequest(h, 'GET', '/api/audit?limit=100')).json.items.length;
    const statuses = new Set<string>();
    for (let i = 0; i < 100; i += 50) {
      await Promise.all(
        Array.from({length: 50}, async (_, j) => {
          const response = await fetch(signed(callbackUrl(h), forged, {nonce: String(i + j)}), {
            method: 'POST',
            headers: {'x-forwarded-for': `198.51.${(i + j) >> 8}.${(i + j) & 255}`},
            body: `<xml><Encrypt><![CDATA[${forged}]]></Encrypt></xml>`,
          });
          statuses.add(`${response.status} ${await response.text()}`);
        }),
      );
    }
    assert.deepEqual(
      [...statuses],
      ['400 {"error":{"code":"invalid_callback","message":"This message was not accepted."}}'],
    );
    assert.equal(await h.store.suiteTickets.read(SUITE_ID), null);
    assert.equal((await adminRequest(h, 'GET', '/api/audit?limit=100')).json.items.length, auditBefore);
    assert.equal((await refusalCounts(h)).invalid_callback, 100);
  });

  // A hundred at once race each other for the newest ticket as a thousand would.
  it('keeps a genuine push once when it is replayed 100 times at once', async () => {
    const h = await setup({serviceApp: {}});
    const encrypted = encryptMessage(AES_KEY, ticketMessage({ticket: 'genuine', timestamp: 1796000000}), SUITE_ID);
    const envelope = `<xml><ToUserName><![CDATA[${SUITE_ID}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`;
    const url = signed(callbackUrl(h), encrypted);
    const answers = new Set<string>();
    await Promise.all(
      Array.from({length: 100}, async () =>
        answers.add(await (await fetch(url, {method: 'POST', body: envelope})).text()),
      ),
    );
    assert.deepEqual([...answers], ['success']);
    const stored = await h.store.suiteTickets.read(SUITE_ID);
    assert.deepEqual(
      [stored!.newest.ticket, stored!.previous],
      ['genuine', null],
      'the replays were stale: no previous appeared',
    );
  });

  it('answers a genuine push sent to the route spelled differently with 404, storing nothing', async () => {
    const h = await setup({serviceApp: {}});
    const encrypted = encryptMessage(AES_KEY, ticketMessage({ticket: 'genuine', timestamp: 1796000000}), SUITE_ID);
    const envelope = `<xml><ToUserName><![CDATA[${SUITE_ID}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`;
    const url = signed(callbackUrl(h), encrypted);
    for (const spelling of [
      '/connections/acme-sa/WECOM-CALLBACK',
      '/connections/acme-sa/wecom-callback/',
      '/connections/ACME-SA/wecom-callback',
      '/Connections/acme-sa/wecom-callback',
    ]) {
      const response = await fetch(`${h.baseUrl}${spelling}${new URL(url).search}`, {method: 'POST', body: envelope});
      assert.equal(response.status, 404, spelling);
    }
    assert.equal(await h.store.suiteTickets.read(SUITE_ID), null);
  });
});
