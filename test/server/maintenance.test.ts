import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import {setup} from '../helpers/login-harness.ts';

const DAY = 24 * 60 * 60_000;

describe('maintenance (AUDIT_RETENTION_DAYS)', () => {
  it('purges what is past retention, keeps users and recent rows, and gives the space back', async () => {
    let time = 1_800_000_000_000;
    const databasePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-maint-')), 'login.db');
    const h = await setup({databasePath, now: () => time});
    await h.login('alice');
    // A year of old audit rows, big enough to free many pages.
    for (let i = 0; i < 2000; i++)
      await h.store.audit.record({
        event: 'login_failed',
        connection: 'acme',
        code: 'exchange_failed',
        detail: 'x'.repeat(500),
      });
    time += 200 * DAY;
    await h.login('bob');
    await h.openQrPage();
    time += 11 * 60_000;
    h.db.pragma('wal_checkpoint(TRUNCATE)');
    const sizeBefore = fs.statSync(databasePath).size;

    const removed = await h.store.maintain({auditRetentionDays: 180, now: () => time});
    h.db.pragma('wal_checkpoint(TRUNCATE)');

    assert.equal(removed.auditRows, 2001, "the old rows, and alice's old login row");
    assert.equal(await h.countRows('audit_log'), 1, "bob's recent login stays");
    assert.equal(await h.countRows('login_transactions'), 0);
    assert.equal((await h.store.users.list('acme', {limit: 10})).items.length, 2, 'users stay');
    assert.ok(removed.pagesFreed > 0);
    assert.equal(h.db.pragma('freelist_count', {simple: true}), 0);
    assert.ok(
      fs.statSync(databasePath).size < sizeBefore / 2,
      `${fs.statSync(databasePath).size} of ${sizeBefore} bytes`,
    );
  });

  it('keeps the audit log forever with 0', async () => {
    let time = 1_800_000_000_000;
    const h = await setup({now: () => time});
    await h.login('alice');
    time += 1000 * DAY;

    const removed = await h.store.maintain({auditRetentionDays: 0, now: () => time});

    assert.equal(removed.auditRows, 0);
    assert.equal((await h.store.audit.list({limit: 10})).items.length, 1);
  });
});
