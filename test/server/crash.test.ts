import assert from 'node:assert/strict';
import {after, describe, it} from 'node:test';
import {runLogins} from '../../bench/login-driver.ts';
import {startLoginStack} from '../../bench/login-stack.ts';
import {readStackRows} from '../../bench/stack-rows.ts';
import {startPostgres} from '../helpers/postgres-server.ts';

for (const database of ['SQLite', 'PostgreSQL'] as const) {
  describe(`a crash during a burst of logins, on ${database}`, () => {
    it('SIGKILL mid-burst: the server restarts on an intact database that holds every login it answered', async () => {
      let databaseUrl: string | undefined;
      if (database === 'PostgreSQL') {
        const postgres = await startPostgres();
        after(() => postgres.stop());
        databaseUrl = await postgres.createDatabase();
      }
      const stack = await startLoginStack({servers: 1, identities: 100, databaseUrl});
      after(() => stack.stop());
      let killed: Promise<void> | undefined;

      const burst = await runLogins(stack, {
        count: 400,
        concurrency: 20,
        identities: 100,
        onSuccess: (succeeded) => {
          // No shutdown at all, in the middle of in-flight logins.
          if (succeeded === 120) killed = stack.killServer(0);
        },
      });
      await killed;
      await stack.restartServer(0);
      const afterRestart = await runLogins(stack, {count: 5, concurrency: 1, identities: 100});
      const rows = await readStackRows(stack);

      assert.ok(burst.failures.length > 0, 'the kill cut logins short');
      assert.ok(burst.succeeded >= 120);
      assert.equal(rows.integrity, database === 'SQLite' ? 'ok' : 'n/a');
      assert.deepEqual(
        burst.userIds.filter((id) => !rows.userIds.has(id)),
        [],
        'every user a success named is stored',
      );
      assert.ok(rows.succeeded >= burst.succeeded + afterRestart.succeeded, 'every answered success has its audit row');
      assert.equal(afterRestart.succeeded, 5);
    });
  });
}
