import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {DEFAULT_IDENTITIES} from '../../demo/wecom-simulator/identities.ts';
import {popupParams, providerConnection, readResult, resultCode, setup} from '../helpers/login-harness.ts';

describe('GET /connections/:identifier/callback security', () => {
  it('rejects a state that was already used', async () => {
    const h = await setup();
    const {qrPage, state} = await h.openQrPage();
    await h.scan(qrPage, 'alice');

    const replay = await h.browser.get(
      `${h.baseUrl}/connections/acme/callback?auth_code=${h.simulator.issueAuthCode('alice')}&state=${state}`,
    );

    assert.equal(replay.status, 400);
    assert.equal(resultCode(replay), 'invalid_state');
    assert.equal(h.simulator.calls('get_login_info').length, 1);
  });

  it('rejects a forged state without calling WeCom and posts nothing', async () => {
    const h = await setup();

    const page = await h.browser.get(
      `${h.baseUrl}/connections/acme/callback?auth_code=${h.simulator.issueAuthCode('alice')}` +
        `&state=ForgedStateForgedStateForgedStat`,
    );

    assert.equal(page.status, 400);
    assert.equal(resultCode(page), 'invalid_state');
    assert.doesNotMatch(page.text, /<meta name="wecom-sp-login-target-origin"/);
    assert.equal(h.simulator.calls('get_login_info').length, 0);
  });

  it('rejects a state that comes back in another browser (no binding cookie)', async () => {
    const h = await setup();
    const {qrPage} = await h.openQrPage();

    h.browser.clearCookies();
    const page = await h.scan(qrPage, 'alice');

    assert.equal(resultCode(page), 'invalid_state');
    assert.equal(h.simulator.calls('get_login_info').length, 0);
    assert.equal((await h.store.users.list('acme', {limit: 5})).items.length, 0);
  });

  it('rejects a state that belongs to another connection', async () => {
    const h = await setup();
    await h.store.connections.create(
      providerConnection('other', {providerSecret: 'x', allowedOrigins: [], launchUrl: null}),
    );
    const {state} = await h.openQrPage();

    const page = await h.browser.get(
      `${h.baseUrl}/connections/other/callback?auth_code=${h.simulator.issueAuthCode('alice')}&state=${state}`,
    );

    assert.equal(resultCode(page), 'invalid_state');
  });

  it('refuses an auth_code that was already exchanged', async () => {
    const h = await setup();
    const code = h.simulator.issueAuthCode('alice');
    const first = await h.openQrPage();
    await h.browser.get(`${h.baseUrl}/connections/acme/callback?auth_code=${code}&state=${first.state}`);

    const second = await h.openQrPage();
    const page = await h.browser.get(`${h.baseUrl}/connections/acme/callback?auth_code=${code}&state=${second.state}`);
    const message = readResult(page);

    assert.equal(message.type === 'wecom-sp-login:error' && message.error.code, 'exchange_failed');
    assert.equal(message.nonce.length > 0, true);
    const audit = await h.store.audit.list({limit: 1});
    assert.equal(audit.items[0]!.wecomErrcode, 40029);
  });

  it('reports login_cancelled when WeCom comes back without an auth_code', async () => {
    const h = await setup();
    const params = popupParams();
    const {qrPage} = await h.openQrPage(params);
    const cancelHref = /id="cancel" href="([^"]+)"/.exec(qrPage.text)![1]!;

    const back = await h.browser.get(`${h.simulatorUrl}${cancelHref}`, qrPage);
    const page = await h.browser.get(back.headers.get('location')!, back);
    const message = readResult(page);

    assert.equal(message.type === 'wecom-sp-login:error' && message.error.code, 'login_cancelled');
    assert.equal(message.nonce, params.nonce);
  });

  it('refuses an unknown user on a login-only connection and records the refusal', async () => {
    const h = await setup({connection: {loginMode: 'login-only'}});

    const message = readResult(await h.login('alice'));
    const audit = await h.store.audit.list({limit: 5});

    assert.equal(message.type === 'wecom-sp-login:error' && message.error.code, 'login_not_allowed');
    assert.equal((await h.store.users.list('acme', {limit: 5})).items.length, 0);
    assert.equal(audit.items[0]!.event, 'login_refused');
  });

  it('lets a known user in on a login-only connection', async () => {
    const h = await setup();
    await h.login('alice');
    await h.store.connections.update('acme', {loginMode: 'login-only'});

    const message = readResult(await h.login('alice'));

    assert.equal(message.type, 'wecom-sp-login:success');
  });

  it('refuses a WeCom user outside the contacts, who has no stable id', async () => {
    const h = await setup();

    const message = readResult(await h.login('frank'));

    assert.equal(message.type === 'wecom-sp-login:error' && message.error.code, 'login_not_allowed');
  });

  it('escapes </script> in a WeCom name on the result page', async () => {
    const evil = {...DEFAULT_IDENTITIES[0]!, key: 'mallory', userid: '</script><script>alert(1)</script>'};
    const h = await setup({identities: [evil]});

    const page = await h.login('mallory');
    const message = readResult(page);

    assert.equal(message.type === 'wecom-sp-login:success' && message.user.name, '</script><script>alert(1)</script>');
    assert.equal(page.text.match(/<\/script>/g)!.length, 2);
    assert.doesNotMatch(page.text, /alert\(1\)<\/script>/);
  });

  it('refuses a callback whose appid is another CorpID', async () => {
    const h = await setup();
    const {state} = await h.openQrPage();

    const page = await h.browser.get(
      `${h.baseUrl}/connections/acme/callback?auth_code=${h.simulator.issueAuthCode('alice')}&state=${state}` +
        `&appid=wwsomeoneelse0001`,
    );

    assert.equal(resultCode(page), 'invalid_request');
    assert.equal(h.simulator.calls('get_login_info').length, 0);
  });
});
