import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {createLocalJWKSet, jwtVerify} from 'jose';
import {
  adminRequest,
  CALLBACK_TOKEN,
  ENCODING_AES_KEY,
  HOST_ORIGIN,
  BETA_SERVICE_APP_BODY,
  PROVIDER_SECRET,
  popupParams,
  readResult,
  redirectParams,
  setup,
  SUITE_ID,
  SUITE_SECRET,
  type Harness,
} from '../helpers/login-harness.ts';
import {assertNoneIn} from '../helpers/absence.ts';

describe("logging in with WeCom's new login (login_type=ServiceApp)", () => {
  it('leads to wwlogin with the SuiteID as appid, no agentid and no fragment', async () => {
    const h = await setup({serviceApp: {}});
    const {state, authorize} = await h.openQrPage(popupParams(), 'acme-sa');
    const url = /"url":"([^"]+)"/.exec(authorize.text)![1]!.replaceAll('\\u0026', '&');
    assert.equal(
      url,
      `${h.simulatorUrl}/wwlogin/sso/login` +
        `?${new URLSearchParams({login_type: 'ServiceApp', appid: SUITE_ID, redirect_uri: `${h.baseUrl}/connections/acme-sa/callback`, state})}`,
    );
    assert.match(state, /^[A-Za-z0-9_-]{22,128}$/);
  });

  it('navigates only its iframe in embedded mode (redirect_type=self)', async () => {
    const h = await setup({serviceApp: {}});

    const embedded = await h.openQrPage({...popupParams(), mode: 'embedded'}, 'acme-sa');

    assert.match(embedded.authorize.text, /redirect_type=self/);
  });

  it('logs a member in by popup as (corpid, open_userid), named by userid', async () => {
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
    const ticket = h.simulator.ticketPusher.deliveries.at(-1)!.ticket!;
    const suiteToken = h.simulator.suites.issueToken(SUITE_ID).token;
    const secrets = [SUITE_SECRET, CALLBACK_TOKEN, ENCODING_AES_KEY, suiteToken, ticket];
    assertNoneIn(h.logs.join('\n'), '"message":"login attempt"', secrets, 'the log');
  });

  it('logs in by redirect with a ticket', async () => {
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
  });

  it('logs in on a legacy connection of the same server beside it', async () => {
    const h = await setup({serviceApp: {}});
    await h.simulator.ticketPusher.pushTicket(SUITE_ID);
    const {qrPage} = await h.openQrPage(popupParams(), 'acme-sa');
    assert.equal(readResult(await h.scan(qrPage, 'alice')).type, 'wecom-sp-login:success');

    assert.equal(readResult(await h.login('bob')).type, 'wecom-sp-login:success');
  });

  it('refuses someone in no enterprise (openid only) with login_not_allowed, and writes no user', async () => {
    const h = await setup({serviceApp: {}});
    await h.simulator.ticketPusher.pushTicket(SUITE_ID);
    const {qrPage} = await h.openQrPage(popupParams(), 'acme-sa');
    const result = readResult(await h.scan(qrPage, 'gina'));
    assert.equal(result.type === 'wecom-sp-login:error' && result.error.code, 'login_not_allowed');
    assert.equal((await h.store.users.list('acme-sa', {limit: 5})).items.length, 0);
  });

  it('answers wecom_config_error, never a 5xx, with no suite_ticket yet, asking WeCom nothing', async () => {
    const h = await setup({serviceApp: {}});
    const {qrPage} = await h.openQrPage(popupParams(), 'acme-sa');

    const page = await h.scan(qrPage, 'alice');

    const result = readResult(page);
    assert.equal(result.type === 'wecom-sp-login:error' && result.error.code, 'wecom_config_error');
    assert.ok(page.status < 500, `status ${page.status}`);
    assert.equal(h.simulator.calls().length, 0, 'nothing was sent to WeCom without a ticket');
  });

  it('has the credential check say what to do with no suite_ticket yet, and ok once one is pushed', async () => {
    const h = await setup({serviceApp: {}});
    const check = await adminRequest(h, 'POST', '/api/connections/acme-sa/check');
    assert.equal(check.json.diagnosis, 'no_suite_ticket');
    assert.match(check.json.message, /刷新Ticket/);

    await h.simulator.ticketPusher.pushTicket(SUITE_ID);
    assert.deepEqual((await adminRequest(h, 'POST', '/api/connections/acme-sa/check')).json.diagnosis, 'ok');
  });

  it('tries the previous ticket once when WeCom refuses the newest (40085)', async () => {
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
  });

  it('fails as wecom_config_error when WeCom refuses the previous ticket too', async () => {
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

  for (const errcode of [40082, 42009] as const) {
    it(`drops the suite token on ${errcode} and retries once`, async () => {
      const h = await setup({serviceApp: {}});
      await h.simulator.ticketPusher.pushTicket(SUITE_ID);
      const first = await h.openQrPage(popupParams(), 'acme-sa');
      assert.equal(readResult(await h.scan(first.qrPage, 'alice')).type, 'wecom-sp-login:success');
      const {qrPage} = await h.openQrPage(popupParams(), 'acme-sa');
      h.simulator.suites.revokeTokens(errcode);

      assert.equal(readResult(await h.scan(qrPage, 'alice')).type, 'wecom-sp-login:success');
      assert.deepEqual(
        h.simulator.calls('getuserinfo3rd').map((call) => call.errcode),
        [0, errcode, 0],
      );
      assert.equal(h.simulator.calls('get_suite_token').length, 2);
    });
  }

  it('takes 40029 from getuserinfo3rd as final: exchange_failed, no retry', async () => {
    const h = await setup({serviceApp: {}});
    await h.simulator.ticketPusher.pushTicket(SUITE_ID);
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

  it('refuses every launch on a row saved without a ProviderSecret, asking WeCom nothing', async () => {
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
    const base = BETA_SERVICE_APP_BODY;

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
