import assert from 'node:assert/strict';
import {after, describe, it} from 'node:test';
import Database from 'better-sqlite3';
import {runLogins} from '../../bench/login-driver.ts';
import {startLoginStack} from '../../bench/login-stack.ts';

describe('a crash during a burst of logins', () => {
  it('SIGKILL mid-burst: the server restarts on an intact database that holds every login it answered', async () => {
    const stack = await startLoginStack({servers: 1, identities: 100});
    after(() => stack.stop());
    let killed: Promise<void> | undefined;

    const burst = await runLogins(stack, {count: 400, concurrency: 20, identities: 100, onSuccess: (succeeded) => {
      // No shutdown at all, in the middle of in-flight logins.
      if (succeeded === 120) killed = stack.killServer(0);
    }});
    await killed;
    await stack.restartServer(0);
    const afterRestart = await runLogins(stack, {count: 5, concurrency: 1, identities: 100});
    const db = new Database(stack.databasePath);
    const integrity = db.pragma('integrity_check', {simple: true});
    const knownUsers = new Set((db.prepare('SELECT id FROM users').all() as Array<{id: string}>).map((row) => row.id));
    const succeededRows = (db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE event = 'login_succeeded'").get() as {n: number}).n;
    db.close();

    assert.ok(burst.failures.length > 0, 'the kill cut logins short');
    assert.ok(burst.succeeded >= 120);
    assert.equal(integrity, 'ok');
    assert.deepEqual(burst.userIds.filter((id) => !knownUsers.has(id)), [], 'every user a success named is stored');
    assert.ok(succeededRows >= burst.succeeded + afterRestart.succeeded, 'every answered success has its audit row');
    assert.equal(afterRestart.succeeded, 5);
  });
});
