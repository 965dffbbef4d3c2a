import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import * as oidc from 'openid-client';
import {adminRequest, HOST_ORIGIN, popupParams, readResult, setup} from '../helpers/login-harness.ts';
import {
  authorizationUrl,
  browserLogin,
  followRedirects,
  loginForTokens,
  redeemCode,
  relyingParty,
  RP_REDIRECT_URI,
  type RelyingParty,
} from '../helpers/oidc-relying-party.ts';
import type {Harness} from '../helpers/login-harness.ts';
import {readJsonScript} from '../helpers/test-browser.ts';

/** A login up to the code, which the test then redeems itself. */
async function codeFor(h: Harness, rp: RelyingParty, params: Record<string, string> = {}) {
  const {url, checks} = await authorizationUrl(rp, params);
  const {redirect} = await browserLogin(h, url);
  const code = redirect.searchParams.get('code');
  if (!code) throw new Error(`no code: ${redirect.href}`);
  return {code, checks};
}

describe('OpenID provider: redirect URIs and clients', () => {
  for (const [variant, uri] of [
    ['a trailing slash', `${RP_REDIRECT_URI}/`],
    ['another case', RP_REDIRECT_URI.replace('callback', 'Callback')],
    ['an extra query', `${RP_REDIRECT_URI}?next=/admin`],
    ['another port', RP_REDIRECT_URI.replace('7999', '7998')],
    ['another scheme', RP_REDIRECT_URI.replace('http:', 'https:')],
    ['a fragment', `${RP_REDIRECT_URI}#x`],
  ] as const) {
    it(`refuses a redirect URI with ${variant} on a page of its own, never redirecting`, async () => {
      const h = await setup();
      const rp = await relyingParty(h);
      const {url} = await authorizationUrl(rp, {redirect_uri: uri});

      const page = await h.browser.get(url.href);

      assert.equal(page.status, 400);
      assert.equal(page.headers.get('location'), null);
      assert.match(page.text, /redirect_uri/);
      assert.match(page.headers.get('content-security-policy')!, /frame-ancestors 'none'/);
    });
  }

  it('refuses an unknown client on a page of its own, never redirecting', async () => {
    const h = await setup();
    const url = new URL(`${h.baseUrl}/oidc/auth`);
    url.search = new URLSearchParams({
      client_id: 'nobody',
      redirect_uri: RP_REDIRECT_URI,
      response_type: 'code',
      scope: 'openid',
    }).toString();

    const page = await h.browser.get(url.href);

    assert.equal(page.status, 400);
    assert.equal(page.headers.get('location'), null);
    assert.match(page.text, /invalid_client/);
  });

  it('refuses the implicit and hybrid flows', async () => {
    const h = await setup();
    const rp = await relyingParty(h);

    for (const responseType of ['id_token', 'code id_token', 'token']) {
      const {url} = await authorizationUrl(rp, {response_type: responseType});
      const {page, location} = await followRedirects(h.browser, await h.browser.get(url.href), RP_REDIRECT_URI);
      const error = location?.searchParams.get('error') ?? new URLSearchParams(location?.hash.slice(1)).get('error');
      assert.equal(error ?? page.status, 'unsupported_response_type', responseType);
    }
  });
});

