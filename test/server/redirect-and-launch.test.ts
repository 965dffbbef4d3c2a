import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {createLocalJWKSet, jwtVerify} from 'jose';
import {HOST_ORIGIN, popupParams, readResult, redirectParams, setup, type Harness} from '../helpers/login-harness.ts';

async function redeem(
  h: Harness,
  ticket: string,
  verifier?: string,
  origin: string | null = HOST_ORIGIN,
  connection = 'acme',
) {
  const response = await h.browser.request(`${h.baseUrl}/connections/${connection}/tickets`, {
    method: 'POST',
    headers: {'content-type': 'application/json', ...(origin !== null && {origin})},
    body: JSON.stringify({ticket, code_verifier: verifier}),
  });
  return {status: response.status, headers: response.headers, json: JSON.parse(response.text)};
}

function fragmentParam(location: string, name: string): string | null {
  return new URLSearchParams(new URL(location).hash.slice(1)).get(name);
}

async function redirectLogin(h: Harness, identity = 'alice') {
  const {params, verifier} = redirectParams(`${HOST_ORIGIN}/account?tab=1#old`);
  const {qrPage} = await h.openQrPage(params);
  const back = await h.scan(qrPage, identity);
  const location = back.headers.get('location')!;
  return {params, verifier, back, location, ticket: fragmentParam(location, 'wecom_sp_login')!};
}

function claimsOf(idToken: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString());
}

describe('redirect mode and ticket redemption', () => {
  it('returns to return_to with a one-time ticket in the fragment', async () => {
    const h = await setup();

    const {back, location} = await redirectLogin(h);

    assert.equal(back.status, 302);
    assert.equal(location.split('#')[0], `${HOST_ORIGIN}/account?tab=1`);
    assert.match(fragmentParam(location, 'wecom_sp_login')!, /^[A-Za-z0-9]{32}$/);
    assert.equal(back.headers.get('cache-control'), 'no-store');
  });

  it('redeems the ticket once, from the origin it was issued to, for a token with the nonce', async () => {
    const h = await setup();
    const {params, verifier, ticket} = await redirectLogin(h);

    const redeemed = await redeem(h, ticket, verifier);
    const jwks = createLocalJWKSet(await (await fetch(`${h.baseUrl}/.well-known/jwks.json`)).json());
    const {payload} = await jwtVerify(redeemed.json.idToken, jwks, {issuer: h.baseUrl, audience: 'acme'});

    assert.equal(redeemed.status, 200);
    assert.equal(redeemed.headers.get('access-control-allow-origin'), HOST_ORIGIN);
    assert.equal(payload.azp, HOST_ORIGIN);
    assert.equal(payload.nonce, params.nonce);
    assert.equal(redeemed.json.user.userId, 'alice');
  });

  it('refuses a ticket the second time', async () => {
    const h = await setup();
    const {ticket, verifier} = await redirectLogin(h);
    await redeem(h, ticket, verifier);

    const replay = await redeem(h, ticket, verifier);

    assert.equal(replay.status, 400);
    assert.equal(replay.json.error.code, 'invalid_ticket');
  });

  it('refuses and burns a ticket presented from another origin', async () => {
    const h = await setup();
    await h.store.connections.update('acme', {allowedOrigins: [HOST_ORIGIN, 'https://other.example']});
    const {ticket, verifier} = await redirectLogin(h);

    const foreign = await redeem(h, ticket, verifier, 'https://other.example');
    const noOrigin = await redeem(h, 'x'.repeat(32), verifier, null);
    const legit = await redeem(h, ticket, verifier);

    assert.equal(foreign.json.error.code, 'invalid_ticket');
    assert.equal(noOrigin.json.error.code, 'invalid_ticket');
    assert.equal(legit.json.error.code, 'invalid_ticket');
  });

  it('answers CORS preflights only for allowed origins', async () => {
    const h = await setup();

    const allowed = await h.browser.request(`${h.baseUrl}/connections/acme/tickets`, {
      method: 'OPTIONS',
      headers: {origin: HOST_ORIGIN, 'access-control-request-method': 'POST'},
    });
    const refused = await h.browser.request(`${h.baseUrl}/connections/acme/tickets`, {
      method: 'OPTIONS',
      headers: {origin: 'https://evil.example', 'access-control-request-method': 'POST'},
    });

    assert.equal(allowed.headers.get('access-control-allow-origin'), HOST_ORIGIN);
    assert.equal(refused.headers.get('access-control-allow-origin'), null);
  });

  it('refuses a malformed ticket body with a clear error', async () => {
    const h = await setup();

    const response = await h.browser.request(`${h.baseUrl}/connections/acme/tickets`, {
      method: 'POST',
      headers: {'content-type': 'application/json', origin: HOST_ORIGIN},
      body: '{"ticket": 42',
    });

    assert.equal(response.status, 400);
    assert.equal(JSON.parse(response.text).error.code, 'invalid_request');
  });

  it('gives a QR login token amr ["qr"] and a unique jti', async () => {
    const h = await setup();
    const first = await redirectLogin(h);
    const second = await redirectLogin(h);

    const claims = [await redeem(h, first.ticket, first.verifier), await redeem(h, second.ticket, second.verifier)].map(
      (r) => claimsOf(r.json.idToken),
    );

    assert.deepEqual(
      claims.map((c) => c.amr),
      [['qr'], ['qr']],
    );
    assert.match(String(claims[0]!.jti), /^[A-Za-z0-9]{22}$/);
    assert.notEqual(claims[0]!.jti, claims[1]!.jti);
  });

  it('returns an error in the fragment when the login fails in redirect mode', async () => {
    const h = await setup({connection: {loginMode: 'login-only'}});

    const {location} = await redirectLogin(h);

    assert.equal(fragmentParam(location, 'wecom_sp_login_error'), 'login_not_allowed');
    assert.equal(fragmentParam(location, 'wecom_sp_login'), null);
  });
});

