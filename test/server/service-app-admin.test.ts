import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {assertNoneIn} from '../helpers/absence.ts';
import {adminRequest, ENCODING_AES_KEY, BETA_SERVICE_APP_BODY, setup, SUITE_ID} from '../helpers/login-harness.ts';

describe('the admin API of a service-app connection', () => {
  for (const [field, value] of [
    ['encodingAesKey', 'too-short'],
    ['encodingAesKey', `${ENCODING_AES_KEY.slice(0, 42)}!`],
    ['callbackToken', 'has space'],
    ['callbackToken', 'x'.repeat(33)],
    ['suiteId', 'not a suite'],
    ['flow', 'new'],
    ['suiteSecret', undefined],
  ] as const) {
    it(`refuses ${field}=${String(value).slice(0, 20)} with 400 naming the field`, async () => {
      const h = await setup({serviceApp: {}});

      const refused = await adminRequest(h, 'POST', '/api/connections', {...BETA_SERVICE_APP_BODY, [field]: value});

      assert.deepEqual([refused.status, refused.json.error.field], [400, field]);
    });
  }

  it('creates one, saying which secrets are set', async () => {
    const h = await setup({serviceApp: {}});

    const created = await adminRequest(h, 'POST', '/api/connections', BETA_SERVICE_APP_BODY);

    assert.equal(created.status, 201);
    assert.deepEqual(
      [created.json.flow, created.json.suiteId, created.json.secretsSet],
      ['service-app', SUITE_ID, ['suiteSecret', 'callbackToken', 'encodingAesKey']],
    );
  });

  it('never returns its secrets: not on create, read or list', async () => {
    const h = await setup({serviceApp: {}});

    const shown = JSON.stringify([
      (await adminRequest(h, 'POST', '/api/connections', BETA_SERVICE_APP_BODY)).json,
      (await adminRequest(h, 'GET', '/api/connections/beta-sa')).json,
      (await adminRequest(h, 'GET', '/api/connections')).json,
    ]);

    assertNoneIn(shown, '"beta-sa"', ['beta-suite-secret', 'BetaToken1', ENCODING_AES_KEY], 'the answers');
  });

  it('tells when the suite_ticket was received, never the ticket', async () => {
    const h = await setup({serviceApp: {}});
    const before = (await adminRequest(h, 'GET', '/api/connections/acme-sa/suite-ticket')).json;

    await h.simulator.ticketPusher.pushTicket(SUITE_ID);
    const status = (await adminRequest(h, 'GET', '/api/connections/acme-sa/suite-ticket')).json;

    assert.deepEqual(before, {suiteId: SUITE_ID, received: null});
    assert.ok(Math.abs(status.received.receivedAt - Date.now()) < 5_000);
    assertNoneIn(JSON.stringify(status), SUITE_ID, [h.simulator.ticketPusher.deliveries.at(-1)!.ticket!], 'the answer');
  });
});
