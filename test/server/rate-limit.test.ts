import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {HOST_ORIGIN, popupParams, setup} from '../helpers/login-harness.ts';

describe('per-IP rate limits on the login routes', () => {
  async function limited(perMinute = 3) {
    let time = 1_800_000_000_000;
    const h = await setup({rateLimitPerMinute: perMinute, now: () => time});
    const transactions = () => (h.db.prepare('SELECT COUNT(*) AS n FROM login_transactions').get() as {n: number}).n;
    const authorize = () => fetch(`${h.baseUrl}/connections/acme/authorize?${new URLSearchParams(popupParams())}`);
    return {h, transactions, authorize, advance: (ms: number) => (time += ms)};
  }

  it('answers 429 with Retry-After past the limit, and the refused request records nothing', async () => {
    const {transactions, authorize} = await limited(3);
    for (let i = 0; i < 3; i++) assert.equal((await authorize()).status, 200);
    const before = transactions();

    const refused = await authorize();

    assert.equal(refused.status, 429);
    assert.match(refused.headers.get('retry-after')!, /^[1-9][0-9]?$/);
    assert.equal(transactions(), before);
  });

  it('lets the address in again once the minute has passed', async () => {
    const {authorize, advance} = await limited(1);
    await authorize();
    const refused = await authorize();

    advance(60_000);
    const again = await authorize();

    assert.equal(refused.status, 429);
    assert.equal(again.status, 200);
  });

  it('counts each route apart: a spent authorize budget does not block ticket redemption', async () => {
    const {h, authorize} = await limited(1);
    await authorize();
    await authorize();

    const redeem = await fetch(`${h.baseUrl}/connections/acme/tickets`, {method: 'POST', headers: {origin: HOST_ORIGIN, 'content-type': 'application/json'}, body: JSON.stringify({ticket: 'x'})});

    assert.equal(redeem.status, 400);
    assert.equal((await redeem.json()).error.code, 'invalid_ticket');
  });

  it('limits ticket redemption with a JSON 429', async () => {
    const {h} = await limited(2);
    const redeem = () => fetch(`${h.baseUrl}/connections/acme/tickets`, {method: 'POST', headers: {origin: HOST_ORIGIN, 'content-type': 'application/json'}, body: JSON.stringify({ticket: 'guess'})});
    await redeem();
    await redeem();

    const refused = await redeem();

    assert.equal(refused.status, 429);
    assert.equal((await refused.json()).error.code, 'rate_limited');
  });

  it('limits the callback and the launch too', async () => {
    const {h} = await limited(1);
    const statuses = [];
    for (const path of ['callback?state=x&auth_code=y', 'callback?state=x&auth_code=y', 'launch?auth_code=z', 'launch?auth_code=z']) {
      statuses.push((await fetch(`${h.baseUrl}/connections/acme/${path}`, {redirect: 'manual'})).status);
    }

    assert.notEqual(statuses[0], 429);
    assert.equal(statuses[1], 429);
    assert.notEqual(statuses[2], 429);
    assert.equal(statuses[3], 429);
  });

  it('has no limit when configured with 0', async () => {
    const {authorize} = await limited(0);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await authorize()).status);

    assert.deepEqual(statuses, [200, 200, 200, 200, 200]);
  });
});
