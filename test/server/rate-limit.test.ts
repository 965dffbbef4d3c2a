import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {
  HOST_ORIGIN,
  popupParams,
  readResult,
  redirectParams,
  setup,
  type HarnessOptions,
} from '../helpers/login-harness.ts';

describe('rate limits on the login routes', () => {
  async function limited(perMinute: number, options: HarnessOptions = {}) {
    let time = 1_800_000_000_000;
    const h = await setup({rateLimitPerMinute: perMinute, now: () => time, ...options});
    const transactions = () => h.countRows('login_transactions');
    const authorize = (params = popupParams(), headers: Record<string, string> = {}) =>
      fetch(`${h.baseUrl}/connections/acme/authorize?${new URLSearchParams(params)}`, {headers, redirect: 'manual'});
    const redeem = () =>
      fetch(`${h.baseUrl}/connections/acme/tickets`, {
        method: 'POST',
        headers: {origin: HOST_ORIGIN, 'content-type': 'application/json'},
        body: JSON.stringify({ticket: 'guess'}),
      });
    return {h, transactions, authorize, redeem, advance: (ms: number) => (time += ms)};
  }

  it('gives a client a burst of RATE_LIMIT_PER_MINUTE answers, then 429 with Retry-After', async () => {
    const {authorize} = await limited(5);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await authorize()).status);

    const refused = await authorize();

    assert.deepEqual(statuses, [200, 200, 200, 200, 200]);
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '12');
  });

  it('records nothing for a refused request', async () => {
    const {transactions, authorize} = await limited(5);
    for (let i = 0; i < 5; i++) await authorize();
    const before = await transactions();

    assert.equal((await authorize()).status, 429);

    assert.equal(before, 5);
    assert.equal(await transactions(), before);
  });

  it('refills one token every 60/N seconds, not the whole budget when a minute turns', async () => {
    const {authorize, advance} = await limited(5);
    for (let i = 0; i < 5; i++) await authorize();

    advance(11_000);
    const early = await authorize();
    advance(1_000);
    const refilled = await authorize();
    const emptyAgain = await authorize();

    assert.equal(early.status, 429);
    assert.equal(refilled.status, 200);
    assert.equal(emptyAgain.status, 429);
  });

  it('posts rate_limited to the element of a refused popup login, with its nonce', async () => {
    const {authorize} = await limited(1);
    await authorize();
    const params = popupParams();

    const refused = await authorize(params);
    const message = readResult({status: refused.status, headers: refused.headers, text: await refused.text(), url: ''});

    assert.equal(refused.status, 429);
    assert.equal(message.type, 'wecom-sp-login:error');
    assert.equal(message.nonce, params.nonce);
    assert.equal(message.type === 'wecom-sp-login:error' && message.error.code, 'rate_limited');
  });

  it('sends a refused redirect login back to return_to with #wecom_sp_login_error=rate_limited', async () => {
    const {authorize} = await limited(1);
    await authorize();

    const refused = await authorize(redirectParams().params);

    assert.equal(refused.status, 302);
    assert.equal(refused.headers.get('location'), `${HOST_ORIGIN}/account#wecom_sp_login_error=rate_limited`);
  });

  it('counts misspelt routes too: a trailing slash or other letter case is not a way around the limit', async () => {
    const {h, authorize} = await limited(1);
    await authorize();
    const query = new URLSearchParams(popupParams());

    const spellings = [
      '/connections/acme/authorize/',
      '/connections/acme/AUTHORIZE',
      '/Connections/acme/authorize',
      '/connections/acme/authorize//',
      '/connections/acme//authorize',
    ];
    const statuses = [];
    for (const path of spellings) statuses.push((await fetch(`${h.baseUrl}${path}?${query}`)).status);

    assert.ok(
      statuses.every((status) => status === 404 || status === 429),
      `got ${statuses.join(', ')}`,
    );
  });

  it('counts each route apart: a spent authorize budget does not block ticket redemption', async () => {
    const {authorize, redeem} = await limited(1);
    await authorize();
    await authorize();

    const response = await redeem();

    assert.equal(response.status, 400);
    assert.equal((await response.json()).error.code, 'invalid_ticket');
  });

  it('limits ticket redemption with a JSON 429', async () => {
    const {redeem} = await limited(2);
    await redeem();
    await redeem();

    const refused = await redeem();

    assert.equal(refused.status, 429);
    assert.equal((await refused.json()).error.code, 'rate_limited');
  });

  it('posts rate_limited to the element of a refused callback and leaves its login usable', async () => {
    const {h, advance} = await limited(1);
    const params = popupParams();
    const {qrPage, state} = await h.openQrPage(params);
    await h.browser.get(`${h.baseUrl}/connections/acme/callback?state=spent&auth_code=x`);

    const refused = await h.browser.get(`${h.baseUrl}/connections/acme/callback?state=${state}&auth_code=x`);
    advance(60_000);
    const completed = await h.scan(qrPage, 'alice');

    const message = readResult(refused);
    assert.equal(refused.status, 429);
    assert.equal(message.nonce, params.nonce);
    assert.equal(message.type === 'wecom-sp-login:error' && message.error.code, 'rate_limited');
    assert.equal(readResult(completed).type, 'wecom-sp-login:success');
  });

  it('sends a refused launch to its launch URL with rate_limited, calling no one', async () => {
    const {h} = await limited(1);
    await fetch(`${h.baseUrl}/connections/acme/launch?auth_code=first`, {redirect: 'manual'});
    const calls = h.simulator.calls().length;

    const refused = await fetch(`${h.baseUrl}/connections/acme/launch?auth_code=second`, {redirect: 'manual'});

    assert.equal(refused.status, 302);
    assert.equal(refused.headers.get('location'), `${HOST_ORIGIN}/app#wecom_sp_login_error=rate_limited`);
    assert.equal(h.simulator.calls().length, calls);
  });

  it('keys IPv6 clients by their /64', async () => {
    const {h} = await limited(3, {trustProxy: 1});
    const from = (address: string) =>
      fetch(`${h.baseUrl}/connections/acme/authorize?${new URLSearchParams(popupParams())}`, {
        headers: {'x-forwarded-for': address},
      });
    const wrongToken = (address: string) =>
      fetch(`${h.baseUrl}/api/connections`, {
        headers: {authorization: 'Bearer wrong-token-wrong-token', 'x-forwarded-for': address},
      });

    const sameSubnet = [];
    for (let i = 1; i <= 4; i++) sameSubnet.push((await from(`2001:db8:1:2::${i.toString(16)}`)).status);
    const expanded = await from('2001:0db8:0001:0002:ffff:0:0:1');
    const nextSubnet = await from('2001:db8:1:3::1');
    const failures = [];
    for (let i = 1; i <= 11; i++) failures.push((await wrongToken(`2001:db8:9:9:${i.toString(16)}::1`)).status);

    assert.deepEqual(sameSubnet, [200, 200, 200, 429]);
    assert.equal(expanded.status, 429);
    assert.equal(nextSubnet.status, 200);
    assert.deepEqual(failures, [...Array(10).fill(401), 429]);
  });

  it('never limits an address in RATE_LIMIT_EXEMPT', async () => {
    const {authorize} = await limited(1, {rateLimitExempt: ['10.0.0.0/8', '127.0.0.0/8']});
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await authorize()).status);

    assert.deepEqual(statuses, [200, 200, 200, 200]);
  });

  it('has no limit when configured with 0', async () => {
    const {authorize} = await limited(0);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await authorize()).status);

    assert.deepEqual(statuses, [200, 200, 200, 200, 200]);
  });
});

