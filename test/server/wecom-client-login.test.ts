import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {createLocalJWKSet, decodeJwt, jwtVerify} from 'jose';
import {readJsonScript, type TestResponse} from '../helpers/test-browser.ts';
import {
  adminRequest,
  APP_SUITE_FIELDS,
  APP_SUITE_ID,
  HOST_ORIGIN,
  popupParams,
  readResult,
  redirectParams,
  resultCode,
  setup,
  WECOM_CLIENT_UA,
  type Harness,
  type HarnessOptions,
} from '../helpers/login-harness.ts';
import {assertNoneIn} from '../helpers/absence.ts';

const CUSTOMER = 'wwcustomer0000001';

/**
 * A harness whose `acme` has the app suite, with the app suite's ticket pushed, and a browser inside WeCom as
 * `identity`.
 */
async function inWecom(options: Parameters<typeof setup>[0] = {}, identity = 'alice'): Promise<Harness> {
  const h = await setup({appSuite: true, ...options});
  const pushed = await h.simulator.ticketPusher.pushTicket(APP_SUITE_ID);
  assert.equal(pushed.accepted, true, JSON.stringify(pushed));
  await signIn(h, identity);
  return h;
}

/** Tells the simulated WeCom client who is signed in, and makes the test browser its webview. */
async function signIn(h: Harness, identity: string): Promise<void> {
  h.browser.userAgent = WECOM_CLIENT_UA;
  assert.equal((await h.browser.get(`${h.simulatorUrl}/sim/wecom-client/sign-in?as=${identity}`)).status, 200);
}

/** The login page the authorize route sends this browser to. */
async function authorize(
  h: Harness,
  params: Record<string, string>,
  connection = 'acme',
): Promise<{url: string; page: TestResponse}> {
  const page = await h.browser.get(`${h.baseUrl}/connections/${connection}/authorize?${new URLSearchParams(params)}`);
  assert.equal(page.status, 200, page.text);
  return {url: readJsonScript<{url: string}>(page.text, 'wecom-sp-login-navigate').url, page};
}

/** Follows WeCom's OAuth page back to the callback: the callback's response. */
async function throughOauth(h: Harness, oauthUrl: string, from?: TestResponse): Promise<TestResponse> {
  const oauth = await h.browser.get(oauthUrl, from);
  assert.equal(oauth.status, 302, `WeCom did not send the webview back:\n${oauth.text.slice(0, 600)}`);
  return h.browser.get(oauth.headers.get('location')!, oauth);
}

/** A whole in-client popup-mode login: the callback's response. */
async function inClientLogin(h: Harness, params = popupParams(), connection = 'acme'): Promise<TestResponse> {
  const {url, page} = await authorize(h, params, connection);
  return throughOauth(h, url, page);
}

async function verify(h: Harness, idToken: string) {
  const jwks = await (await fetch(`${h.baseUrl}/.well-known/jwks.json`)).json();
  return (await jwtVerify(idToken, createLocalJWKSet(jwks))).payload;
}

async function redeem(h: Harness, ticket: string, body: Record<string, string> = {}, origin = HOST_ORIGIN) {
  const response = await fetch(`${h.baseUrl}/connections/acme/tickets`, {
    method: 'POST',
    headers: {'content-type': 'application/json', origin},
    body: JSON.stringify({ticket, ...body}),
  });
  return {status: response.status, json: await response.json()};
}

