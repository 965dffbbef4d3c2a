import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {createLocalJWKSet, jwtVerify} from 'jose';
import {decodeEncodingAesKey, encryptMessage, messageSignature} from '../../server/wecom/message-crypto.ts';
import {createSuiteTokens} from '../../server/wecom/suite-tokens.ts';
import {createWecomClient} from '../../server/wecom/wecom-client.ts';
import {
  adminRequest,
  CALLBACK_TOKEN,
  ENCODING_AES_KEY,
  HOST_ORIGIN,
  PROVIDER_CORP_ID,
  PROVIDER_SECRET,
  popupParams,
  readResult,
  refusalCounts,
  redirectParams,
  setup,
  SUITE_ID,
  SUITE_SECRET,
  type Harness,
} from '../helpers/login-harness.ts';

const AES_KEY = decodeEncodingAesKey(ENCODING_AES_KEY)!;
const callbackUrl = (h: Harness, identifier = 'acme-sa') => `${h.baseUrl}/connections/${identifier}/wecom-callback`;

/** A request as WeCom signs it: msg_signature over the token, timestamp, nonce and ciphertext. */
function signed(
  url: string,
  encrypted: string,
  {token = CALLBACK_TOKEN, timestamp = '1796000000', nonce = '1372623149'} = {},
): string {
  const target = new URL(url);
  target.search = new URLSearchParams({
    msg_signature: messageSignature(token, timestamp, nonce, encrypted),
    timestamp,
    nonce,
  }).toString();
  return target.href;
}

function ticketMessage({
  suiteId = SUITE_ID,
  ticket = 'ticket-0001',
  timestamp = 1796000000,
  infoType = ' <![CDATA[suite_ticket]]>',
} = {}): string {
  return `<xml><SuiteId><![CDATA[${suiteId}]]></SuiteId><InfoType>${infoType}</InfoType><TimeStamp>${timestamp}</TimeStamp><SuiteTicket><![CDATA[${ticket}]]></SuiteTicket></xml>`;
}

async function post(
  h: Harness,
  {
    message = ticketMessage(),
    receiveId = SUITE_ID,
    toUserName = SUITE_ID,
    contentType = 'text/xml',
    token = CALLBACK_TOKEN,
    body,
  }: {
    message?: string;
    receiveId?: string;
    toUserName?: string;
    contentType?: string;
    token?: string;
    body?: string;
  } = {},
) {
  const encrypted = encryptMessage(AES_KEY, message, receiveId);
  const envelope =
    body ??
    `<xml><ToUserName><![CDATA[${toUserName}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>`;
  const response = await fetch(signed(callbackUrl(h), encrypted, {token}), {
    method: 'POST',
    headers: {'content-type': contentType},
    body: envelope,
  });
  return {status: response.status, type: response.headers.get('content-type'), text: await response.text()};
}

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

  it('refuses a bad signature, a foreign receiveid, a legacy connection and missing parameters alike, revealing nothing', async () => {
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
    assert.equal(
      h.logs.some((line) => line.includes('1616140317555161061')),
      false,
    );
  });
});

