import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {adminRequest, ENCODING_AES_KEY, BETA_SERVICE_APP_BODY, setup, SUITE_ID} from '../helpers/login-harness.ts';

describe('the admin API of a service-app connection', () => {
  it('takes and validates the new fields, never returns the secrets, and tells the suite_ticket status', async () => {
    const h = await setup({serviceApp: {}});
    const base = BETA_SERVICE_APP_BODY;
    for (const [field, value] of [
      ['encodingAesKey', 'too-short'],
      ['encodingAesKey', `${ENCODING_AES_KEY.slice(0, 42)}!`],
      ['callbackToken', 'has space'],
      ['callbackToken', 'x'.repeat(33)],
      ['suiteId', 'not a suite'],
      ['flow', 'new'],
    ] as const) {
      const refused = await adminRequest(h, 'POST', '/api/connections', {...base, [field]: value});
      assert.deepEqual([refused.status, refused.json.error.field], [400, field], `${field}=${value}`);
    }
    const missing = await adminRequest(h, 'POST', '/api/connections', {...base, suiteSecret: undefined});
    assert.deepEqual([missing.status, missing.json.error.field], [400, 'suiteSecret']);
    const created = await adminRequest(h, 'POST', '/api/connections', base);
    assert.equal(created.status, 201);
    assert.deepEqual(
      [created.json.flow, created.json.suiteId, created.json.secretsSet],
      ['service-app', SUITE_ID, ['suiteSecret', 'callbackToken', 'encodingAesKey']],
    );
    const shown = JSON.stringify([
      created.json,
      (await adminRequest(h, 'GET', '/api/connections/beta-sa')).json,
      (await adminRequest(h, 'GET', '/api/connections')).json,
    ]);
    assert.doesNotMatch(shown, /beta-suite-secret|BetaToken1|jWmYm7/);

    assert.deepEqual((await adminRequest(h, 'GET', '/api/connections/acme-sa/suite-ticket')).json, {
      suiteId: SUITE_ID,
      received: null,
    });
    await h.simulator.ticketPusher.pushTicket(SUITE_ID);
    const status = (await adminRequest(h, 'GET', '/api/connections/acme-sa/suite-ticket')).json;
    assert.ok(Math.abs(status.received.receivedAt - Date.now()) < 5_000);
    assert.equal(JSON.stringify(status).includes(h.simulator.ticketPusher.deliveries.at(-1)!.ticket!), false);
  });
});