describe('OpenID provider: codes and PKCE', () => {
  it('refuses a reused code with invalid_grant, and revokes the tokens it issued', async () => {
    const h = await setup();
    const rp = await relyingParty(h);
    const {code, checks} = await codeFor(h, rp);

    const first = await redeemCode(h.baseUrl, rp, {code, code_verifier: checks.pkceCodeVerifier});
    const second = await redeemCode(h.baseUrl, rp, {code, code_verifier: checks.pkceCodeVerifier});
    const userinfo = await fetch(`${h.baseUrl}/oidc/me`, {
      headers: {authorization: `Bearer ${String(first.body.access_token)}`},
    });

    assert.equal(first.status, 200);
    assert.equal(second.status, 400);
    assert.equal(second.body.error, 'invalid_grant');
    assert.equal(userinfo.status, 401, 'the access token of the first redemption is revoked');
  });

  it('refuses a code redeemed without its verifier, or with another', async () => {
    const h = await setup();
    const rp = await relyingParty(h);
    const {code} = await codeFor(h, rp);

    const missing = await redeemCode(h.baseUrl, rp, {code});
    const {code: other} = await codeFor(h, rp);
    const wrong = await redeemCode(h.baseUrl, rp, {code: other, code_verifier: oidc.randomPKCECodeVerifier()});

    assert.equal(missing.body.error, 'invalid_grant');
    assert.equal(wrong.body.error, 'invalid_grant');
  });

  it('refuses a verifier sent for a code that had no challenge', async () => {
    const h = await setup();
    const rp = await relyingParty(h);
    const {url} = await authorizationUrl(rp);
    url.searchParams.delete('code_challenge');
    url.searchParams.delete('code_challenge_method');
    const {redirect} = await browserLogin(h, url);

    const answer = await redeemCode(h.baseUrl, rp, {
      code: redirect.searchParams.get('code')!,
      code_verifier: oidc.randomPKCECodeVerifier(),
    });

    assert.equal(answer.body.error, 'invalid_grant');
  });

  it('refuses the plain challenge method, and a public client without PKCE', async () => {
    const h = await setup();
    const rp = await relyingParty(h);
    const spa = await relyingParty(h, {tokenEndpointAuthMethod: 'none', name: 'SPA'});

    const plain = await authorizationUrl(rp, {code_challenge_method: 'plain', code_challenge: 'x'.repeat(43)});
    const plainAnswer = await followRedirects(h.browser, await h.browser.get(plain.url.href), RP_REDIRECT_URI);
    const bare = await authorizationUrl(spa);
    bare.url.searchParams.delete('code_challenge');
    bare.url.searchParams.delete('code_challenge_method');
    const bareAnswer = await followRedirects(h.browser, await h.browser.get(bare.url.href), RP_REDIRECT_URI);

    assert.equal(plainAnswer.location?.searchParams.get('error'), 'invalid_request');
    assert.equal(bareAnswer.location?.searchParams.get('error'), 'invalid_request');
  });

  it('answers a wrong secret with 401 and WWW-Authenticate', async () => {
    const h = await setup();
    const rp = await relyingParty(h);
    const {code, checks} = await codeFor(h, rp);

    const answer = await redeemCode(h.baseUrl, rp, {code, code_verifier: checks.pkceCodeVerifier}, 'not-the-secret');

    assert.equal(answer.status, 401);
    assert.equal(answer.body.error, 'invalid_client');
    assert.match(answer.wwwAuthenticate!, /^Basic /);
  });

  it('refuses the element’s ID token as an access token at userinfo', async () => {
    const h = await setup();
    const result = readResult(await h.login('alice', popupParams()));
    assert.equal(result.type, 'wecom-sp-login:success');

    const answer = await fetch(`${h.baseUrl}/oidc/me`, {
      headers: {authorization: `Bearer ${(result as {idToken: string}).idToken}`},
    });

    assert.equal(answer.status, 401);
    assert.match(answer.headers.get('www-authenticate')!, /^Bearer .*error="invalid_token"/);
  });
});