describe('redirect tickets bound to the browser that started the login (PKCE)', () => {
  for (const [name, change] of [
    ['without code_challenge', {code_challenge: undefined, code_challenge_method: undefined}],
    ['with code_challenge_method=plain', {code_challenge_method: 'plain'}],
    ['without code_challenge_method', {code_challenge_method: undefined}],
    ['with a malformed challenge', {code_challenge: 'short'}],
  ] as const) {
    it(`refuses a redirect authorize ${name} with a 400 page naming the parameter, and records nothing`, async () => {
      const h = await setup();
      const params = Object.fromEntries(
        Object.entries({...redirectParams().params, ...change}).filter(([, value]) => value !== undefined),
      ) as Record<string, string>;

      const page = await h.browser.get(`${h.baseUrl}/connections/acme/authorize?${new URLSearchParams(params)}`);
      const message = readResult(page);

      assert.equal(page.status, 400);
      assert.equal(message.type === 'wecom-sp-login:error' && message.error.code, 'invalid_request');
      assert.match(page.text, /code_challenge/);
      assert.equal(await h.countRows('login_transactions'), 0);
    });
  }

  it('refuses code_challenge outside redirect mode', async () => {
    const h = await setup();

    const page = await h.browser.get(
      `${h.baseUrl}/connections/acme/authorize` +
        `?${new URLSearchParams({...popupParams(), code_challenge: 'A'.repeat(43), code_challenge_method: 'S256'})}`,
    );

    assert.equal(page.status, 400);
    assert.equal(await h.countRows('login_transactions'), 0);
  });

  for (const [name, verifier] of [
    ['no code_verifier', undefined],
    ['a wrong code_verifier', 'w'.repeat(43)],
    ['a malformed code_verifier', 'bad verifier'],
  ] as const) {
    it(`refuses a redirect ticket redeemed with ${name}, and burns it`, async () => {
      const h = await setup();
      const login = await redirectLogin(h);

      const refused = await redeem(h, login.ticket, verifier);
      const thenRight = await redeem(h, login.ticket, login.verifier);

      assert.equal(refused.status, 400);
      assert.equal(refused.json.error.code, 'invalid_ticket');
      assert.equal(thenRight.json.error.code, 'invalid_ticket');
    });
  }
});

describe('GET /connections/:identifier/launch (admin console, no state)', () => {
  async function launchFromConsole(h: Harness, identity = 'bob') {
    const consolePage = await h.browser.get(`${h.simulatorUrl}/sim/admin-console`);
    const href = new RegExp(`href="([^"]+as=${identity})"`).exec(consolePage.text)![1]!.replaceAll('&amp;', '&');
    const toProvider = await h.browser.get(`${h.simulatorUrl}${href}`, consolePage);
    return h.browser.get(toProvider.headers.get('location')!, toProvider);
  }

  it('lands on launchUrl with a ticket that yields a token for the launch origin', async () => {
    const h = await setup();

    const landing = await launchFromConsole(h);
    const location = landing.headers.get('location')!;
    const redeemed = await redeem(h, fragmentParam(location, 'wecom_sp_login')!);

    assert.equal(landing.status, 302);
    assert.equal(location.split('#')[0], `${HOST_ORIGIN}/app`);
    assert.equal(redeemed.status, 200);
    assert.equal(redeemed.json.user.usertype, 1);
    const [, payload] = redeemed.json.idToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    assert.equal(claims.azp, HOST_ORIGIN);
    assert.equal(claims.nonce, undefined);
    assert.deepEqual(claims.amr, ['launch']);
  });

  it('refuses a member (usertype 5): the launch is for admins, and no user is written', async () => {
    const h = await setup();
    const usersBefore = (await h.store.users.list('acme', {limit: 10})).items.length;

    const landing = await h.browser.get(
      `${h.baseUrl}/connections/acme/launch?auth_code=${h.simulator.issueAuthCode('alice')}`,
    );
    const usersAfter = (await h.store.users.list('acme', {limit: 10})).items.length;

    assert.equal(fragmentParam(landing.headers.get('location')!, 'wecom_sp_login_error'), 'login_not_allowed');
    assert.equal(usersAfter, usersBefore);
  });

  it('refuses a replayed launch auth_code with an error in the fragment', async () => {
    const h = await setup();
    const code = h.simulator.issueAuthCode('bob');
    await h.browser.get(`${h.baseUrl}/connections/acme/launch?auth_code=${code}`);

    const replay = await h.browser.get(`${h.baseUrl}/connections/acme/launch?auth_code=${code}`);

    assert.equal(fragmentParam(replay.headers.get('location')!, 'wecom_sp_login_error'), 'exchange_failed');
  });

  it('answers a 400 page when the connection has no launch URL', async () => {
    const h = await setup({connection: {launchUrl: null}});

    const page = await h.browser.get(
      `${h.baseUrl}/connections/acme/launch?auth_code=${h.simulator.issueAuthCode('bob')}`,
    );

    assert.equal(page.status, 400);
    assert.match(page.text, /invalid_request/);
    assert.equal(h.simulator.calls('get_login_info').length, 0);
  });
});
