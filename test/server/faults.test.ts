import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type {Fault} from '../../demo/wecom-simulator/simulator.ts';
import {resultCode, setup} from '../helpers/login-harness.ts';

type Endpoint = 'get_provider_token' | 'get_login_info';

/** Each WeCom fault, on each call, and what the visitor must be told. Enough repeats to outlast every retry. */
const FAULTS: Array<{endpoint: Endpoint; name: string; fault: Fault; code: string; errcode: number | null}> = [];
for (const endpoint of ['get_provider_token', 'get_login_info'] as const) {
  FAULTS.push(
    {endpoint, name: 'errcode -1 (system busy)', fault: {errcode: -1}, code: 'wecom_unavailable', errcode: -1},
    {endpoint, name: 'errcode 45009 (rate limit)', fault: {errcode: 45009}, code: 'wecom_unavailable', errcode: 45009},
    {
      endpoint,
      name: 'errcode 60020 (IP not whitelisted)',
      fault: {errcode: 60020},
      code: 'wecom_config_error',
      errcode: 60020,
    },
    {endpoint, name: 'HTTP 500', fault: {httpStatus: 500}, code: 'wecom_unavailable', errcode: null},
    {endpoint, name: 'malformed JSON', fault: {malformed: true}, code: 'wecom_unavailable', errcode: null},
    {endpoint, name: 'a hang past the timeout', fault: {delayMs: 600}, code: 'wecom_unavailable', errcode: null},
  );
}

describe('WeCom faults', () => {
  for (const {endpoint, name, fault, code, errcode} of FAULTS) {
    it(`${endpoint} answering ${name}: ${code}, one audit row, no user, and the next login succeeds`, async () => {
      let time = 1_800_000_000_000;
      const h = await setup({wecomTimeoutMs: 300, now: () => time});
      h.simulator.fail(endpoint, fault, 5);

      const failed = await h.login('alice');
      const audit = (await h.store.audit.list({limit: 10})).items;
      const users = (await h.store.users.list('acme', {limit: 10})).items;
      while (h.simulator.takeFault(endpoint)) {
        // The fault clears.
      }
      // After a rate limit the server holds back its calls for a minute (wecom-backoff.test.ts).
      if (errcode === 45009) time += 60_000;
      const next = await h.login('alice');

      assert.equal(resultCode(failed), code);
      assert.deepEqual(
        audit.map((row) => [row.event, row.code, row.wecomErrcode]),
        [['login_failed', code, errcode]],
      );
      assert.equal(users.length, 0);
      assert.equal(resultCode(next), 'success');
    });
  }

  it('get_login_info answering 40014 (token revoked early): one refetch, and the login succeeds', async () => {
    const h = await setup();
    await h.login('bob');
    h.simulator.revokeTokens();

    const page = await h.login('alice');

    assert.equal(resultCode(page), 'success');
    assert.ok(h.simulator.calls().some((c) => c.endpoint === 'get_login_info' && c.errcode === 40014));
    assert.equal(h.simulator.calls().filter((c) => c.endpoint === 'get_provider_token' && c.errcode === 0).length, 2);
    assert.equal((await h.store.users.list('acme', {limit: 10})).items.length, 2);
  });
});