describe('OpenID provider: policy', () => {
  it('refuses an enterprise the client does not list with access_denied, writing no user and no session', async () => {
    const h = await setup();
    const rp = await relyingParty(h, {allowedCorpIds: ['wwothercorp000001']});
    const {url} = await authorizationUrl(rp);

    const {redirect} = await browserLogin(h, url);
    const silent = await browserLogin(h, (await authorizationUrl(rp, {prompt: 'none'})).url);

    assert.equal(redirect.searchParams.get('error'), 'access_denied');
    assert.match(redirect.searchParams.get('error_description')!, /enterprise is not allowed/);
    assert.equal(redirect.searchParams.get('state'), url.searchParams.get('state'));
    assert.equal(await h.countRows('users'), 0);
    assert.equal(silent.redirect.searchParams.get('error'), 'login_required', 'no session was made');
  });

  it('admits nobody when the client lists no enterprise and anyCorp is off; anyCorp admits all', async () => {
    const h = await setup();
    const closed = await relyingParty(h, {allowedCorpIds: []});
    const open = await relyingParty(h, {allowedCorpIds: [], anyCorp: true, name: 'Open'});

    const refused = await browserLogin(h, (await authorizationUrl(closed)).url);
    const admitted = await loginForTokens(h, open);

    assert.equal(refused.redirect.searchParams.get('error'), 'access_denied');
    assert.equal(admitted.claims()!.preferred_username, 'alice');
  });

  it('does not carry a session to a client whose enterprise list leaves that user out', async () => {
    const h = await setup();
    const open = await relyingParty(h, {allowedCorpIds: [], anyCorp: true, name: 'Open'});
    const closed = await relyingParty(h, {allowedCorpIds: ['wwothercorp000001'], name: 'Closed'});
    await loginForTokens(h, open);

    const silent = await browserLogin(h, (await authorizationUrl(closed, {prompt: 'none'})).url);

    assert.equal(silent.redirect.searchParams.get('error'), 'login_required');
  });

  it('refuses a WeCom callback replayed into another interaction', async () => {
    const h = await setup();
    const rp = await relyingParty(h);
    // The first login gets as far as the callback's redirect to its interaction's finish.
    const first = await authorizationUrl(rp);
    const interaction = await followRedirects(h.browser, await h.browser.get(first.url.href), RP_REDIRECT_URI);
    const link = /href="([^"]+\/wecom)"/.exec(interaction.page.text)![1]!;
    const navigate = await h.browser.get(new URL(link, interaction.page.url).href, interaction.page);
    const wecomUrl = readJsonScript<{url: string}>(navigate.text, 'wecom-sp-login-navigate').url;
    const qrPage = await h.browser.get(wecomUrl, navigate);
    const callback = await h.scan(qrPage, 'alice');
    const ticket = new URL(callback.headers.get('location')!).searchParams.get('ticket')!;
    // A second interaction in the same browser, and the first one's ticket at its finish.
    const second = await authorizationUrl(rp);
    const other = await followRedirects(h.browser, await h.browser.get(second.url.href), RP_REDIRECT_URI);

    const replayed = await h.browser.get(`${other.page.url}/finish?ticket=${ticket}`);

    assert.equal(replayed.status, 400);
    assert.equal(replayed.headers.get('location'), null);
    assert.equal(await h.countRows('tickets'), 0, 'the ticket was used up by the refused replay');
  });

  it("never gives an element's ID token for an OpenID login's ticket, even on the server's own origin", async () => {
    const h = await setup();
    // A site on the login server's own origin, where the ticket's origin would pass.
    const patched = await adminRequest(h, 'PATCH', '/api/connections/acme', {allowedOrigins: [HOST_ORIGIN, h.baseUrl]});
    assert.equal(patched.status, 200, patched.text);
    const rp = await relyingParty(h);
    const interaction = await followRedirects(
      h.browser,
      await h.browser.get((await authorizationUrl(rp)).url.href),
      RP_REDIRECT_URI,
    );
    const link = /href="([^"]+\/wecom)"/.exec(interaction.page.text)![1]!;
    const navigate = await h.browser.get(new URL(link, interaction.page.url).href, interaction.page);
    const wecomUrl = readJsonScript<{url: string}>(navigate.text, 'wecom-sp-login-navigate').url;
    const callback = await h.scan(await h.browser.get(wecomUrl, navigate), 'alice');
    const ticket = new URL(callback.headers.get('location')!).searchParams.get('ticket')!;

    const redeemed = await fetch(`${h.baseUrl}/connections/acme/tickets`, {
      method: 'POST',
      headers: {'content-type': 'application/json', origin: h.baseUrl},
      body: JSON.stringify({ticket}),
    });

    assert.equal(redeemed.status, 400);
    assert.equal(((await redeemed.json()) as {error: {code: string}}).error.code, 'invalid_ticket');
  });

  it('keeps codes, tokens and secrets sealed in the database', async () => {
    const h = await setup();
    const rp = await relyingParty(h);
    const {code, checks} = await codeFor(h, rp);
    const tokens = await redeemCode(h.baseUrl, rp, {code, code_verifier: checks.pkceCodeVerifier});

    const stored = JSON.stringify([await h.tableRows('oidc_artifacts'), await h.tableRows('oidc_clients')]);

    assert.ok((await h.countRows('oidc_artifacts')) > 0);
    for (const value of [code, String(tokens.body.access_token), rp.clientSecret!, 'alice'])
      assert.equal(stored.includes(value), false, `${value.slice(0, 6)}… is stored in the clear`);
  });
});
