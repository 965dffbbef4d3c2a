import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {createLocalJWKSet, jwtVerify} from 'jose';
import {HOST_ORIGIN, popupParams, setup, type Harness} from '../helpers/login-harness.ts';

async function redeem(h: Harness, ticket: string, origin: string | null = HOST_ORIGIN, connection = 'acme') {
  const response = await h.browser.request(`${h.baseUrl}/connections/${connection}/tickets`, {
    method: 'POST',
    headers: {'content-type': 'application/json', ...(origin !== null && {origin})},
    body: JSON.stringify({ticket}),
  });
  return {status: response.status, headers: response.headers, json: JSON.parse(response.text)};
}

function fragmentParam(location: string, name: string): string | null {
  return new URLSearchParams(new URL(location).hash.slice(1)).get(name);
}

async function redirectLogin(h: Harness, identity = 'alice') {
  const params: Record<string, string> = {...popupParams(), mode: 'redirect', return_to: `${HOST_ORIGIN}/account?tab=1#old`};
  const {qrPage} = await h.openQrPage(params);
  const back = await h.scan(qrPage, identity);
  return {params, back, location: back.headers.get('location')!};
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
    const {params, location} = await redirectLogin(h);

    const redeemed = await redeem(h, fragmentParam(location, 'wecom_sp_login')!);
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
    const {location} = await redirectLogin(h);
    const ticket = fragmentParam(location, 'wecom_sp_login')!;
    await redeem(h, ticket);

    const replay = await redeem(h, ticket);

    assert.equal(replay.status, 400);
    assert.equal(replay.json.error.code, 'invalid_ticket');
  });

  it('refuses and burns a ticket presented from another origin', async () => {
    const h = await setup();
    await h.store.connections.update('acme', {allowedOrigins: [HOST_ORIGIN, 'https://other.example']});
    const {location} = await redirectLogin(h);
    const ticket = fragmentParam(location, 'wecom_sp_login')!;

    const foreign = await redeem(h, ticket, 'https://other.example');
    const noOrigin = await redeem(h, 'x'.repeat(32), null);
    const legit = await redeem(h, ticket);

    assert.equal(foreign.json.error.code, 'invalid_ticket');
    assert.equal(noOrigin.json.error.code, 'invalid_ticket');
    assert.equal(legit.json.error.code, 'invalid_ticket');
  });

  it('answers CORS preflights only for allowed origins', async () => {
    const h = await setup();

    const allowed = await h.browser.request(`${h.baseUrl}/connections/acme/tickets`, {method: 'OPTIONS', headers: {origin: HOST_ORIGIN, 'access-control-request-method': 'POST'}});
    const refused = await h.browser.request(`${h.baseUrl}/connections/acme/tickets`, {method: 'OPTIONS', headers: {origin: 'https://evil.example', 'access-control-request-method': 'POST'}});

    assert.equal(allowed.headers.get('access-control-allow-origin'), HOST_ORIGIN);
    assert.equal(refused.headers.get('access-control-allow-origin'), null);
  });

  it('refuses a malformed ticket body with a clear error', async () => {
    const h = await setup();

    const response = await h.browser.request(`${h.baseUrl}/connections/acme/tickets`, {method: 'POST', headers: {'content-type': 'application/json', origin: HOST_ORIGIN}, body: '{"ticket": 42'});

    assert.equal(response.status, 400);
    assert.equal(JSON.parse(response.text).error.code, 'invalid_request');
  });

  it('returns an error in the fragment when the login fails in redirect mode', async () => {
    const h = await setup({connection: {loginMode: 'login-only'}});

    const {location} = await redirectLogin(h);

    assert.equal(fragmentParam(location, 'wecom_sp_login_error'), 'login_not_allowed');
    assert.equal(fragmentParam(location, 'wecom_sp_login'), null);
  });
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

    const page = await h.browser.get(`${h.baseUrl}/connections/acme/launch?auth_code=${h.simulator.issueAuthCode('bob')}`);

    assert.equal(page.status, 400);
    assert.match(page.text, /invalid_request/);
    assert.equal(h.simulator.calls('get_login_info').length, 0);
  });
});