describe('client addresses behind a reverse proxy', () => {
  const fromProxy = (forwardedFor: string) => ({'x-forwarded-for': forwardedFor, 'x-forwarded-proto': 'https'});

  it('with TRUST_PROXY=1, limits two clients behind the proxy separately', async () => {
    const h = await setup({rateLimitPerMinute: 1, trustProxy: 1});
    const authorize = (client: string) =>
      fetch(`${h.baseUrl}/connections/acme/authorize?${new URLSearchParams(popupParams())}`, {
        headers: fromProxy(client),
      });

    const first = await authorize('198.51.100.1');
    const second = await authorize('198.51.100.2');
    const firstAgain = await authorize('198.51.100.1');

    assert.deepEqual([first.status, second.status, firstAgain.status], [200, 200, 429]);
  });

  it('with TRUST_PROXY=1, ignores what a client writes in its own X-Forwarded-For', async () => {
    const h = await setup({rateLimitPerMinute: 1, trustProxy: 1});
    // nginx appends the address it saw to whatever the client sent.
    const authorize = (claimed: string) =>
      fetch(`${h.baseUrl}/connections/acme/authorize?${new URLSearchParams(popupParams())}`, {
        headers: fromProxy(`${claimed}, 198.51.100.7`),
      });

    const first = await authorize('203.0.113.1');
    const second = await authorize('203.0.113.2');

    assert.deepEqual([first.status, second.status], [200, 429]);
  });

  it('with TRUST_PROXY=0, trusts no forwarded header: the socket address counts', async () => {
    const h = await setup({rateLimitPerMinute: 1});
    const authorize = (client: string) =>
      fetch(`${h.baseUrl}/connections/acme/authorize?${new URLSearchParams(popupParams())}`, {
        headers: fromProxy(client),
      });

    const first = await authorize('198.51.100.1');
    const second = await authorize('198.51.100.2');

    assert.deepEqual([first.status, second.status], [200, 429]);
  });

  it('with TRUST_PROXY=1, records the forwarded client address in the audit log', async () => {
    const h = await setup({trustProxy: 1});

    // A wrong admin token: each one checked has an audit row.
    await fetch(`${h.baseUrl}/api/connections`, {
      headers: {...fromProxy('6.6.6.6, 198.51.100.9'), authorization: 'Bearer wrong-token-wrong-token'},
    });
    const audit = await h.store.audit.list({limit: 1});

    assert.equal(audit.items[0]!.ip, '198.51.100.9');
  });
});