describe('the authorize route inside the WeCom client', () => {
  it("sends WeCom's webview to the in-client OAuth page as doc 91120 spells it", async () => {
    const h = await inWecom();
    const {url, page} = await authorize(h, popupParams());
    const state = new URL(url).searchParams.get('state')!;

    assert.match(state, /^[A-Za-z0-9]{32}$/);
    assert.equal(
      url,
      `${h.simulatorUrl}/connect/oauth2/authorize?appid=${APP_SUITE_ID}` +
        `&redirect_uri=${encodeURIComponent(`${h.baseUrl}/connections/acme/callback`)}&response_type=code` +
        `&scope=snsapi_base&state=${state}#wechat_redirect`,
    );
    assert.equal(page.headers.get('referrer-policy'), 'origin');
  });

  it('keeps the QR login outside WeCom, for personal WeChat, and on a connection without an app suite', async () => {
    const h = await inWecom();
    h.browser.userAgent =
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
      'MicroMessenger/6.8.0(0x16080000) MacWechat/3.3(0x13030013) NetType/WIFI WindowsWechat';
    assert.match((await authorize(h, popupParams())).url, /\/wwopen\/sso\/3rd_qrConnect\?/);
    h.browser.userAgent = undefined;
    assert.match((await authorize(h, popupParams())).url, /\/wwopen\/sso\/3rd_qrConnect\?/);

    const plain = await setup();
    await signIn(plain, 'alice');
    assert.match((await authorize(plain, popupParams())).url, /\/wwopen\/sso\/3rd_qrConnect\?/);
  });
});