describe('the 登录授权 callback (POST: suite_ticket)', () => {
  it("stores a pushed ticket and answers exactly success, whatever the Content-Type, trimming WeCom's whitespace", async () => {
    const h = await setup({serviceApp: {}});
    for (const [i, contentType] of ['text/xml', 'application/x-www-form-urlencoded', 'application/json'].entries()) {
      const answer = await post(h, {
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
    assert.equal(
      h.logs.some((line) => line.includes('pushed-ticket-')),
      false,
      'tickets are never logged',
    );
  });

  it('keeps the newest: an older or repeated push changes nothing, and the one before stays as previous', async () => {
    const h = await setup({serviceApp: {}});
    await post(h, {message: ticketMessage({ticket: 'first', timestamp: 1796000000})});
    await post(h, {message: ticketMessage({ticket: 'second', timestamp: 1796000600})});
    assert.equal((await post(h, {message: ticketMessage({ticket: 'late', timestamp: 1796000300})})).text, 'success');
    assert.equal((await post(h, {message: ticketMessage({ticket: 'again', timestamp: 1796000600})})).text, 'success');
    const tickets = await h.store.suiteTickets.read(SUITE_ID);
    assert.deepEqual(
      [tickets!.newest.ticket, tickets!.previous!.ticket, tickets!.newest.pushedAt],
      ['second', 'first', 1796000600_000],
    );
  });

  it('refuses and stores nothing for a wrong receiveid, another SuiteId, another ToUserName, a bad signature, a DTD or a malformed ticket', async () => {
    const h = await setup({serviceApp: {}});
    const refusals = [
      await post(h, {receiveId: PROVIDER_CORP_ID}),
      await post(h, {message: ticketMessage({suiteId: 'wwothersuite00001'})}),
      await post(h, {toUserName: 'wwothersuite00001'}),
      await post(h, {token: 'WrongToken'}),
      await post(h, {
        body: '<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><Encrypt>&x;</Encrypt></xml>',
      }),
      await post(h, {message: ticketMessage({ticket: 'has space'})}),
      await post(h, {message: ticketMessage({timestamp: -5})}),
    ];
    for (const answer of refusals)
      assert.deepEqual([answer.status, answer.text.includes('invalid_callback')], [400, true]);
    assert.equal(await h.store.suiteTickets.read(SUITE_ID), null);
    // Any other well-signed event of the suite is acknowledged and ignored.
    assert.equal((await post(h, {message: ticketMessage({infoType: '<![CDATA[change_auth]]>'})})).text, 'success');
    assert.equal(await h.store.suiteTickets.read(SUITE_ID), null);
  });

  it('refuses a push dated more than 5 minutes ahead, which would pin its ticket until the clock caught up, and stores one 4 minutes ahead', async () => {
    const h = await setup({serviceApp: {}});
    const inSeconds = (seconds: number) => Math.floor(Date.now() / 1000) + seconds;

    const farAhead = await post(h, {message: ticketMessage({ticket: 'far-future', timestamp: inSeconds(6 * 60)})});
    const stored = await h.store.suiteTickets.read(SUITE_ID);
    const slightlyAhead = await post(h, {
      message: ticketMessage({ticket: 'slightly-ahead', timestamp: inSeconds(4 * 60)}),
    });

    assert.deepEqual([farAhead.status, farAhead.text.includes('invalid_callback')], [400, true]);
    assert.equal(stored, null);
    assert.equal(slightlyAhead.text, 'success');
    assert.equal((await h.store.suiteTickets.read(SUITE_ID))!.newest.ticket, 'slightly-ahead');
  });

  it("clears a stored ticket through the admin API and the CLI's route alike, after which an older push is stored again", async () => {
    const h = await setup({serviceApp: {}});
    await post(h, {message: ticketMessage({ticket: 'pinned', timestamp: 1796000600})});

    const cleared = await adminRequest(h, 'DELETE', '/api/connections/acme-sa/suite-ticket');
    const again = await adminRequest(h, 'DELETE', '/api/connections/acme-sa/suite-ticket');
    const older = await post(h, {message: ticketMessage({ticket: 'older', timestamp: 1796000000})});
    const audit = await h.store.audit.list({event: 'suite_ticket_cleared', limit: 5});

    assert.deepEqual([cleared.status, cleared.json], [200, {suiteId: SUITE_ID, cleared: true}]);
    assert.deepEqual(again.json, {suiteId: SUITE_ID, cleared: false});
    assert.equal(older.text, 'success');
    assert.equal((await h.store.suiteTickets.read(SUITE_ID))!.newest.ticket, 'older');
    assert.deepEqual(
      audit.items.map((row) => row.detail),
      ['none stored', 'cleared'],
    );
  });
});

describe('the 登录授权 URL check is no decryptor', () => {
  it('refuses a captured push replayed as a URL check with the uniform 400: it echoes only what looks like an echostr', async () => {
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

describe("logging in with WeCom's new login (login_type=ServiceApp)", () => {
  it('leads to wwlogin with the SuiteID as appid, no agentid and no fragment; embedded mode navigates only its iframe', async () => {
    const h = await setup({serviceApp: {}});
    const {state, authorize} = await h.openQrPage(popupParams(), 'acme-sa');
    const url = /"url":"([^"]+)"/.exec(authorize.text)![1]!.replaceAll('\\u0026', '&');
    assert.equal(
      url,
      `${h.simulatorUrl}/wwlogin/sso/login?${new URLSearchParams({login_type: 'ServiceApp', appid: SUITE_ID, redirect_uri: `${h.baseUrl}/connections/acme-sa/callback`, state})}`,
    );
    assert.match(state, /^[A-Za-z0-9_-]{22,128}$/);
    const embedded = await h.openQrPage({...popupParams(), mode: 'embedded'}, 'acme-sa');
    assert.match(embedded.authorize.text, /redirect_type=self/);
  });

  it('logs a member in by popup: (corpid, open_userid) is the user, the userid its name, no avatar or usertype anywhere', async () => {
    const h = await setup({serviceApp: {}});
    await h.simulator.ticketPusher.pushTicket(SUITE_ID);
    const {qrPage} = await h.openQrPage(popupParams(), 'acme-sa');
    const result = readResult(await h.scan(qrPage, 'alice'));
    assert.equal(result.type, 'wecom-sp-login:success');
    if (result.type !== 'wecom-sp-login:success') return;
    assert.deepEqual(
      {...result.user, id: ''},
      {id: '', corpId: 'wwcustomer0000001', openUserId: 'woalice0OpenUserId5', userId: 'alice', name: 'alice'},
    );
    const jwks = createLocalJWKSet(await (await fetch(`${h.baseUrl}/.well-known/jwks.json`)).json());
    const {payload} = await jwtVerify(result.idToken, jwks, {issuer: h.baseUrl, audience: 'acme-sa'});
    assert.deepEqual(
      [payload.name, payload.usertype, payload.avatar, payload.open_userid],
      ['alice', undefined, undefined, 'woalice0OpenUserId5'],
    );
    assert.deepEqual(
      h.simulator.calls().map((call) => call.endpoint),
      ['get_suite_token', 'getuserinfo3rd'],
    );

    // The suite token is cached: a second login calls getuserinfo3rd only.
    const again = await h.openQrPage(popupParams(), 'acme-sa');
    assert.equal(readResult(await h.scan(again.qrPage, 'alice')).type, 'wecom-sp-login:success');
    assert.deepEqual(
      h.simulator.calls().map((call) => call.endpoint),
      ['get_suite_token', 'getuserinfo3rd', 'getuserinfo3rd'],
    );

    // No secret of the flow reaches a log line: the Secret, the callback Token and key, the suite token, a ticket.
    const logs = h.logs.join('\n');
    const ticket = h.simulator.ticketPusher.deliveries.at(-1)!.ticket!;
    for (const secret of [
      SUITE_SECRET,
      CALLBACK_TOKEN,
      ENCODING_AES_KEY,
      h.simulator.suites.issueToken(SUITE_ID).token,
      ticket,
    ])
      assert.equal(logs.includes(secret), false, secret.slice(0, 6));
  });

  it('logs in by redirect with a ticket, and both flows log in from one server', async () => {
    const h = await setup({serviceApp: {}});
    await h.simulator.ticketPusher.pushTicket(SUITE_ID);
    const {params, verifier} = redirectParams();
    const {qrPage} = await h.openQrPage(params, 'acme-sa');
    const back = await h.scan(qrPage, 'carol');
    const ticket = new URLSearchParams(new URL(back.headers.get('location')!).hash.slice(1)).get('wecom_sp_login')!;
    const redeemed = await h.browser.request(`${h.baseUrl}/connections/acme-sa/tickets`, {
      method: 'POST',
      headers: {'content-type': 'application/json', origin: HOST_ORIGIN},
      body: JSON.stringify({ticket, code_verifier: verifier}),
    });
    assert.equal(JSON.parse(redeemed.text).user.userId, 'carol');
    assert.equal(readResult(await h.login('bob')).type, 'wecom-sp-login:success', 'the legacy connection beside it');
  });

  it('refuses someone in no enterprise (openid only) with login_not_allowed, and writes no user', async () => {
    const h = await setup({serviceApp: {}});
    await h.simulator.ticketPusher.pushTicket(SUITE_ID);
    const {qrPage} = await h.openQrPage(popupParams(), 'acme-sa');
    const result = readResult(await h.scan(qrPage, 'gina'));
    assert.equal(result.type === 'wecom-sp-login:error' && result.error.code, 'login_not_allowed');
    assert.equal((await h.store.users.list('acme-sa', {limit: 5})).items.length, 0);
  });

  it('answers wecom_config_error, never a 5xx, with no suite_ticket yet, and the credential check says what to do', async () => {
    const h = await setup({serviceApp: {}});
    const {qrPage} = await h.openQrPage(popupParams(), 'acme-sa');
    const page = await h.scan(qrPage, 'alice');
    const result = readResult(page);
    assert.equal(result.type === 'wecom-sp-login:error' && result.error.code, 'wecom_config_error');
    assert.ok(page.status < 500, `status ${page.status}`);
    const check = await adminRequest(h, 'POST', '/api/connections/acme-sa/check');
    assert.equal(check.json.diagnosis, 'no_suite_ticket');
    assert.match(check.json.message, /刷新Ticket/);
    assert.equal(h.simulator.calls().length, 0, 'nothing was sent to WeCom without a ticket');

    await h.simulator.ticketPusher.pushTicket(SUITE_ID);
    assert.deepEqual((await adminRequest(h, 'POST', '/api/connections/acme-sa/check')).json.diagnosis, 'ok');
  });

  it('tries the previous ticket once on 40085, then fails as wecom_config_error', async () => {
    const h = await setup({serviceApp: {}});
    await h.simulator.ticketPusher.pushTicket(SUITE_ID);
    await h.store.suiteTickets.record(SUITE_ID, 'not-a-ticket-wecom-issued', Date.now() + 1_000);
    const first = await h.openQrPage(popupParams(), 'acme-sa');
    assert.equal(
      readResult(await h.scan(first.qrPage, 'alice')).type,
      'wecom-sp-login:success',
      'the previous ticket worked',
    );
    assert.deepEqual(
      h.simulator.calls('get_suite_token').map((call) => call.errcode),
      [40085, 0],
    );

    const h2 = await setup({serviceApp: {}});
    await h2.store.suiteTickets.record(SUITE_ID, 'stale-one', Date.now() - 1_000);
    await h2.store.suiteTickets.record(SUITE_ID, 'stale-two', Date.now());
    const second = await h2.openQrPage(popupParams(), 'acme-sa');
    const failed = readResult(await h2.scan(second.qrPage, 'alice'));
    assert.equal(failed.type === 'wecom-sp-login:error' && failed.error.code, 'wecom_config_error');
    assert.deepEqual(
      h2.simulator.calls('get_suite_token').map((call) => call.errcode),
      [40085, 40085],
    );
  });

  it('drops the suite token on 40082 or 42009 and retries once; 40029 is terminal', async () => {
    const h = await setup({serviceApp: {}});
    await h.simulator.ticketPusher.pushTicket(SUITE_ID);
    for (const errcode of [40082, 42009] as const) {
      const {qrPage} = await h.openQrPage(popupParams(), 'acme-sa');
      await h.openQrPage(popupParams(), 'acme-sa');
      h.simulator.suites.revokeTokens(errcode);
      assert.equal(readResult(await h.scan(qrPage, 'alice')).type, 'wecom-sp-login:success', String(errcode));
    }
    h.simulator.resetCounters();
    h.simulator.fail('getuserinfo3rd', {errcode: 40029});
    const {qrPage} = await h.openQrPage(popupParams(), 'acme-sa');
    const result = readResult(await h.scan(qrPage, 'alice'));
    assert.equal(result.type === 'wecom-sp-login:error' && result.error.code, 'exchange_failed');
    assert.equal(h.simulator.calls('getuserinfo3rd').length, 1);
  });
});

describe('the admin-console launch on a service-app connection', () => {
  const launch = async (h: Harness, identity: string) => {
    const landing = await h.browser.get(
      `${h.baseUrl}/connections/acme-sa/launch?auth_code=${h.simulator.issueAuthCode(identity)}`,
    );
    const fragment = new URLSearchParams(new URL(landing.headers.get('location')!).hash.slice(1));
    if (fragment.get('wecom_sp_login_error')) return {error: fragment.get('wecom_sp_login_error')};
    const redeemed = await h.browser.request(`${h.baseUrl}/connections/acme-sa/tickets`, {
      method: 'POST',
      headers: {'content-type': 'application/json', origin: HOST_ORIGIN},
      body: JSON.stringify({ticket: fragment.get('wecom_sp_login')}),
    });
    return JSON.parse(redeemed.text) as {user: {userId: string; usertype?: number}};
  };

  it('refuses every launch on a row saved without a ProviderSecret (before one was required), without asking WeCom', async () => {
    // getuserinfo3rd says who but not in what role: a member's replanted QR code would pass as a launch.
    const h = await setup({serviceApp: {}});
    await h.simulator.ticketPusher.pushTicket(SUITE_ID);

    const answers = [await launch(h, 'bob'), await launch(h, 'alice')];

    assert.deepEqual(answers, [{error: 'wecom_config_error'}, {error: 'wecom_config_error'}]);
    assert.deepEqual(h.simulator.calls(), []);
    assert.equal((await h.store.users.list('acme-sa', {limit: 5})).items.length, 0);
  });

  it('is refused as a configuration by the admin API without a ProviderSecret, naming providerSecret', async () => {
    const h = await setup({serviceApp: {launchUrl: null}});
    const base = {
      identifier: 'beta-sa',
      displayName: 'Beta',
      corpId: PROVIDER_CORP_ID,
      flow: 'service-app',
      suiteId: SUITE_ID,
      suiteSecret: 'beta-suite-secret',
      callbackToken: 'BetaToken1',
      encodingAesKey: ENCODING_AES_KEY,
      allowedOrigins: [HOST_ORIGIN],
    };

    const created = await adminRequest(h, 'POST', '/api/connections', {...base, launchUrl: `${HOST_ORIGIN}/app`});
    const patched = await adminRequest(h, 'PATCH', '/api/connections/acme-sa', {launchUrl: `${HOST_ORIGIN}/app`});
    const withSecret = await adminRequest(h, 'PATCH', '/api/connections/acme-sa', {
      launchUrl: `${HOST_ORIGIN}/app`,
      providerSecret: PROVIDER_SECRET,
    });

    assert.deepEqual([created.status, created.json.error.field], [400, 'providerSecret']);
    assert.match(created.json.error.message, /launchUrl/);
    assert.deepEqual([patched.status, patched.json.error.field], [400, 'providerSecret']);
    assert.equal(withSecret.status, 200);
    assert.equal(await h.store.connections.get('beta-sa').catch(() => null), null);
  });

  it('with a ProviderSecret uses get_login_info and keeps the admin role: a member is refused', async () => {
    const h = await setup({serviceApp: {providerSecret: PROVIDER_SECRET}});
    const landed = await launch(h, 'bob');
    assert.deepEqual(['user' in landed && landed.user.userId, 'user' in landed && landed.user.usertype], ['bob', 1]);
    assert.deepEqual(await launch(h, 'alice'), {error: 'login_not_allowed'});
    assert.deepEqual(
      [...new Set(h.simulator.calls().map((call) => call.endpoint))],
      ['get_provider_token', 'get_login_info'],
    );
  });
});

describe('the admin API of a service-app connection', () => {
  it('takes and validates the new fields, never returns the secrets, and tells the suite_ticket status', async () => {
    const h = await setup({serviceApp: {}});
    const base = {
      identifier: 'beta-sa',
      displayName: 'Beta',
      corpId: PROVIDER_CORP_ID,
      flow: 'service-app',
      suiteId: SUITE_ID,
      suiteSecret: 'beta-suite-secret',
      callbackToken: 'BetaToken1',
      encodingAesKey: ENCODING_AES_KEY,
      allowedOrigins: [HOST_ORIGIN],
    };
    for (const [field, value] of [
      ['encodingAesKey', 'too-short'],
      ['encodingAesKey', `${ENCODING_AES_KEY.slice(0, 42)}!`],
      ['callbackToken', 'has space'],
      ['callbackToken', 'x'.repeat(33)],
      ['suiteId', 'not a suite'],
      ['flow', 'new'],
    ] as const) {
      const refused = await adminRequest(h, 'POST', '/api/connections', {...base, [field]: value});
      assert.deepEqual([refused.status, refused.json.error.field], [400, field], `${field}=${value}`);
    }
    const missing = await adminRequest(h, 'POST', '/api/connections', {...base, suiteSecret: undefined});
    assert.deepEqual([missing.status, missing.json.error.field], [400, 'suiteSecret']);
    const created = await adminRequest(h, 'POST', '/api/connections', base);
    assert.equal(created.status, 201);
    assert.deepEqual(
      [created.json.flow, created.json.suiteId, created.json.secretsSet],
      ['service-app', SUITE_ID, ['suiteSecret', 'callbackToken', 'encodingAesKey']],
    );
    const shown = JSON.stringify([
      created.json,
      (await adminRequest(h, 'GET', '/api/connections/beta-sa')).json,
      (await adminRequest(h, 'GET', '/api/connections')).json,
    ]);
    assert.doesNotMatch(shown, /beta-suite-secret|BetaToken1|jWmYm7/);

    assert.deepEqual((await adminRequest(h, 'GET', '/api/connections/acme-sa/suite-ticket')).json, {
      suiteId: SUITE_ID,
      received: null,
    });
    await h.simulator.ticketPusher.pushTicket(SUITE_ID);
    const status = (await adminRequest(h, 'GET', '/api/connections/acme-sa/suite-ticket')).json;
    assert.ok(Math.abs(status.received.receivedAt - Date.now()) < 5_000);
    assert.equal(JSON.stringify(status).includes(h.simulator.ticketPusher.deliveries.at(-1)!.ticket!), false);
  });
});

describe("suite tokens and the simulator's suite API", () => {
  it('shares one get_suite_token fetch between two processes on one database through the refresh lease', async () => {
    const h = await setup({serviceApp: {}});
    await h.simulator.ticketPusher.pushTicket(SUITE_ID);
    const wecom = createWecomClient({apiBase: h.simulatorUrl, timeoutMs: 2_000});
    h.simulator.fail('get_suite_token', {delayMs: 150});
    const credentials = {corpId: PROVIDER_CORP_ID, suiteId: SUITE_ID, suiteSecret: SUITE_SECRET};
    // Two processes: each its own token service, one shared store (the harness's database).
    const [a, b] = [0, 1].map(() =>
      createSuiteTokens({store: h.store.accessTokens, tickets: h.store.suiteTickets, wecom}),
    );
    const tokens = await Promise.all([a!.get(credentials), b!.get(credentials), a!.get(credentials)]);
    assert.equal(new Set(tokens).size, 1);
    assert.equal(h.simulator.calls('get_suite_token').length, 1);
  });

  it("answers get_suite_token and getuserinfo3rd with WeCom's errcodes and bodies", async () => {
    const h = await setup({serviceApp: {}});
    const call = async (method: 'GET' | 'POST', path: string, body?: unknown, contentType = 'application/json') => {
      const response = await fetch(`${h.simulatorUrl}/cgi-bin/service/${path}`, {
        method,
        ...(body !== undefined && {
          headers: {'content-type': contentType},
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      });
      return (await response.json()) as Record<string, unknown>;
    };
    const good = {
      suite_id: SUITE_ID,
      suite_secret: SUITE_SECRET,
      suite_ticket: (await h.simulator.ticketPusher.pushTicket(SUITE_ID)).ticket!,
    };
    const errcodes = [
      await call('POST', 'get_suite_token', {...good, suite_id: ''}),
      await call('POST', 'get_suite_token', {...good, suite_secret: ''}),
      await call('POST', 'get_suite_token', {...good, suite_ticket: ''}),
      await call('POST', 'get_suite_token', {...good, suite_id: PROVIDER_CORP_ID}),
      await call('POST', 'get_suite_token', {...good, suite_secret: 'wrong'}),
      await call('POST', 'get_suite_token', {...good, suite_ticket: 'never-pushed'}),
      await call('GET', 'get_suite_token'),
      await call('POST', 'get_suite_token', new URLSearchParams(good).toString(), 'application/x-www-form-urlencoded'),
    ].map((answer) => answer.errcode);
    assert.deepEqual(errcodes, [41021, 41024, 41023, 40083, 40080, 40085, 40083, 47001]);
    const success = await call('POST', 'get_suite_token', good);
    assert.deepEqual(Object.keys(success).sort(), ['expires_in', 'suite_access_token'], 'no errcode on success');
    h.simulator.setSuiteTokenWithErrcode(true);
    assert.deepEqual((await call('POST', 'get_suite_token', good)).errcode, 0);
    const token = String(success.suite_access_token);
    const info = async (query: string) => (await call('GET', `auth/getuserinfo3rd?${query}`)).errcode;
    assert.deepEqual(
      [
        await info(`code=x`),
        await info(`suite_access_token=nope&code=x`),
        await info(`suite_access_token=${token}&code=unknown`),
      ],
      [41022, 40082, 40029],
    );
    const {qrPage} = await h.openQrPage(popupParams(), 'acme-sa');
    const key = /sim\/scan\?key=([0-9a-f]+)/.exec(qrPage.text)![1];
    const scanned = await fetch(`${h.simulatorUrl}/wwopen/sso/sim/scan?key=${key}&as=alice`, {redirect: 'manual'});
    const code = new URL(scanned.headers.get('location')!).searchParams.get('code')!;
    assert.deepEqual(await call('GET', `auth/getuserinfo3rd?suite_access_token=${token}&code=${code}`), {
      errcode: 0,
      errmsg: 'ok',
      corpid: 'wwcustomer0000001',
      userid: 'alice',
      open_userid: 'woalice0OpenUserId5',
    });
    assert.equal(await info(`suite_access_token=${token}&code=${code}`), 40029, 'single-use');
    h.simulator.suites.revokeTokens(42009);
    assert.equal(await info(`suite_access_token=${token}&code=x`), 42009);
  });
});

describe('the 登录授权 callback under attack', () => {
  it('answers 1,000 forged pushes from many addresses with the same 400, stores and audits nothing, and only counts them', async () => {
    const h = await setup({serviceApp: {}, trustProxy: 1});
    const forged = encryptMessage(decodeEncodingAesKey('A'.repeat(43))!, ticketMessage({ticket: 'planted'}), SUITE_ID);
    const auditBefore = (await adminRequest(h, 'GET', '/api/audit?limit=100')).json.items.length;
    const statuses = new Set<string>();
    for (let i = 0; i < 1000; i += 50) {
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
    assert.equal((await refusalCounts(h)).invalid_callback, 1000);
  });

  it('changes nothing when a genuine push is replayed 1,000 times or sent to the route spelled differently', async () => {
    const h = await setup({serviceApp: {}});
    const encrypted = encryptMessage(AES_KEY, ticketMessage({ticket: 'genuine', timestamp: 1796000000}), SUITE_ID);
    const envelope = `<xml><ToUserName><![CDATA[${SUITE_ID}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`;
    const url = signed(callbackUrl(h), encrypted);
    const answers = new Set<string>();
    for (let i = 0; i < 1000; i += 100) {
      await Promise.all(
        Array.from({length: 100}, async () =>
          answers.add(await (await fetch(url, {method: 'POST', body: envelope})).text()),
        ),
      );
    }
    assert.deepEqual([...answers], ['success']);
    const stored = await h.store.suiteTickets.read(SUITE_ID);
    assert.deepEqual(
      [stored!.newest.ticket, stored!.previous],
      ['genuine', null],
      'the replays were stale: no previous appeared',
    );
    for (const spelling of [
      '/connections/acme-sa/WECOM-CALLBACK',
      '/connections/acme-sa/wecom-callback/',
      '/connections/ACME-SA/wecom-callback',
      '/Connections/acme-sa/wecom-callback',
    ]) {
      const response = await fetch(`${h.baseUrl}${spelling}${new URL(url).search}`, {method: 'POST', body: envelope});
      assert.equal(response.status, 404, spelling);
    }
    assert.equal((await h.store.suiteTickets.read(SUITE_ID))!.newest.ticket, 'genuine');
  });
});
