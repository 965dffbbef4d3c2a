import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {PROVIDER_CORP_ID, PROVIDER_SECRET, setup, type Harness} from '../helpers/login-harness.ts';

async function call(h: Harness, endpoint: string, body: unknown, query = ''): Promise<{status: number; json: Record<string, any>}> {
  const response = await fetch(`${h.simulatorUrl}/cgi-bin/service/${endpoint}${query}`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body)});
  return {status: response.status, json: await response.json()};
}

async function token(h: Harness): Promise<string> {
  return (await call(h, 'get_provider_token', {corpid: PROVIDER_CORP_ID, provider_secret: PROVIDER_SECRET})).json.provider_access_token;
}

const ERRMSG = /^[a-z_ ]+, hint: \[\d+\], from ip: 127\.0\.0\.1, more info at https:\/\/open\.work\.weixin\.qq\.com\/devtool\/query\?e=-?\d+$/;

describe('WeCom simulator: get_provider_token', () => {
  it('answers success with no errcode or errmsg at all', async () => {
    const h = await setup();

    const {status, json} = await call(h, 'get_provider_token', {corpid: PROVIDER_CORP_ID, provider_secret: PROVIDER_SECRET});

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

    const {json} = await call(h, 'get_login_info', {auth_code: h.simulator.issueAuthCode('alice')}, `?access_token=${await token(h)}`);

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

    const {json} = await call(h, 'get_login_info', {auth_code: h.simulator.issueAuthCode('carol')}, `?access_token=${await token(h)}`);

    assert.equal(json.usertype, 2);
    assert.equal(typeof json.agent[0].agentid, 'number');
    assert.equal(typeof json.agent[0].auth_type, 'number');
    assert.equal(typeof json.auth_info.department[0].id, 'number');
    assert.equal(typeof json.auth_info.department[0].writable, 'boolean');
  });

  it('omits userid, open_userid and avatar for a user outside the contacts', async () => {
    const h = await setup();

    const {json} = await call(h, 'get_login_info', {auth_code: h.simulator.issueAuthCode('frank')}, `?access_token=${await token(h)}`);

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
    const simulator = createWecomSimulator({providers: [{corpId: PROVIDER_CORP_ID, providerSecret: 'x', loginDomains: [], callbackDomains: []}], now: () => now});
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

    assert.deepEqual(h.simulator.calls().map((c) => [c.endpoint, c.errcode]), [['get_provider_token', 0], ['get_login_info', 40014]]);
  });
});
