import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {describe, it} from 'node:test';
import {LoginNotAllowed} from '../../server/errors.ts';
import {completeLogin, type LoginDeps} from '../../server/login/complete-login.ts';
import type {LoginProtocols} from '../../server/login/flows/login-flow.ts';
import {createLogger} from '../../server/logger.ts';
import {
  providerConnection,
  HOST_ORIGIN,
  readResult,
  refusalCounts,
  setup,
  type Harness,
} from '../helpers/login-harness.ts';

// A launch carries no state: anyone can send one with a made-up auth_code, and each used to cost a
// WeCom call and an audit row, drawn from the same per-CorpID budget as real logins.

const loginDeps = (h: Harness): Omit<LoginDeps, 'protocols'> => ({
  store: h.store,
  log: createLogger(() => {}),
});
const launch = (h: Harness, code: string, client: string, connection = 'acme') =>
  fetch(`${h.baseUrl}/connections/${connection}/launch?auth_code=${code}`, {
    headers: {'x-forwarded-for': client},
    redirect: 'manual',
  });
const errorOf = (response: Response) =>
  new URL(response.headers.get('location')!).hash.match(/wecom_sp_login_error=([a-z_]+)/)?.[1] ?? null;
const auditRows = async (h: Harness) =>
  (await h.store.audit.list({limit: 1000})).items.filter((row) => row.event !== 'login_succeeded');

describe('launches with made-up codes', () => {
  it('600 from ten addresses spend only the launch budget, while 20 QR logins all succeed', async () => {
    // A per-CorpID budget the old flood used up six times over.
    const h = await setup({trustProxy: 1, rateLimitPerMinute: 600, wecomCallsPerMinute: 100});
    await h.store.connections.create(providerConnection('acme-two'));
    const rowsBefore = (await auditRows(h)).length;
    const started = Date.now();

    const flood = Promise.all(
      Array.from({length: 10}, async (_, client) => {
        const errors: Array<string | null> = [];
        for (let i = 0; i < 60; i++)
          errors.push(
            errorOf(
              await launch(h, randomBytes(16).toString('hex'), `198.51.100.${client}`, i % 2 ? 'acme' : 'acme-two'),
            ),
          );
        return errors;
      }),
    );
    const logins: string[] = [];
    for (let i = 0; i < 20; i++) {
      const {qrPage} = await h.openQrPage(undefined, i % 2 ? 'acme' : 'acme-two');
      const result = readResult(await h.scan(qrPage, 'alice'));
      logins.push(result.type === 'wecom-sp-login:success' ? 'success' : result.error.code);
    }
    const refused = (await flood).flat();
    // The budget is 60 a minute per connection, refilled as time passes: a slow run earns a few more.
    const budget = 2 * (60 + Math.ceil((Date.now() - started) / 1000));

    assert.deepEqual(logins, Array(20).fill('success'));
    assert.equal(refused.length, 600);
    assert.ok(
      refused.every((code) => code === 'exchange_failed' || code === 'wecom_unavailable'),
      [...new Set(refused)].join(', '),
    );
    const launchCalls = h.simulator.calls('get_login_info').length - 20;
    assert.ok(
      launchCalls <= budget,
      `${launchCalls} WeCom calls for launches (two connections, 60 a minute each: ${budget} in this run)`,
    );
    assert.ok((await auditRows(h)).length - rowsBefore < 10);
  });

  it('answers wecom_unavailable, calling no one, once the launch budget is spent, until it refills', async () => {
    let time = 1_800_000_000_000;
    const h = await setup({launchCallsPerMinute: 2, now: () => time});

    const answers = [];
    for (let i = 0; i < 3; i++)
      answers.push(errorOf(await launch(h, h.simulator.issueAuthCode('bob'), '198.51.100.1')));
    const calls = h.simulator.calls('get_login_info').length;
    time += 30_000;
    const later = await launch(h, h.simulator.issueAuthCode('bob'), '198.51.100.1');

    assert.deepEqual(answers, [null, null, 'wecom_unavailable']);
    assert.equal(calls, 2);
    assert.equal(errorOf(later), null);
  });

  it('counts a code WeCom does not know (40029) by reason, not in the audit log', async () => {
    const h = await setup();

    const answer = await launch(h, 'made-up-but-plausible-code-0001', '198.51.100.1');
    const refusals = await refusalCounts(h);

    assert.equal(errorOf(answer), 'exchange_failed');
    assert.equal(h.simulator.calls('get_login_info').length, 1);
    assert.deepEqual(await auditRows(h), []);
    assert.deepEqual(refusals, {exchange_failed: 1});
  });

  it('keeps auditing a launch WeCom refuses for a configuration fault (60020), which an admin must fix', async () => {
    const h = await setup();
    h.simulator.fail('get_login_info', {errcode: 60020});

    const answer = await launch(h, h.simulator.issueAuthCode('bob'), '198.51.100.1');
    const rows = await auditRows(h);

    assert.equal(errorOf(answer), 'wecom_config_error');
    assert.deepEqual(
      rows.map((row) => [row.event, row.wecomErrcode]),
      [['login_failed', 60020]],
    );
  });
});

describe('the launch admits admins only', () => {
  it('refuses an identity that WeCom gave no role, whatever the protocol, before any user is written', async () => {
    const h = await setup();
    const noRole = {corpId: 'wwcorp0001', openUserId: 'woNoRole', userId: 'norole', name: 'No Role'};
    const protocols = {
      legacy: {exchangeLaunch: async () => noRole},
      'service-app': {exchangeLaunch: async () => noRole},
    } as unknown as LoginProtocols;
    const connection = await h.store.connections.getForExchange('acme');

    await assert.rejects(
      completeLogin({...loginDeps(h), protocols}, connection, 'code', '198.51.100.1', 'launch'),
      LoginNotAllowed,
    );
    assert.equal((await h.store.users.list('acme', {limit: 5})).items.length, 0);
  });
});

describe('launch codes across connections', () => {
  it("accepts an admin's code at another connection's launch of one provider (amr launch)", async () => {
    // WeCom's auth codes belong to the provider, not to a connection: nothing in the code says which
    // connection's QR page issued it. Hosts that must not be logged in by a link refuse amr launch.
    const h = await setup();
    await h.store.connections.create(providerConnection('acme-two', {launchUrl: `${HOST_ORIGIN}/two`}));

    const landing = await launch(h, h.simulator.issueAuthCode('bob'), '198.51.100.1', 'acme-two');

    assert.equal(errorOf(landing), null);
    assert.match(landing.headers.get('location')!, /^http:\/\/shop\.test:8080\/two#wecom_sp_login=/);
  });
});
