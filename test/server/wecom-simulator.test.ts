import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {
  APP_SUITE_ID,
  APP_SUITE_SECRET,
  PROVIDER_CORP_ID,
  PROVIDER_SECRET,
  setup,
  SUITE_ID,
  WECOM_CLIENT_UA,
  type Harness,
} from '../helpers/login-harness.ts';

async function call(
  h: Harness,
  endpoint: string,
  body: unknown,
  query = '',
): Promise<{status: number; json: Record<string, any>}> {
  const response = await fetch(`${h.simulatorUrl}/cgi-bin/service/${endpoint}${query}`, {
    method: 'POST',
    headers: {'content-type': 'application/json'},
    body: JSON.stringify(body),
  });
  return {status: response.status, json: await response.json()};
}

async function token(h: Harness): Promise<string> {
  return (await call(h, 'get_provider_token', {corpid: PROVIDER_CORP_ID, provider_secret: PROVIDER_SECRET})).json
    .provider_access_token;
}

const ERRMSG =
  /^[a-z_ ]+, hint: \[\d+\], from ip: 127\.0\.0\.1, more info at https:\/\/open\.work\.weixin\.qq\.com\/devtool\/query\?e=-?\d+$/;

describe('WeCom simulator: get_provider_token', () => {
  it('answers success with no errcode or errmsg at all', async () => {
    const h = await setup();

    const {status, json} = await call(h, 'get_provider_token', {
      corpid: PROVIDER_CORP_ID,
      provider_secret: PROVIDER_SECRET,
    });

    assert.equal(status, 200);
    assert.deepEqual(Object.keys(json).sort(), ['expires_in', 'provider_access_token']);
    assert.equal(json.expires_in, 7200);
  });

  it('returns the same token while it is valid', async () => {
    const h = await setup();

    assert.equal(await token(h), await token(h));
  });

  it('answers a wrong secret with 40001, HTTP 200 and WeCom errmsg format', async () => {
    const h = await setup();

    const {status, json} = await call(h, 'get_provider_token', {corpid: PROVIDER_CORP_ID, provider_secret: 'wrong'});

    assert.equal(status, 200);
    assert.equal(json.errcode, 40001);
    assert.match(json.errmsg, ERRMSG);
    assert.match(json.errmsg, /^invalid credential/);
  });

  it('answers an unknown corpid with 40013 and missing fields with 41002 / 41004', async () => {
    const h = await setup();

    assert.equal((await call(h, 'get_provider_token', {corpid: 'wwnobody', provider_secret: 'x'})).json.errcode, 40013);
    assert.equal((await call(h, 'get_provider_token', {provider_secret: 'x'})).json.errcode, 41002);
    assert.equal((await call(h, 'get_provider_token', {corpid: PROVIDER_CORP_ID})).json.errcode, 41004);
  });

  it('answers 60020 with the caller IP when the IP is not whitelisted', async () => {
    const h = await setup();
    h.simulator.setIpWhitelist(['192.0.2.1']);

    const {json} = await call(h, 'get_provider_token', {corpid: PROVIDER_CORP_ID, provider_secret: PROVIDER_SECRET});

    assert.equal(json.errcode, 60020);
    assert.match(json.errmsg, /^not allow to access from your ip, hint: .*from ip: 127\.0\.0\.1/);
  });
});