describe('logging in inside the WeCom client', () => {
  it('logs a member in with no QR code: amr wecom_client, and the same sub as their QR logins', async () => {
    const h = await inWecom();
    h.browser.userAgent = undefined;
    const qr = readResult(await h.login('alice'));
    assert.equal(qr.type, 'wecom-sp-login:success');
    h.browser.userAgent = WECOM_CLIENT_UA;
    const params = popupParams();

    const result = readResult(await inClientLogin(h, params));

    assert.equal(result.type, 'wecom-sp-login:success');
    const claims = await verify(h, result.idToken);
    assert.deepEqual(claims.amr, ['wecom_client']);
    assert.equal(claims.nonce, params.nonce);
    assert.equal(claims.sub, (await verify(h, (qr as {idToken: string}).idToken)).sub);
    assert.deepEqual(decodeJwt(qr.type === 'wecom-sp-login:success' ? qr.idToken : '').amr, ['qr']);
    assert.equal(result.user.corpId, CUSTOMER);
    assert.equal(result.user.userId, 'alice');
    assert.equal(result.user.name, 'alice', 'WeCom gives no name here: the userid stands in');
  });

  it("is the same user as the person's QR logins on a service-app connection with an app suite", async () => {
    const h = await setup({serviceApp: APP_SUITE_FIELDS});
    h.simulator.suites.appSuite(APP_SUITE_ID)!.callback!.url = `${h.baseUrl}/connections/acme-sa/app-callback`;
    for (const suiteId of [APP_SUITE_ID, 'wwloginsuite00001'])
      assert.equal((await h.simulator.ticketPusher.pushTicket(suiteId)).accepted, true);
    const qr = readResult(
      await (async () => {
        const {qrPage} = await h.openQrPage(popupParams(), 'acme-sa');
        return h.scan(qrPage, 'carol');
      })(),
    );
    await signIn(h, 'carol');

    const inClient = readResult(await inClientLogin(h, popupParams(), 'acme-sa'));

    assert.equal(qr.type, 'wecom-sp-login:success', JSON.stringify(qr));
    assert.equal(inClient.type, 'wecom-sp-login:success', JSON.stringify(inClient));
    assert.equal(inClient.user.id, qr.user.id);
  });

  it('redeems a redirect-mode ticket with its verifier only, as every redirect login', async () => {
    const h = await inWecom();
    const {params, verifier} = redirectParams();

    const callback = await inClientLogin(h, params);

    assert.equal(callback.status, 302);
    const landing = new URL(callback.headers.get('location')!);
    assert.equal(`${landing.origin}${landing.pathname}`, `${HOST_ORIGIN}/account`);
    const ticket = new URLSearchParams(landing.hash.slice(1)).get('wecom_sp_login')!;
    const redeemed = await redeem(h, ticket, {code_verifier: verifier});
    assert.equal(redeemed.status, 200, JSON.stringify(redeemed.json));
    assert.deepEqual((await verify(h, redeemed.json.idToken)).amr, ['wecom_client']);
  });

  it('fetches the app suite token once and keeps it for later logins', async () => {
    const h = await inWecom();
    for (const identity of ['alice', 'bob', 'erin']) {
      await signIn(h, identity);
      assert.equal(resultCode(await inClientLogin(h)), 'success', identity);
    }
    assert.equal(h.simulator.calls('get_suite_token').length, 1);
    assert.equal(h.simulator.calls('getuserinfo3rd').length, 3);
  });

  it('fetches a new app suite token once when WeCom revokes it early (40082)', async () => {
    const h = await inWecom();
    assert.equal(resultCode(await inClientLogin(h)), 'success');
    h.simulator.suites.revokeTokens(40082);

    assert.equal(resultCode(await inClientLogin(h)), 'success');
    assert.deepEqual(
      h.simulator.calls('get_suite_token').map((call) => call.errcode),
      [0, 0],
    );
    assert.deepEqual(
      h.simulator.calls('getuserinfo3rd').map((call) => call.errcode),
      [0, 40082, 0],
    );
  });

  it('falls back to the previous app suite_ticket when WeCom refuses the newest (40085)', async () => {
    const h = await inWecom();
    assert.equal(resultCode(await inClientLogin(h)), 'success');
    // A newer push the simulator has forgotten (a ticket of another environment, say): 40085, then the previous one.
    await h.store.suiteTickets.record(APP_SUITE_ID, 'a-ticket-wecom-never-issued', Date.now());
    h.simulator.suites.revokeTokens(40082);

    assert.equal(resultCode(await inClientLogin(h)), 'success');
    assert.deepEqual(
      h.simulator.calls('get_suite_token').map((call) => call.errcode),
      [0, 40085, 0],
    );
  });

  // The pages speak Chinese to the WeCom client, which states no other language.
  const refusals: Array<[string, HarnessOptions, string, RegExp]> = [
    ['a WeChat user in no enterprise', {}, 'gina', /不属于任何企业/],
    [
      'an enterprise outside allowedCorpIds',
      {connection: {allowedCorpIds: ['wwsomeoneelse0001']}},
      'alice',
      /你的企业无权/,
    ],
    ['a stranger on a login-only connection', {connection: {loginMode: 'login-only'}}, 'alice', /只允许已有账号/],
  ];
  for (const [who, options, identity, message] of refusals) {
    it(`refuses ${who} with login_not_allowed, writing no user`, async () => {
      const h = await inWecom(options, identity);

      const result = readResult(await inClientLogin(h));

      assert.equal(result.type, 'wecom-sp-login:error');
      assert.equal(result.error.code, 'login_not_allowed');
      assert.match(result.error.message, message);
      assert.equal(await h.countRows('users'), 0);
    });
  }

  it('answers a used code with exchange_failed, never looping back to WeCom', async () => {
    const h = await inWecom();
    const first = await authorize(h, popupParams());
    const second = await authorize(h, popupParams());
    const oauth = await h.browser.get(first.url, first.page);
    const code = new URL(oauth.headers.get('location')!).searchParams.get('code')!;
    assert.equal(resultCode(await h.browser.get(oauth.headers.get('location')!, oauth)), 'success');
    const secondState = new URL(second.url).searchParams.get('state')!;

    const reused = await h.browser.get(
      `${h.baseUrl}/connections/acme/callback?code=${encodeURIComponent(code)}&state=${secondState}`,
    );

    assert.equal(resultCode(reused), 'exchange_failed');
    assert.equal(reused.headers.get('location'), null);
    assert.deepEqual(
      h.simulator.calls('getuserinfo3rd').map((call) => call.errcode),
      [0, 40029],
    );
  });

  it('answers WeCom coming back without a code with login_cancelled', async () => {
    const h = await inWecom();
    const {url} = await authorize(h, popupParams());

    const back = await h.browser.get(
      `${h.baseUrl}/connections/acme/callback?state=${new URL(url).searchParams.get('state')}`,
    );

    assert.equal(resultCode(back), 'login_cancelled');
    assert.equal(h.simulator.calls('getuserinfo3rd').length, 0);
  });

  it("says a login server outside the app's 可信域名 (50001) is the site owner's to fix", async () => {
    const h = await inWecom();
    const {url, page} = await authorize(h, popupParams());
    const oauth = await h.browser.get(url, page);
    h.simulator.suites.appSuite(APP_SUITE_ID)!.trustedDomains.length = 0;

    const result = readResult(await h.browser.get(oauth.headers.get('location')!, oauth));

    assert.equal(result.type, 'wecom-sp-login:error');
    assert.equal(result.error.code, 'wecom_config_error');
    assert.match(result.error.message, /不在应用的可信域名中/);
  });

  it("shows WeCom's own page to a member the app is not visible to or not licensed for", async () => {
    const h = await inWecom();
    const suite = h.simulator.suites.appSuite(APP_SUITE_ID)!;
    suite.installs = {[CUSTOMER]: {visibleTo: ['bob', 'carol'], unlicensed: ['carol']}};
    const pages: string[] = [];
    for (const identity of ['alice', 'carol']) {
      await signIn(h, identity);
      const {url, page} = await authorize(h, popupParams());
      const oauth = await h.browser.get(url, page);
      assert.equal(oauth.status, 200);
      pages.push(oauth.text);
    }
    assert.match(pages[0]!, /你不在该应用的可见范围/);
    assert.match(pages[1]!, /请联系服务商开通许可账号/);
  });

  it('refuses with login_not_allowed a member the app is not given to when WeCom sends a code anyway', async () => {
    const h = await inWecom();
    const suite = h.simulator.suites.appSuite(APP_SUITE_ID)!;
    h.simulator.setInClientRefusals('errcode');
    const refused: string[] = [];
    for (const installs of [{[CUSTOMER]: {visibleTo: ['bob']}}, {}] as Array<Record<string, {visibleTo?: string[]}>>) {
      suite.installs = installs;
      await signIn(h, 'alice');
      const result = readResult(await inClientLogin(h));
      assert.equal(result.type, 'wecom-sp-login:error');
      assert.equal(result.error.code, 'login_not_allowed');
      refused.push(result.error.message);
    }
    assert.match(refused[0]!, /请联系企业微信管理员/);
    assert.deepEqual(
      h.simulator.calls('getuserinfo3rd').map((call) => call.errcode),
      [50002, 48004],
    );
  });
});

