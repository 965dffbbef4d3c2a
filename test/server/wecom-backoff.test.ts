import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {describe, it} from 'node:test';
import {createSecretBox} from '../../server/crypto/secret-box.ts';
import {createSealer} from '../../server/db/sealed-columns.ts';
import {createSqliteAccessTokenStore} from '../../server/db/sqlite/sqlite-access-tokens.ts';
import {createSqliteWecomBackoffStore} from '../../server/db/sqlite/sqlite-wecom-backoff.ts';
import {createProviderTokens} from '../../server/wecom/provider-tokens.ts';
import {createWecomClient} from '../../server/wecom/wecom-client.ts';
import {WecomHeldBack} from '../../server/wecom/wecom-errors.ts';
import {createWecomGuard} from '../../server/wecom/wecom-guard.ts';
import {PROVIDER_CORP_ID, PROVIDER_SECRET, resultCode, setup, type HarnessOptions} from '../helpers/login-harness.ts';

function fragmentError(location: string | null): string | null {
  return new URLSearchParams(new URL(location!).hash.slice(1)).get('wecom_sp_login_error');
}

describe('WeCom back-off and outbound caps per CorpID', () => {
  async function clocked(options: HarnessOptions = {}) {
    let time = 1_800_000_000_000;
    const h = await setup({now: () => time, ...options});
    const launch = async () =>
      fragmentError(
        (
          await fetch(`${h.baseUrl}/connections/acme/launch?auth_code=${h.simulator.issueAuthCode('bob')}`, {
            redirect: 'manual',
          })
        ).headers.get('location'),
      );
    return {h, launch, advance: (ms: number) => (time += ms)};
  }

  for (const [endpoint, errcode] of [
    ['get_login_info', 45009],
    ['get_provider_token', 45009],
    ['get_login_info', 45033],
  ] as const) {
    it(`holds back thirty launches after ${endpoint} answers ${errcode}`, async () => {
      const {h, launch} = await clocked();
      h.simulator.fail(endpoint, {errcode});

      const codes = [];
      for (let i = 0; i < 30; i++) codes.push(await launch());

      assert.deepEqual(new Set(codes), new Set(['wecom_unavailable']));
      assert.ok(h.simulator.calls().length <= 2, `${h.simulator.calls().length} calls`);
      // The one attempt WeCom refused is audited; the held-back ones are only counted.
      assert.equal((await h.store.audit.list({limit: 50})).items.length, 1);
    });
  }

  it('holds for a minute after a rate limit, then calls again', async () => {
    const {h, launch, advance} = await clocked();
    h.simulator.fail('get_login_info', {errcode: 45009});
    await launch();

    advance(59_000);
    const during = await launch();
    advance(2_000);
    const after = await launch();

    assert.deepEqual([during, after], ['wecom_unavailable', null]);
  });

  it('holds twice as long after a second rate limit', async () => {
    const {h, launch, advance} = await clocked();
    h.simulator.fail('get_login_info', {errcode: 45009});
    await launch();
    advance(61_000);
    h.simulator.fail('get_login_info', {errcode: 45009});
    await launch();

    advance(61_000);
    const stillHeld = await launch();
    advance(60_000);
    const after = await launch();

    assert.deepEqual([stillHeld, after], ['wecom_unavailable', null]);
  });

  it('holds back every process on the database: the back-off is in the store', async () => {
    const h = await setup();
    const box = createSecretBox(randomBytes(32));
    const wecom = createWecomClient({apiBase: h.simulatorUrl, timeoutMs: 2_000});
    const processFor = () => {
      const backoff = createSqliteWecomBackoffStore(h.db);
      const guard = createWecomGuard({backoff, maxConcurrentPerCorp: 10, maxWaitMs: 1000, callsPerMinutePerCorp: 1000});
      return createProviderTokens({store: createSqliteAccessTokenStore(h.db, createSealer(box)), wecom, guard});
    };
    const [processA, processB] = [processFor(), processFor()];
    h.simulator.fail('get_provider_token', {errcode: 45009});
    await processA.get(PROVIDER_CORP_ID, PROVIDER_SECRET).catch(() => undefined);

    const heldInB = await processB.get(PROVIDER_CORP_ID, PROVIDER_SECRET).then(
      () => null,
      (error: unknown) => error,
    );

    assert.ok(heldInB instanceof WecomHeldBack && heldInB.reason === 'backoff');
    assert.equal(h.simulator.calls().length, 1);
  });

  it('caps the calls per CorpID and minute in a process, without calling WeCom beyond it', async () => {
    const {h, advance} = await clocked({wecomCallsPerMinute: 3});
    // One provider-token fetch and two exchanges fit in the minute's three calls; the third exchange does not.
    const first = await h.login('alice');
    const second = await h.login('bob');
    const third = await h.login('carol');
    advance(20_000);
    const refilled = await h.login('carol');

    assert.deepEqual([first, second, third, refilled].map(resultCode), [
      'success',
      'success',
      'wecom_unavailable',
      'success',
    ]);
    assert.equal(h.simulator.calls().length, 4);
  });

  it('caps the calls in flight per CorpID: a call over the cap waits its turn', async () => {
    const h = await setup({wecomConcurrencyPerCorp: 1});
    await h.login('alice');
    const [slow, queued] = [await h.openQrPage(), await h.openQrPage()];
    // One of the two calls WeCom answers after 300 ms; the other is answered at once.
    h.simulator.fail('get_login_info', {delayMs: 300});
    const started = performance.now();
    const scan = async (qrPage: typeof slow.qrPage, identity: string) => {
      const page = await h.scan(qrPage, identity);
      return {code: resultCode(page), ms: performance.now() - started};
    };
    // Carol scans once bob's callback has taken its login state, so both calls are on their way at once.
    const bobTookHisState = async () => {
      while ((await h.countRows('login_transactions')) > 1) await new Promise((resolve) => setTimeout(resolve, 5));
    };

    const [bob, carol] = await Promise.all([
      scan(slow.qrPage, 'bob'),
      bobTookHisState().then(() => scan(queued.qrPage, 'carol')),
    ]);

    assert.deepEqual([bob.code, carol.code], ['success', 'success']);
    // Whichever call WeCom held, the other one waited for it: both logins took the 300 ms. Without
    // the cap, the call answered at once would have finished well before.
    assert.ok(Math.min(bob.ms, carol.ms) >= 280, `bob ${bob.ms.toFixed(0)} ms, carol ${carol.ms.toFixed(0)} ms`);
  });

  it('holds back a call that waited too long for its turn, or finds the queue full, without making it', async () => {
    const h = await setup();
    const guard = createWecomGuard({
      backoff: createSqliteWecomBackoffStore(h.db),
      maxConcurrentPerCorp: 1,
      maxWaitMs: 50,
      callsPerMinutePerCorp: 1000,
    });
    let calls = 0;
    const slowCall = () => new Promise<void>((resolve) => setTimeout(resolve, 200)).then(() => void calls++);

    const running = guard.run(PROVIDER_CORP_ID, slowCall);
    const waited = await guard.run(PROVIDER_CORP_ID, slowCall).then(
      () => null,
      (error: unknown) => error,
    );
    await running;

    assert.ok(waited instanceof WecomHeldBack && waited.reason === 'concurrency');
    assert.equal(calls, 1);
  });

  it('explains a held-back credential check in the admin API', async () => {
    const {h} = await clocked();
    h.simulator.fail('get_login_info', {errcode: 45009});
    await h.login('alice');

    const check = await fetch(`${h.baseUrl}/api/connections/acme/check`, {
      method: 'POST',
      headers: {authorization: 'Bearer Qm7vXc2LpR9tWz4KfJ8sNd3H'},
    });

    assert.equal((await check.json()).diagnosis, 'rate_limited');
    assert.equal(h.simulator.calls('get_provider_token').length, 1);
  });
});