describe('WeCom simulator: get_login_info', () => {
  it('answers a member with the documented fields and types, without agent or auth_info', async () => {
    const h = await setup();

    const {json} = await call(
      h,
      'get_login_info',
      {auth_code: h.simulator.issueAuthCode('alice')},
      `?access_token=${await token(h)}`,
    );

    assert.equal(json.errcode, 0);
    assert.equal(json.errmsg, 'ok');
    assert.equal(json.usertype, 5);
    assert.deepEqual(Object.keys(json.user_info).sort(), ['avatar', 'name', 'open_userid', 'userid']);
    assert.equal(json.user_info.name, json.user_info.userid);
    assert.equal(typeof json.corp_info.corpid, 'string');
    assert.equal('agent' in json, false);
    assert.equal('auth_info' in json, false);
  });

  it('answers an admin with agent[] and auth_info with integer ids and boolean writable', async () => {
    const h = await setup();

    const {json} = await call(
      h,
      'get_login_info',
      {auth_code: h.simulator.issueAuthCode('carol')},
      `?access_token=${await token(h)}`,
    );

    assert.equal(json.usertype, 2);
    assert.equal(typeof json.agent[0].agentid, 'number');
    assert.equal(typeof json.agent[0].auth_type, 'number');
    assert.equal(typeof json.auth_info.department[0].id, 'number');
    assert.equal(typeof json.auth_info.department[0].writable, 'boolean');
  });

  it('omits userid, open_userid and avatar for a user outside the contacts', async () => {
    const h = await setup();

    const {json} = await call(
      h,
      'get_login_info',
      {auth_code: h.simulator.issueAuthCode('frank')},
      `?access_token=${await token(h)}`,
    );

    assert.deepEqual(Object.keys(json.user_info), ['name']);
  });

  it('accepts an auth_code once, then answers 40029 with an empty agent list', async () => {
    const h = await setup();
    const code = h.simulator.issueAuthCode('alice');
    const accessToken = await token(h);

    await call(h, 'get_login_info', {auth_code: code}, `?access_token=${accessToken}`);
    const {json} = await call(h, 'get_login_info', {auth_code: code}, `?access_token=${accessToken}`);

    assert.equal(json.errcode, 40029);
    assert.deepEqual(json.agent, []);
    assert.match(json.errmsg, ERRMSG);
  });

  it('expires an auth_code after five minutes', async () => {
    let now = Date.now();
    const {createWecomSimulator} = await import('../../demo/wecom-simulator/simulator.ts');
    const simulator = createWecomSimulator({
      providers: [{corpId: PROVIDER_CORP_ID, providerSecret: 'x', loginDomains: [], callbackDomains: []}],
      now: () => now,
    });
    const code = simulator.issueAuthCode('alice');

    now += 300_001;

    assert.equal(simulator.consumeAuthCode(code, PROVIDER_CORP_ID), undefined);
  });

  it('answers 41001 without a token, 40014 for an unknown one and 41008 without a code', async () => {
    const h = await setup();

    assert.equal((await call(h, 'get_login_info', {auth_code: 'x'})).json.errcode, 41001);
    assert.equal((await call(h, 'get_login_info', {auth_code: 'x'}, '?access_token=nope')).json.errcode, 40014);
    assert.equal((await call(h, 'get_login_info', {}, `?access_token=${await token(h)}`)).json.errcode, 41008);
  });

  it('counts the calls it received', async () => {
    const h = await setup();

    await token(h);
    await call(h, 'get_login_info', {auth_code: 'x'}, '?access_token=nope');

    assert.deepEqual(
      h.simulator.calls().map((c) => [c.endpoint, c.errcode]),
      [
        ['get_provider_token', 0],
        ['get_login_info', 40014],
      ],
    );
  });
});

