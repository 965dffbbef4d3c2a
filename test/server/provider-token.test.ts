import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {describe, it} from 'node:test';
import {createSecretBox} from '../../server/crypto/secret-box.ts';
import {createSealer} from '../../server/db/sealed-columns.ts';
import {createSqliteAccessTokenStore} from '../../server/db/sqlite/sqlite-access-tokens.ts';
import {createProviderTokens} from '../../server/wecom/provider-tokens.ts';
import {createWecomClient} from '../../server/wecom/wecom-client.ts';
import {WecomApiError} from '../../server/wecom/wecom-errors.ts';
import {
  PROVIDER_CORP_ID,
  PROVIDER_SECRET,
  popupParams,
  readResult,
  resultCode,
  setup,
} from '../helpers/login-harness.ts';

describe('provider_access_token handling', () => {
  it('fetches one token for 200 concurrent logins', async () => {
    const h = await setup();
    await h.openQrPage(); // one browser: let it get its session cookie before the burst
    const states = await Promise.all(Array.from({length: 200}, () => h.openQrPage().then((r) => r.state)));

    const pages = await Promise.all(
      states.map((state, i) =>
        h.browser.get(
          `${h.baseUrl}/connections/acme/callback?auth_code=${h.simulator.issueAuthCode(i % 2 ? 'alice' : 'bob')}` +
            `&state=${state}`,
        ),
      ),
    );

    assert.deepEqual(pages.map(resultCode), Array(200).fill('success'));
    assert.equal(h.simulator.calls('get_provider_token').length, 1);
    assert.equal(h.simulator.calls('get_login_info').length, 200);
    assert.equal((await h.store.users.list('acme', {limit: 10})).items.length, 2);
  });

  it('reuses the cached token across logins', async () => {
    const h = await setup();

    await h.login('alice');
    await h.login('bob');

    assert.equal(h.simulator.calls('get_provider_token').length, 1);
  });

  it('drops the token and fetches again exactly once on 42001, and the login succeeds', async () => {
    const h = await setup();
    await h.login('alice');
    h.simulator.revokeTokens(42001);

    const page = await h.login('alice');

    assert.equal(resultCode(page), 'success');
    assert.equal(h.simulator.calls('get_provider_token').length, 2);
    assert.deepEqual(
      h.simulator.calls('get_login_info').map((c) => c.errcode),
      [0, 42001, 0],
    );
  });

  it('refreshes once for many concurrent logins that all hit an early-invalidated token', async () => {
    const h = await setup();
    await h.login('alice');
    h.simulator.revokeTokens(40014);
    const states = await Promise.all(Array.from({length: 20}, () => h.openQrPage().then((r) => r.state)));

    const pages = await Promise.all(
      states.map((state) =>
        h.browser.get(
          `${h.baseUrl}/connections/acme/callback?auth_code=${h.simulator.issueAuthCode('alice')}&state=${state}`,
        ),
      ),
    );

    assert.deepEqual(pages.map(resultCode), Array(20).fill('success'));
    assert.equal(h.simulator.calls('get_provider_token').length, 2);
  });

  it('does not retry a second time when the fresh token is refused too', async () => {
    const h = await setup();
    await h.login('alice');
    h.simulator.revokeTokens(42001);
    h.simulator.fail('get_login_info', {errcode: 42001}, 2);

    const page = await h.login('alice');

    assert.equal(resultCode(page), 'exchange_failed');
    assert.equal(h.simulator.calls('get_login_info').length, 3);
  });

  it('refreshes early when less than five minutes are left', async () => {
    const h = await setup({tokenTtlSeconds: 290});

    await h.login('alice');
    await h.login('alice');

    assert.equal(h.simulator.calls('get_provider_token').length, 2);
  });

  it('retries get_provider_token on -1 (system busy) and then succeeds', async () => {
    const h = await setup();
    h.simulator.fail('get_provider_token', {errcode: -1});

    const page = await h.login('alice');

    assert.equal(resultCode(page), 'success');
    assert.deepEqual(
      h.simulator.calls('get_provider_token').map((c) => c.errcode),
      [-1, 0],
    );
  });

  it('does not retry on 45009 and tells the visitor WeCom is unavailable', async () => {
    const h = await setup();
    h.simulator.fail('get_provider_token', {errcode: 45009});

    const page = await h.login('alice');
    const audit = await h.store.audit.list({limit: 1});

    assert.equal(resultCode(page), 'wecom_unavailable');
    assert.equal(h.simulator.calls('get_provider_token').length, 1);
    assert.equal(audit.items[0]!.wecomErrcode, 45009);
    assert.doesNotMatch(page.text, /freq out of limit|hint:/);
  });

  it('reports a configuration error without retrying when WeCom refuses the IP (60020)', async () => {
    const h = await setup();
    h.simulator.setIpWhitelist(['203.0.113.7']);

    const page = await h.login('alice');

    assert.equal(resultCode(page), 'wecom_config_error');
    assert.equal(h.simulator.calls('get_provider_token').length, 1);
    assert.doesNotMatch(page.text, /from ip|127\.0\.0\.1/);
  });

  it('reports wecom_unavailable when WeCom hangs past the timeout', async () => {
    const h = await setup({wecomTimeoutMs: 200});
    h.simulator.fail('get_provider_token', {delayMs: 1_000});

    const page = await h.login('alice');

    assert.equal(resultCode(page), 'wecom_unavailable');
  });

  it('shares one fetch between two processes on one database through the refresh lease', async () => {
    const h = await setup();
    const box = createSecretBox(randomBytes(32));
    const wecom = createWecomClient({apiBase: h.simulatorUrl, timeoutMs: 2_000});
    h.simulator.fail('get_provider_token', {delayMs: 150});
    const processA = createProviderTokens({store: createSqliteAccessTokenStore(h.db, createSealer(box)), wecom});
    const processB = createProviderTokens({store: createSqliteAccessTokenStore(h.db, createSealer(box)), wecom});

    const tokens = await Promise.all([
      processA.get(PROVIDER_CORP_ID, PROVIDER_SECRET),
      processB.get(PROVIDER_CORP_ID, PROVIDER_SECRET),
    ]);

    assert.equal(tokens[0], tokens[1]);
    assert.equal(h.simulator.calls('get_provider_token').length, 1);
  });

  /** Provider tokens over the harness's database, counting reads of the shared store. */
  async function countingTokens() {
    const h = await setup();
    const shared = createSqliteAccessTokenStore(h.db, createSealer(createSecretBox(randomBytes(32))));
    const reads = {count: 0};
    const store = {...shared, read: (corpId: string) => (reads.count++, shared.read(corpId))};
    const tokens = createProviderTokens({store, wecom: createWecomClient({apiBase: h.simulatorUrl, timeoutMs: 2_000})});
    return {h, tokens, reads, first: await tokens.get(PROVIDER_CORP_ID, PROVIDER_SECRET)};
  }

  it('serves a valid token from memory once it has read it from the shared store', async () => {
    const {tokens, reads, first} = await countingTokens();
    const readsAfterFetch = reads.count;

    for (let i = 0; i < 5; i++) assert.equal(await tokens.get(PROVIDER_CORP_ID, PROVIDER_SECRET), first);

    assert.equal(reads.count, readsAfterFetch);
  });

  it('goes back to the shared store after a token error, never serving the refused token again', async () => {
    const {h, tokens, reads, first} = await countingTokens();
    const readsAfterFetch = reads.count;
    h.simulator.revokeTokens(40014);
    const used: string[] = [];
    await tokens.withToken(PROVIDER_CORP_ID, PROVIDER_SECRET, async (token) => {
      used.push(token);
      if (token === first) throw new WecomApiError('get_login_info', 40014, 'invalid access_token');
    });
    assert.equal(used.length, 2);
    assert.notEqual(used[1], first, 'the refused token is not served again');
    assert.ok(reads.count > readsAfterFetch, 'the store was consulted after the token error');
  });

  it('keeps the auth_code usable when only the token was refused', async () => {
    const h = await setup();
    await h.login('alice');
    h.simulator.revokeTokens(40014);
    const params = popupParams();

    const page = await h.login('alice', params);

    assert.equal(readResult(page).nonce, params.nonce);
    assert.equal(resultCode(page), 'success');
  });
});
