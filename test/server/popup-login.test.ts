import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {describe, it} from 'node:test';
import {createLocalJWKSet, jwtVerify} from 'jose';
import {HOST_ORIGIN, PROVIDER_CORP_ID, popupParams, readResult, setup} from '../helpers/login-harness.ts';

describe('popup login through the WeCom simulator', () => {
  it('navigates to 3rd_qrConnect with the provider CorpID, our callback, a fresh state and the usertype', async () => {
    const h = await setup();

    const {authorize, state} = await h.openQrPage();
    const url = new URL(JSON.parse(/id="wecom-sp-login-navigate">([^<]*)</.exec(authorize.text)![1]!).url);

    assert.equal(url.origin + url.pathname, `${h.simulatorUrl}/wwopen/sso/3rd_qrConnect`);
    assert.equal(url.searchParams.get('appid'), PROVIDER_CORP_ID);
    assert.equal(url.searchParams.get('redirect_uri'), `${h.baseUrl}/connections/acme/callback`);
    assert.equal(url.searchParams.get('usertype'), 'member');
    assert.match(state, /^[A-Za-z0-9]{32}$/);
    assert.equal(authorize.headers.get('referrer-policy'), 'origin');
  });

  it('posts a signed ID token to exactly the host origin and closes', async () => {
    const h = await setup();
    const params = popupParams();

    const page = await h.login('alice', params);
    const message = readResult(page);

    assert.equal(page.status, 200);
    assert.equal(message.type, 'wecom-sp-login:success');
    assert.equal(message.nonce, params.nonce);
    assert.match(page.text, new RegExp(`<meta name="wecom-sp-login-target-origin" content="${HOST_ORIGIN}">`));
    assert.equal(page.headers.get('cache-control'), 'no-store');
  });

  it('issues a token that verifies against the JWKS with the designed claims', async () => {
    const h = await setup();
    const params = popupParams();

    const message = readResult(await h.login('alice', params));
    assert.equal(message.type, 'wecom-sp-login:success');
    const jwks = await (await fetch(`${h.baseUrl}/.well-known/jwks.json`)).json();
    const {payload, protectedHeader} = await jwtVerify(message.idToken, createLocalJWKSet(jwks), {
      issuer: h.baseUrl,
      audience: 'acme',
    });

    assert.equal(protectedHeader.alg, 'ES256');
    assert.equal(payload.azp, HOST_ORIGIN);
    assert.equal(payload.nonce, params.nonce);
    assert.equal(payload.sub, message.user.id);
    assert.equal(payload.corp_id, 'wwcustomer0000001');
    assert.equal(payload.userid, 'alice');
    assert.equal(payload.usertype, 5);
    assert.ok(payload.exp! - payload.iat! <= 600);
  });

  it('stores the user once and recognises them on the next login', async () => {
    const h = await setup();

    const first = readResult(await h.login('alice'));
    const second = readResult(await h.login('alice'));
    const users = await h.store.users.list('acme', {limit: 10});

    assert.equal(first.type, 'wecom-sp-login:success');
    assert.equal(second.type, 'wecom-sp-login:success');
    assert.equal(first.user.id, second.user.id);
    assert.equal(users.items.length, 1);
    assert.equal(users.items[0]!.loginCount, 2);
    assert.equal(users.items[0]!.openUserId, first.user.openUserId);
  });

  it('allows exactly the fixed result script by its hash and no other', async () => {
    const h = await setup();

    const page = await h.login();
    const script = /<script>([\s\S]*?)<\/script>/.exec(page.text)![1]!;
    const hash = createHash('sha256').update(script).digest('base64');
    const csp = page.headers.get('content-security-policy')!;

    assert.match(csp, new RegExp(`script-src 'sha256-${hash.replace(/[+/]/g, '\\$&')}'`));
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
  });

  it('lets only the host origin frame the pages of an embedded login', async () => {
    const h = await setup();
    const params = {...popupParams(), mode: 'embedded'};

    const {qrPage, authorize} = await h.openQrPage(params);
    const page = await h.scan(qrPage, 'alice');

    assert.match(authorize.headers.get('content-security-policy')!, new RegExp(`frame-ancestors ${HOST_ORIGIN}$`));
    assert.match(page.headers.get('content-security-policy')!, new RegExp(`frame-ancestors ${HOST_ORIGIN}$`));
    assert.equal(page.headers.get('x-frame-options'), null);
    assert.equal(readResult(page).type, 'wecom-sp-login:success');
  });

  it('logs every login in the audit log', async () => {
    const h = await setup();

    await h.login('alice');
    const audit = await h.store.audit.list({limit: 10});

    assert.equal(audit.items.length, 1);
    assert.equal(audit.items[0]!.event, 'login_succeeded');
    assert.equal(audit.items[0]!.connection, 'acme');
  });
});