describe("GET /connections/:id/workbench (the app's 应用主页)", () => {
  it('lands a member logged in on the launch URL, with a ticket that needs no verifier', async () => {
    const h = await inWecom();

    const start = await h.browser.get(`${h.baseUrl}/connections/acme/workbench`);
    assert.equal(start.status, 302);
    assert.match(
      start.headers.get('location')!,
      /\/connect\/oauth2\/authorize\?appid=wwappsuite0000001&.*&scope=snsapi_base&state=[A-Za-z0-9]{32}#wechat_redirect$/,
    );
    const callback = await throughOauth(h, start.headers.get('location')!, start);

    assert.equal(callback.status, 302);
    const landing = new URL(callback.headers.get('location')!);
    assert.equal(`${landing.origin}${landing.pathname}`, `${HOST_ORIGIN}/app`);
    const redeemed = await redeem(h, new URLSearchParams(landing.hash.slice(1)).get('wecom_sp_login')!);
    assert.equal(redeemed.status, 200, JSON.stringify(redeemed.json));
    const claims = await verify(h, redeemed.json.idToken);
    assert.deepEqual(claims.amr, ['wecom_client']);
    assert.equal(claims.nonce, undefined);
    assert.equal(redeemed.json.user.userId, 'alice');
  });

  it('lands on return_to when it is on an allowed origin', async () => {
    const h = await inWecom();
    const start = await h.browser.get(
      `${h.baseUrl}/connections/acme/workbench?return_to=${encodeURIComponent(`${HOST_ORIGIN}/orders?id=7#top`)}`,
    );

    const callback = await throughOauth(h, start.headers.get('location')!, start);

    assert.match(
      callback.headers.get('location')!,
      new RegExp(`^${HOST_ORIGIN}/orders\\?id=7#wecom_sp_login=[A-Za-z0-9]{32}$`),
    );
  });

  it('refuses a return_to on another origin, in user info or of another scheme with 400, sending nowhere', async () => {
    const h = await inWecom();
    for (const returnTo of [
      'https://evil.example/',
      `${HOST_ORIGIN.replace('http:', 'http:')}@evil.example/`,
      'javascript:alert(1)',
    ]) {
      const refused = await h.browser.get(
        `${h.baseUrl}/connections/acme/workbench?return_to=${encodeURIComponent(returnTo)}`,
      );
      assert.equal(refused.status, 400, returnTo);
      assert.equal(refused.headers.get('location'), null);
    }
  });

  for (const [without, start, pattern] of [
    ['a page to land on', () => inWecom({connection: {launchUrl: null}}), /return_to/],
    ['an app suite', () => setup(), /此连接没有第三方应用/],
  ] as const) {
    it(`is a clear 400 page without ${without}, recording nothing`, async () => {
      const h = await start();

      const page = await h.browser.get(`${h.baseUrl}/connections/acme/workbench`);

      assert.equal(page.status, 400);
      assert.match(page.headers.get('content-type')!, /text\/html/);
      assert.match(page.text, pattern);
      assert.equal(await h.countRows('login_transactions'), 0);
    });
  }

  it('lands a refused login on the page with #wecom_sp_login_error', async () => {
    const h = await inWecom({}, 'gina');
    const start = await h.browser.get(`${h.baseUrl}/connections/acme/workbench`);

    const callback = await throughOauth(h, start.headers.get('location')!, start);

    assert.equal(callback.headers.get('location'), `${HOST_ORIGIN}/app#wecom_sp_login_error=login_not_allowed`);
  });

  it('refuses a login finished in another browser with invalid_state on the landing page', async () => {
    const h = await inWecom();
    const again = await h.browser.get(`${h.baseUrl}/connections/acme/workbench`);
    const oauth = await h.browser.get(again.headers.get('location')!, again);
    h.browser.clearCookies();
    const elsewhere = await h.browser.get(oauth.headers.get('location')!);
    assert.equal(elsewhere.headers.get('location'), `${HOST_ORIGIN}/app#wecom_sp_login_error=invalid_state`);
  });
});

