import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {decodeProtectedHeader} from 'jose';
import * as oidc from 'openid-client';
import {APP_SUITE_ID, setup, WECOM_CLIENT_UA} from '../helpers/login-harness.ts';
import {readJsonScript} from '../helpers/test-browser.ts';
import {
  authorizationUrl,
  browserLogin,
  followRedirects,
  loginForTokens,
  relyingParty,
  RP_POST_LOGOUT_URI,
  RP_REDIRECT_URI,
} from '../helpers/oidc-relying-party.ts';

describe('OpenID provider: discovery and keys', () => {
  it('publishes the pinned discovery document: code flow, S256, basic and post, RS256, the iss parameter', async () => {
    const h = await setup();
    const response = await fetch(`${h.baseUrl}/oidc/.well-known/openid-configuration`);
    const discovery = (await response.json()) as Record<string, unknown>;
    const issuer = `${h.baseUrl}/oidc`;

    assert.equal(response.status, 200);
    assert.deepEqual(discovery, {
      issuer,
      authorization_endpoint: `${issuer}/auth`,
      token_endpoint: `${issuer}/token`,
      userinfo_endpoint: `${issuer}/me`,
      jwks_uri: `${issuer}/jwks`,
      end_session_endpoint: `${issuer}/session/end`,
      response_types_supported: ['code'],
      response_modes_supported: ['form_post', 'fragment', 'query'],
      grant_types_supported: ['authorization_code'],
      subject_types_supported: ['public'],
      scopes_supported: ['openid', 'profile', 'wecom'],
      claims_supported: [
        'sub',
        'amr',
        'name',
        'preferred_username',
        'picture',
        'corp_id',
        'open_userid',
        'userid',
        'usertype',
        'sid',
        'auth_time',
        'iss',
      ],
      claim_types_supported: ['normal'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      id_token_signing_alg_values_supported: ['ES256', 'RS256'],
      authorization_response_iss_parameter_supported: true,
      claims_parameter_supported: false,
      request_uri_parameter_supported: false,
    });
  });

  it('serves none of the features it leaves off: registration, PAR, introspection, revocation, devices', async () => {
    const h = await setup();

    for (const path of [
      '/oidc/reg',
      '/oidc/request',
      '/oidc/token/introspection',
      '/oidc/token/revocation',
      '/oidc/device/auth',
    ])
      assert.equal((await fetch(`${h.baseUrl}${path}`, {method: 'POST'})).status, 404, path);
  });

  it('publishes public RS256 and ES256 keys at /oidc/jwks, and the element keeps its ES256 ones apart', async () => {
    const h = await setup();
    const {keys} = (await (await fetch(`${h.baseUrl}/oidc/jwks`)).json()) as {keys: Array<Record<string, unknown>>};
    const element = (await (await fetch(`${h.baseUrl}/.well-known/jwks.json`)).json()) as {
      keys: Array<Record<string, unknown>>;
    };

    assert.deepEqual(keys.map((key) => key.alg).sort(), ['ES256', 'RS256']);
    for (const key of keys) assert.equal(key.d, undefined, `${String(key.kid)} publishes its private part`);
    assert.deepEqual(
      element.keys.map((key) => key.alg),
      ['ES256'],
    );
  });
});

describe('OpenID provider: logging in with openid-client', () => {
  it('logs a member in with code + PKCE (basic auth): RS256, profile and wecom claims, no email', async () => {
    const h = await setup();
    const rp = await relyingParty(h);

    const tokens = await loginForTokens(h, rp, 'alice');
    const claims = tokens.claims()!;
    const [user] = await h.tableRows('users');

    assert.equal(decodeProtectedHeader(tokens.id_token!).alg, 'RS256');
    assert.equal(claims.iss, `${h.baseUrl}/oidc`);
    assert.equal(claims.aud, rp.clientId);
    assert.equal(claims.sub, user!.id, 'sub is the user id the element’s tokens carry');
    assert.deepEqual(claims.amr, ['qr']);
    assert.equal(claims.preferred_username, 'alice');
    assert.equal(claims.name, 'alice');
    assert.equal(claims.picture, 'https://wework.qpic.cn/wwhead/alice/0');
    assert.equal(claims.corp_id, 'wwcustomer0000001');
    assert.equal(claims.open_userid, 'woalice0OpenUserId5');
    assert.equal(claims.usertype, 5);
    assert.equal(claims.email, undefined);
    assert.equal(tokens.token_type, 'bearer');
    assert.equal(tokens.refresh_token, undefined, 'no refresh tokens yet');
  });

  it('answers userinfo with the ID token’s sub and the scopes’ claims', async () => {
    const h = await setup();
    const rp = await relyingParty(h);
    const tokens = await loginForTokens(h, rp, 'bob');

    const info = await oidc.fetchUserInfo(rp.config, tokens.access_token, tokens.claims()!.sub);

    assert.equal(info.sub, tokens.claims()!.sub);
    assert.equal(info.preferred_username, 'bob');
    assert.equal(info.corp_id, 'wwcustomer0000001');
    assert.equal(info.usertype, 1);
    assert.equal(info.email, undefined);
  });

  it('logs in a client_secret_post client', async () => {
    const h = await setup();
    const rp = await relyingParty(h, {tokenEndpointAuthMethod: 'client_secret_post'});

    const tokens = await loginForTokens(h, rp, 'carol');

    assert.equal(tokens.claims()!.preferred_username, 'carol');
  });

  it('logs in a public client, which has no secret and must use PKCE', async () => {
    const h = await setup();
    const rp = await relyingParty(h, {tokenEndpointAuthMethod: 'none', name: 'SPA'});

    const tokens = await loginForTokens(h, rp, 'dave');

    assert.equal(rp.clientSecret, null);
    assert.equal(tokens.claims()!.preferred_username, 'dave');
  });

  it('signs with ES256 for a client that asks for it', async () => {
    const h = await setup();
    const rp = await relyingParty(h, {idTokenSignedResponseAlg: 'ES256'});

    const tokens = await loginForTokens(h, rp);

    assert.equal(decodeProtectedHeader(tokens.id_token!).alg, 'ES256');
  });

  it('ignores a requested email scope: no email claim, and the granted scope leaves it out', async () => {
    const h = await setup();
    const rp = await relyingParty(h);
    const {url, checks} = await authorizationUrl(rp, {scope: 'openid profile email'});

    const tokens = await oidc.authorizationCodeGrant(rp.config, (await browserLogin(h, url)).redirect, checks);

    assert.equal(tokens.claims()!.email, undefined);
    assert.deepEqual(tokens.scope?.split(' ').sort(), ['openid', 'profile']);
  });

  it('names the application and its site on the page before the QR code, which no one may frame', async () => {
    const h = await setup();
    const rp = await relyingParty(h, {name: 'Grafana <ops>'});
    const {url} = await authorizationUrl(rp);

    const {interactionPage} = await browserLogin(h, url);

    assert.equal(interactionPage.status, 200);
    assert.match(interactionPage.text, /Grafana &#60;ops&#62;/);
    assert.match(interactionPage.text, /localhost:7999/);
    assert.match(interactionPage.headers.get('content-security-policy')!, /frame-ancestors 'none'/);
    assert.equal(interactionPage.headers.get('x-frame-options'), 'DENY');
  });
});

describe('OpenID provider: inside the WeCom client', () => {
  it('logs a member in with no QR code where the connection has an app suite: amr wecom_client', async () => {
    const h = await setup({appSuite: true});
    assert.equal((await h.simulator.ticketPusher.pushTicket(APP_SUITE_ID)).accepted, true);
    h.browser.userAgent = WECOM_CLIENT_UA;
    await h.browser.get(`${h.simulatorUrl}/sim/wecom-client/sign-in?as=erin`);
    const rp = await relyingParty(h);
    const {url, checks} = await authorizationUrl(rp);

    const interaction = await followRedirects(h.browser, await h.browser.get(url.href), RP_REDIRECT_URI);
    const link = /href="([^"]+\/wecom)"/.exec(interaction.page.text)![1]!;
    const navigate = await h.browser.get(new URL(link, interaction.page.url).href, interaction.page);
    const oauthUrl = readJsonScript<{url: string}>(navigate.text, 'wecom-sp-login-navigate').url;
    const oauth = await h.browser.get(oauthUrl, navigate);
    const callback = await h.browser.get(oauth.headers.get('location')!, oauth);
    const {location} = await followRedirects(h.browser, callback, RP_REDIRECT_URI);
    const tokens = await oidc.authorizationCodeGrant(rp.config, location!, checks);

    assert.match(oauthUrl, /\/connect\/oauth2\/authorize\?appid=/);
    assert.deepEqual(tokens.claims()!.amr, ['wecom_client']);
    assert.equal(tokens.claims()!.preferred_username, 'erin');
  });
});

