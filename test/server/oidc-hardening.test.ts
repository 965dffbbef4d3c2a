import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {setup} from '../helpers/login-harness.ts';
import {
  authorizationUrl,
  browserLogin,
  followRedirects,
  loginForTokens,
  redeemCode,
  relyingParty,
  RP_REDIRECT_URI,
} from '../helpers/oidc-relying-party.ts';

describe('OpenID provider: limits, logs and languages', () => {
  it('rate-limits /oidc/auth, /oidc/token and /oidc/me per address, with Retry-After', async () => {
    const h = await setup({rateLimitPerMinute: 2});
    const rp = await relyingParty(h);
    const {url} = await authorizationUrl(rp);

    for (const [path, send] of [
      ['/oidc/auth', () => fetch(url, {redirect: 'manual'})],
      ['/oidc/token', () => fetch(`${h.baseUrl}/oidc/token`, {method: 'POST'})],
      ['/oidc/me', () => fetch(`${h.baseUrl}/oidc/me`)],
    ] as const) {
      const statuses = [];
      let last: Response | undefined;
      for (let i = 0; i < 3; i++) statuses.push((last = await send()).status);
      assert.notEqual(statuses[0], 429, path);
      assert.equal(statuses[2], 429, `${path}: ${statuses.join(', ')}`);
      assert.match(last!.headers.get('retry-after')!, /^\d+$/);
    }
    assert.equal((await fetch(`${h.baseUrl}/oidc/jwks`)).status, 200, 'the JWKS is not limited');
  });

  it('counts every spelling oidc-provider answers (case, trailing slash) against the same limit', async () => {
    const h = await setup({rateLimitPerMinute: 2});

    for (const [path, method] of [
      ['/oidc/token', 'POST'],
      ['/oidc/me', 'GET'],
    ] as const) {
      const statuses = [];
      for (const spelling of [path, `${path}/`, path.toUpperCase().replace('/OIDC', '/oidc')])
        statuses.push((await fetch(`${h.baseUrl}${spelling}`, {method})).status);
      assert.notEqual(statuses[1], 429, `${path}: ${statuses.join(', ')}`);
      assert.equal(statuses[2], 429, `${path}: ${statuses.join(', ')}`);
    }
  });

  it('never logs a code, a token, a ticket or a client secret, and labels requests by route', async () => {
    const h = await setup();
    const rp = await relyingParty(h);
    const {url, checks} = await authorizationUrl(rp);
    const {redirect} = await browserLogin(h, url);
    const code = redirect.searchParams.get('code')!;
    const tokens = (await redeemCode(h.baseUrl, rp, {code, code_verifier: checks.pkceCodeVerifier})).body as {
      access_token: string;
      id_token: string;
    };
    await fetch(`${h.baseUrl}/oidc/me`, {headers: {authorization: `Bearer ${tokens.access_token}`}});
    const ticket = h.browser.responses
      .map((response) => response.headers.get('location') ?? '')
      .find((location) => location.includes('ticket='))!;

    const logs = h.logs.join('\n');

    assert.match(logs, /"route":"\/oidc\/token"/);
    assert.match(logs, /"route":"\/oidc\/interaction\/:uid\/finish"/);
    for (const secret of [
      code,
      tokens.access_token,
      tokens.id_token,
      rp.clientSecret!,
      new URL(ticket).searchParams.get('ticket')!,
    ])
      assert.equal(logs.includes(secret), false, `${secret.slice(0, 6)}… is in the log`);
  });

  it("answers userinfo to a browser on the client's own redirect origin only (CORS)", async () => {
    const h = await setup();
    const rp = await relyingParty(h, {tokenEndpointAuthMethod: 'none', name: 'SPA'});
    const tokens = await loginForTokens(h, rp);
    const userinfo = (origin: string) =>
      fetch(`${h.baseUrl}/oidc/me`, {headers: {authorization: `Bearer ${tokens.access_token}`, origin}});

    const own = await userinfo('http://localhost:7999');
    const other = await userinfo('https://evil.example');

    assert.equal(own.headers.get('access-control-allow-origin'), 'http://localhost:7999');
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    assert.notEqual(other.status, 200);
  });

  it('refuses a user the connection does not know when it is login-only, with access_denied', async () => {
    const h = await setup({connection: {loginMode: 'login-only'}});
    const rp = await relyingParty(h);

    const {redirect} = await browserLogin(h, (await authorizationUrl(rp)).url);

    assert.equal(redirect.searchParams.get('error'), 'access_denied');
    assert.equal(await h.countRows('users'), 0);
  });

  it('speaks the visitor’s language on its pages, Chinese by default', async () => {
    const h = await setup();
    const rp = await relyingParty(h);
    const {url} = await authorizationUrl(rp);
    const first = await followRedirects(h.browser, await h.browser.get(url.href), RP_REDIRECT_URI);
    const english = await h.browser.request(first.page.url, {headers: {'accept-language': 'en'}});

    assert.match(first.page.text, /登录 Grafana/);
    assert.match(first.page.text, /使用企业微信继续/);
    assert.match(english.text, /Log in to Grafana/);
    assert.match(english.text, /Continue with WeCom/);
  });

  it('refuses the login steps in a browser that does not hold the interaction', async () => {
    const h = await setup();
    const rp = await relyingParty(h);
    const {url} = await authorizationUrl(rp);
    const first = await followRedirects(h.browser, await h.browser.get(url.href), RP_REDIRECT_URI);
    h.browser.clearCookies();

    for (const step of ['', '/wecom', '/finish?ticket=x', '/abort?reason=corp_not_allowed']) {
      const page = await h.browser.get(`${first.page.url}${step}`);
      assert.equal(page.status, 400, step);
      assert.equal(page.headers.get('location'), null, step);
    }
    assert.equal(await h.countRows('login_transactions'), 0, 'no WeCom login was started');
  });

  it('logs in a second time after a logout of the first session, with a fresh scan', async () => {
    const h = await setup();
    const rp = await relyingParty(h);

    const first = await loginForTokens(h, rp, 'alice');
    h.browser.clearCookies();
    const second = await loginForTokens(h, rp, 'bob');

    assert.notEqual(first.claims()!.sub, second.claims()!.sub);
  });
});
