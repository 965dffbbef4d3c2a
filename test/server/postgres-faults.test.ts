import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {runLogins} from '../../bench/login-driver.ts';
import {startLoginStack} from '../../bench/login-stack.ts';
import {readStackRows} from '../../bench/stack-rows.ts';
import {startPostgres, type ThrowAwayPostgres} from '../helpers/postgres-server.ts';

// PostgreSQL itself crashing and coming back while real server processes have logins in flight.
// (A server process killed mid-burst is crash.test.ts, on both databases.)

let postgres: ThrowAwayPostgres;
before(async () => {
  postgres = await startPostgres();
});
after(() => postgres?.stop());

describe('PostgreSQL restarted during a burst of logins', () => {
  it('loses no answered login through a PostgreSQL crash, and recovers by itself', async () => {
    // The throw-away server trusts every local client, so a password is accepted and ignored: here it
    // is only there to be kept out of the logs.
    const password = `pw-${Date.now()}-never-logged`;
    const databaseUrl = (await postgres.createDatabase()).replace('postgres@', `postgres:${password}@`);
    const stack = await startLoginStack({servers: 2, identities: 100, databaseUrl});
    after(() => stack.stop());
    let restarted: Promise<void> | undefined;

    const burst = await runLogins(stack, {
      count: 600,
      concurrency: 20,
      identities: 100,
      onSuccess: (succeeded) => {
        // As a crash would (no shutdown checkpoint), and down for half a second.
        if (succeeded === 150) restarted = postgres.restart({downMs: 500});
      },
    });
    await restarted;
    const afterwards = await runLogins(stack, {count: 20, concurrency: 4, identities: 100});
    const rows = await readStackRows(stack);

    assert.ok(burst.failures.length > 0, 'the restart cut logins short');
    // The visitor sees the login's error result (server_error) or the login server's error page; never a hang or a
    // reset connection.
    const unclear = burst.failures.filter(
      (failure) =>
        !/login ended server_error|No #wecom-sp-login-navigate JSON script in the page:[^]*(登录失败|Login failed)/.test(
          failure,
        ),
    );
    assert.deepEqual(unclear.slice(0, 3), []);
    assert.deepEqual(
      burst.userIds.filter((id) => !rows.userIds.has(id)),
      [],
      'every user a success named is stored',
    );
    assert.ok(rows.succeeded >= burst.succeeded + afterwards.succeeded, 'every answered success has its audit row');
    assert.equal(afterwards.succeeded, 20, 'both servers log in again without being restarted');
    for (const url of stack.serverUrls) assert.equal((await fetch(`${url}/readyz`)).status, 200);
    assert.ok(
      stack.problems.some((line) => /PostgreSQL|terminating connection|ECONNREFUSED/i.test(line)),
      'the servers said what happened',
    );
    assert.ok(
      stack.output.some((line) => line.includes('"database":"postgres://postgres:***@127.0.0.1')),
      'the start-up line names the database, password masked',
    );
    assert.deepEqual(
      stack.output.filter((line) => line.includes(password)),
      [],
    );
  });
});