describe('OpenID provider: audit and metrics', () => {
  it('audits each login with its client, and counts logins by client and outcome', async () => {
    const metricsToken = 'Zq8wN3vKp5Rx7Lm2Tb9Yc4Hd';
    const h = await setup({metricsToken});
    const admitted = await relyingParty(h, {clientId: 'grafana'});
    const refused = await relyingParty(h, {clientId: 'gitlab', allowedCorpIds: ['wwothercorp000001']});

    const tokens = await loginForTokens(h, admitted);
    h.browser.clearCookies();
    await browserLogin(h, (await authorizationUrl(refused)).url);
    const metrics = await (
      await fetch(`${h.baseUrl}/metrics`, {headers: {authorization: `Bearer ${metricsToken}`}})
    ).text();
    const audit = (await h.tableRows('audit_log')).filter((row) => row.event === 'oidc_login');

    assert.deepEqual(
      audit.map((row) => [row.connection_identifier, row.user_id, row.detail]),
      [['acme', tokens.claims()!.sub, 'client: grafana']],
    );
    assert.match(metrics, /^wecom_sp_login_oidc_logins_total\{client="grafana",outcome="success"\} 1$/m);
    assert.match(metrics, /^wecom_sp_login_oidc_logins_total\{client="gitlab",outcome="login_not_allowed"\} 1$/m);
  });
});