describe("the app suite's callback (指令回调 and 数据回调)", () => {
  for (const receiveId of ['corp', 'suite'] as const) {
    it(`passes WeCom's URL check with the ${receiveId} as receiveid`, async () => {
      const h = await setup({appSuite: true});

      const checked = await h.simulator.ticketPusher.verifyCallback(APP_SUITE_ID, {receiveId});

      assert.equal(checked.accepted, true, JSON.stringify(checked));
    });
  }

  it('stores pushed tickets and shows the admin when they came, never their value', async () => {
    const h = await setup({appSuite: true});
    const pushed = await h.simulator.ticketPusher.pushTicket(APP_SUITE_ID);
    assert.equal(pushed.accepted, true);

    const tickets = await h.store.suiteTickets.read(APP_SUITE_ID);
    const status = await adminRequest(h, 'GET', '/api/connections/acme/app-suite-ticket');

    assert.equal(tickets!.newest.ticket, pushed.ticket);
    assert.equal(status.status, 200);
    assert.equal(status.json.appSuiteId, APP_SUITE_ID);
    assert.equal(typeof status.json.received.receivedAt, 'number');
    assertNoneIn(status.text, APP_SUITE_ID, [pushed.ticket!], 'the answer');
    assertNoneIn(h.logs.join('\n'), 'app-callback', [pushed.ticket!], 'the log');
  });

  it("acknowledges install events and enterprises' data callbacks with success, logging no AuthCode", async () => {
    const h = await setup({appSuite: true});
    const pusher = h.simulator.ticketPusher;
    const deliveries = [
      await pusher.pushSuiteEvent(APP_SUITE_ID, 'create_auth', CUSTOMER),
      await pusher.pushSuiteEvent(APP_SUITE_ID, 'change_auth', CUSTOMER),
      await pusher.pushSuiteEvent(APP_SUITE_ID, 'cancel_auth', CUSTOMER),
      await pusher.pushSuiteEvent(APP_SUITE_ID, 'reset_permanent_code', CUSTOMER),
      await pusher.pushDataEvent(APP_SUITE_ID, CUSTOMER, 'unlicensed_notify', 'alice'),
    ];
    for (const delivery of deliveries) assert.deepEqual([delivery.status, delivery.body], [200, 'success']);
    assert.equal(h.logs.filter((line) => line.includes('WeCom sent an app suite event')).length, 4);
    assert.equal(
      h.logs.some((line) => /AuthCode|authCode/.test(line)),
      false,
    );
    assert.equal(await h.store.suiteTickets.read(APP_SUITE_ID), null);
  });

  it("is the uniform 400 for anything but its own app suite's well-signed pushes", async () => {
    const h = await setup({appSuite: true, serviceApp: {}});
    const plain = await setup();
    // The login suite's pusher posts to acme-sa's wecom-callback; aimed at app-callback it is signed with the wrong
    // keys.
    const suite = h.simulator.suites.suite('wwloginsuite00001')!;
    suite.callback = {...suite.callback!, url: `${h.baseUrl}/connections/acme/app-callback`};
    const wrongKeys = await h.simulator.ticketPusher.pushTicket('wwloginsuite00001');
    const noSuite = await fetch(
      `${plain.baseUrl}/connections/acme/app-callback?msg_signature=x&timestamp=1&nonce=1&echostr=x`,
    );

    assert.deepEqual([wrongKeys.status, wrongKeys.accepted], [400, false]);
    assert.equal(noSuite.status, 400);
    assert.equal(await h.store.suiteTickets.read('wwloginsuite00001'), null);
    assert.equal(await h.store.suiteTickets.read(APP_SUITE_ID), null);
  });

  it("checks the app suite's credentials on request: ?protocol=wecom-client", async () => {
    const h = await setup({appSuite: true});
    const before = await adminRequest(h, 'POST', '/api/connections/acme/check?protocol=wecom-client');
    await h.simulator.ticketPusher.pushTicket(APP_SUITE_ID);
    const after = await adminRequest(h, 'POST', '/api/connections/acme/check?protocol=wecom-client');
    const unknown = await adminRequest(h, 'POST', '/api/connections/acme/check?protocol=carrier-pigeon');

    assert.notEqual(before.json.diagnosis, 'ok');
    assert.equal(after.json.diagnosis, 'ok', JSON.stringify(after.json));
    assert.match(after.json.message, /app suite/);
    assert.equal(unknown.status, 400);
  });
});