describe('WeCom simulator: the in-client authorization (oauth2/authorize) of an app suite', () => {
  const authorizeUrl = (h: Harness, query: Record<string, string> = {}) =>
    `${h.simulatorUrl}/connect/oauth2/authorize?${new URLSearchParams({
      appid: APP_SUITE_ID,
      redirect_uri: `${h.baseUrl}/connections/acme/callback?x=1`,
      response_type: 'code',
      scope: 'snsapi_base',
      state: 'abc123',
      ...query,
    })}`;

  it('outside the WeCom client answers 请在企业微信客户端打开链接 (200, no redirect)', async () => {
    const h = await setup({appSuite: true});
    const page = await h.browser.get(authorizeUrl(h));

    assert.equal(page.status, 200);
    assert.match(page.text, /请在企业微信客户端打开链接/);
    assert.match(page.text, /\/sim\/wecom-client\/continue\?[^"]*as=alice/);
  });

  it('inside it comes straight back with a 43-character code and the state', async () => {
    const h = await setup({appSuite: true});
    h.browser.userAgent = WECOM_CLIENT_UA;
    await h.browser.get(`${h.simulatorUrl}/sim/wecom-client/sign-in?as=alice`);

    const back = await h.browser.get(authorizeUrl(h));
    const empty = await h.browser.get(authorizeUrl(h, {state: ''}));

    assert.equal(back.status, 302);
    assert.match(
      back.headers.get('location')!,
      new RegExp(`^${h.baseUrl}/connections/acme/callback\\?x=1&code=[\\w-]{43}&state=abc123$`),
    );
    assert.match(empty.headers.get('location')!, /&state=$/, 'an empty state comes back empty');
  });

  it("refuses what WeCom's page refuses: a wrong appid, redirect_uri, scope or state", async () => {
    const h = await setup({appSuite: true});
    h.browser.userAgent = WECOM_CLIENT_UA;
    await h.browser.get(`${h.simulatorUrl}/sim/wecom-client/sign-in?as=alice`);
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{appid: SUITE_ID}, /appid 参数错误/],
      [{appid: PROVIDER_CORP_ID}, /appid 参数错误/],
      [{redirect_uri: 'https://evil.example/callback'}, /redirect_uri参数错误/],
      [{scope: 'snsapi_userinfo'}, /scope 参数错误/],
      [{state: 'not+alphanumeric'}, /84025/],
      [{response_type: 'token'}, /response_type must be code/],
    ];
    for (const [query, page] of cases) {
      const answer = await h.browser.get(authorizeUrl(h, query));
      assert.equal(answer.status, 200, JSON.stringify(query));
      assert.match(answer.text, page);
    }
  });

  it('tells the provider of an unlicensed member by its data callback (unlicensed_notify)', async () => {
    const h = await setup({appSuite: true});
    h.simulator.suites.appSuite(APP_SUITE_ID)!.installs = {wwcustomer0000001: {unlicensed: ['bob']}};
    h.browser.userAgent = WECOM_CLIENT_UA;
    await h.browser.get(`${h.simulatorUrl}/sim/wecom-client/sign-in?as=bob`);

    const page = await h.browser.get(authorizeUrl(h));
    for (let i = 0; i < 50 && h.simulator.ticketPusher.deliveries.length === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));

    assert.match(page.text, /请联系服务商开通许可账号/);
    assert.deepEqual(
      h.simulator.ticketPusher.deliveries.map((d) => [d.status, d.body]),
      [[200, 'success']],
    );
    assert.ok(
      h.logs.some((line) => line.includes('"event":"unlicensed_notify"') && line.includes('wwcustomer0000001')),
    );
  });

  it('gives the same corpid and open_userid for a person as get_login_info does', async () => {
    const h = await setup({appSuite: true});
    await h.simulator.ticketPusher.pushTicket(APP_SUITE_ID);
    h.browser.userAgent = WECOM_CLIENT_UA;
    await h.browser.get(`${h.simulatorUrl}/sim/wecom-client/sign-in?as=carol`);
    const code = new URL((await h.browser.get(authorizeUrl(h))).headers.get('location')!).searchParams.get('code')!;
    const ticket = (await h.store.suiteTickets.read(APP_SUITE_ID))!.newest.ticket;
    const suiteToken = (
      await call(h, 'get_suite_token', {suite_id: APP_SUITE_ID, suite_secret: APP_SUITE_SECRET, suite_ticket: ticket})
    ).json.suite_access_token;
    const inClient = await (
      await fetch(
        `${h.simulatorUrl}/cgi-bin/service/auth/getuserinfo3rd?suite_access_token=${suiteToken}` +
          `&code=${encodeURIComponent(code)}`,
      )
    ).json();
    const qr = (
      await call(
        h,
        'get_login_info',
        {auth_code: h.simulator.issueAuthCode('carol')},
        `?access_token=${await token(h)}`,
      )
    ).json;

    assert.deepEqual([inClient.corpid, inClient.open_userid], [qr.corp_info.corpid, qr.user_info.open_userid]);
    assert.equal(inClient.user_ticket, undefined, 'snsapi_base: no user_ticket');
  });
});