describe('OpenID provider: sessions', () => {
  it('logs a second client in without a scan while the session lasts; prompt=login asks for a new one', async () => {
    const h = await setup();
    const first = await relyingParty(h);
    const second = await relyingParty(h, {name: 'GitLab'});
    await loginForTokens(h, first);
    const scans = h.simulator.calls().length;

    const {url, checks} = await authorizationUrl(second);
    const {redirect, interactionPage} = await browserLogin(h, url);
    const tokens = await oidc.authorizationCodeGrant(second.config, redirect, checks);
    const callsAfterSecond = h.simulator.calls().length;
    const forced = await browserLogin(h, (await authorizationUrl(second, {prompt: 'login'})).url, 'bob');

    assert.notEqual(interactionPage.status, 200, 'no login page: the session logged the second client in');
    assert.equal(tokens.claims()!.preferred_username, 'alice');
    assert.equal(callsAfterSecond, scans, 'no WeCom call for the second client');
    assert.equal(forced.interactionPage.status, 200, 'prompt=login shows the login page again');
    assert.ok(forced.redirect.searchParams.has('code'), 'and the new scan logs in');
  });

  it('ends a session after 8 hours: prompt=none then answers login_required', async () => {
    // One server per probe: a session used again is saved again, which on the tests' shifted clock
    // would move its expiry.
    const sessionAfter = async (ms: number) => {
      let offset = 0;
      const h = await setup({now: () => Date.now() + offset});
      const rp = await relyingParty(h);
      await loginForTokens(h, rp);
      offset = ms;
      return (await browserLogin(h, (await authorizationUrl(rp, {prompt: 'none'})).url)).redirect;
    };

    const within = await sessionAfter(8 * 60 * 60_000 - 60_000);
    const after = await sessionAfter(8 * 60 * 60_000 + 60_000);

    assert.ok(within.searchParams.has('code'), within.href);
    assert.equal(after.searchParams.get('error'), 'login_required');
  });

  it('answers prompt=none without a session with login_required', async () => {
    const h = await setup();
    const rp = await relyingParty(h);
    const {url} = await authorizationUrl(rp, {prompt: 'none'});

    const {redirect} = await browserLogin(h, url);

    assert.equal(redirect.searchParams.get('error'), 'login_required');
    assert.equal(redirect.searchParams.get('iss'), `${h.baseUrl}/oidc`);
  });

  it('ends the session at RP-initiated logout, to a registered post-logout URI only', async () => {
    const h = await setup();
    const rp = await relyingParty(h);
    const tokens = await loginForTokens(h, rp);
    const unregistered = oidc.buildEndSessionUrl(rp.config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: 'http://localhost:7999/elsewhere',
    });
    const refused = await h.browser.get(unregistered.href);

    const endUrl = oidc.buildEndSessionUrl(rp.config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: RP_POST_LOGOUT_URI,
      state: 'bye',
    });
    const confirm = await h.browser.get(endUrl.href);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.text)?.[1];
    const action = /action="([^"]+)"/.exec(confirm.text)?.[1];
    const done = await h.browser.request(new URL(action!, confirm.url).href, {
      method: 'POST',
      headers: {'content-type': 'application/x-www-form-urlencoded'},
      body: new URLSearchParams({xsrf: xsrf!, logout: 'yes'}).toString(),
    });
    const afterLogout = await browserLogin(h, (await authorizationUrl(rp, {prompt: 'none'})).url);

    assert.equal(refused.status, 400);
    assert.equal(refused.headers.get('location'), null, 'an unregistered URI is never redirected to');
    assert.equal(confirm.status, 200);
    assert.match(confirm.headers.get('content-security-policy')!, /form-action 'self' http:\/\/localhost:7999;/);
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), `${RP_POST_LOGOUT_URI}?state=bye`);
    assert.equal(afterLogout.redirect.searchParams.get('error'), 'login_required');
  });
});