describe('connections with an app suite', () => {
  it('take the app suite from the admin API, all of it or none, sealed and never returned', async () => {
    const h = await setup();
    const half = await adminRequest(h, 'PATCH', '/api/connections/acme', {appSuiteId: APP_SUITE_ID});
    const badKey = await adminRequest(h, 'PATCH', '/api/connections/acme', {
      ...APP_SUITE_FIELDS,
      appEncodingAesKey: 'short',
    });
    const badId = await adminRequest(h, 'PATCH', '/api/connections/acme', {
      ...APP_SUITE_FIELDS,
      appSuiteId: 'not-a-suite',
    });
    const whole = await adminRequest(h, 'PATCH', '/api/connections/acme', APP_SUITE_FIELDS);

    assert.deepEqual([half.status, half.json.error.field], [400, 'appSuiteSecret']);
    assert.deepEqual([badKey.status, badKey.json.error.field], [400, 'appEncodingAesKey']);
    assert.deepEqual([badId.status, badId.json.error.field], [400, 'appSuiteId']);
    assert.equal(whole.status, 200, whole.text);
    assert.equal(whole.json.appSuiteId, APP_SUITE_ID);
    assert.deepEqual(whole.json.secretsSet, [
      'providerSecret',
      'appSuiteSecret',
      'appCallbackToken',
      'appEncodingAesKey',
    ]);
    assert.equal(whole.text.includes(APP_SUITE_FIELDS.appSuiteSecret), false);
    const row = (await h.tableRows('connections')).find((stored) => stored.identifier === 'acme');
    assert.ok(row);
    assert.equal(JSON.stringify(row).includes(APP_SUITE_FIELDS.appSuiteSecret), false);
    assert.equal(JSON.stringify(row).includes(APP_SUITE_FIELDS.appEncodingAesKey), false);
    assert.equal((await h.store.connections.getForExchange('acme')).appSuiteSecret, APP_SUITE_FIELDS.appSuiteSecret);
  });
});
