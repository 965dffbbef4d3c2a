import assert from 'node:assert/strict';
import {statSync} from 'node:fs';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {HOST_ORIGIN, redirectParams, refusalCounts, setup} from '../helpers/login-harness.ts';

describe('junk requests do not grow the database', () => {
  it('1,000 forged callbacks and 1,000 made-up launches add at most 5 audit rows, under 1 MB', async () => {
    const databasePath = join(mkdtempSync(join(tmpdir(), 'wecom-junk-')), 'login.db');
    // The default rate limit, behind one trusted proxy, with the flood spread over 20 addresses.
    const h = await setup({databasePath, trustProxy: 1, rateLimitPerMinute: 600});
    const files = () =>
      ['', '-wal', '-shm'].reduce(
        (sum, suffix) => sum + (statSync(`${databasePath}${suffix}`, {throwIfNoEntry: false})?.size ?? 0),
        0,
      );
    const auditRows = () => h.countRows('audit_log');
    const [rowsBefore, bytesBefore] = [await auditRows(), files()];

    const statuses = new Map<number, number>();
    for (let i = 0; i < 1000; i++) {
      const from = {'x-forwarded-for': `198.51.100.${i % 20}`};
      const answers = await Promise.all([
        fetch(`${h.baseUrl}/connections/acme/callback?state=forged${i}&auth_code=code${i}`, {headers: from}),
        fetch(`${h.baseUrl}/connections/made-up-${i}/launch?auth_code=code${i}`, {headers: from, redirect: 'manual'}),
      ]);
      for (const answer of answers) statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    }
    const refusals = await refusalCounts(h);

    assert.deepEqual(Object.fromEntries(statuses), {400: 1000, 404: 1000});
    const rowsAdded = (await auditRows()) - rowsBefore;
    assert.ok(rowsAdded <= 5, `${rowsAdded} audit rows`);
    assert.ok(files() - bytesBefore < 1024 * 1024, `${files() - bytesBefore} bytes`);
    assert.equal(h.simulator.calls().length, 0);
    assert.deepEqual(refusals, {invalid_state: 1000, unknown_connection: 1000});
  });

  it('counts a launch with a missing or impossible auth_code without an audit row or a WeCom call', async () => {
    const h = await setup();

    const missing = await fetch(`${h.baseUrl}/connections/acme/launch`, {redirect: 'manual'});
    const impossible = await fetch(`${h.baseUrl}/connections/acme/launch?auth_code=${'x'.repeat(600)}`, {
      redirect: 'manual',
    });
    const audit = await h.store.audit.list({limit: 10});

    assert.equal(missing.headers.get('location'), `${HOST_ORIGIN}/app#wecom_sp_login_error=invalid_request`);
    assert.equal(impossible.headers.get('location'), `${HOST_ORIGIN}/app#wecom_sp_login_error=exchange_failed`);
    assert.equal(audit.items.length, 0);
    assert.equal(h.simulator.calls().length, 0);
  });

  it('keeps an audit row for a login started here that WeCom refused', async () => {
    const h = await setup();
    const {state} = await h.openQrPage();

    await h.browser.get(`${h.baseUrl}/connections/acme/callback?auth_code=not-a-wecom-code&state=${state}`);

    const audit = await h.store.audit.list({limit: 10});
    assert.deepEqual(
      audit.items.map((row) => [row.event, row.code, row.wecomErrcode]),
      [['login_failed', 'exchange_failed', 40029]],
    );
  });

  it('only counts a launch with a code WeCom does not know, auditing nothing', async () => {
    const h = await setup();

    await fetch(`${h.baseUrl}/connections/acme/launch?auth_code=not-a-wecom-code`, {redirect: 'manual'});

    assert.equal(h.simulator.calls('get_login_info').length, 1);
    assert.deepEqual((await h.store.audit.list({limit: 10})).items, []);
    assert.deepEqual(await refusalCounts(h), {exchange_failed: 1});
  });

  it('bounds what one authorize stores: a return_to over 1,024 characters, or with user info, is refused', async () => {
    const h = await setup();
    const refused = [];

    for (const returnTo of [`${HOST_ORIGIN}/${'a'.repeat(1100)}`, HOST_ORIGIN.replace('//', '//user:pw@') + '/']) {
      refused.push(
        (await fetch(`${h.baseUrl}/connections/acme/authorize?${new URLSearchParams(redirectParams(returnTo).params)}`))
          .status,
      );
    }

    assert.deepEqual(refused, [400, 400]);
    assert.equal(await h.countRows('login_transactions'), 0);
  });
});
