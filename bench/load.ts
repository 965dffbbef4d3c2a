// `npm run load`: complete logins (authorize → WeCom's QR page → scan → callback) against real
// login-server processes and the simulator, on loopback, bounded in count. On SQLite and then on a
// throw-away PostgreSQL server: once with one server, once with two processes on one database, each
// login starting on one and finishing on the other. It checks what must hold and exits non-zero when
// something does not. LOAD_DATABASES=sqlite (or postgres) runs one of the two.
import {startPostgres, type ThrowAwayPostgres} from '../test/helpers/postgres-server.ts';
import {quantile, runLogins} from './login-driver.ts';
import {startLoginStack} from './login-stack.ts';
import {readStackRows} from './stack-rows.ts';

const LOGINS = Number(process.env.LOAD_LOGINS ?? 2000);
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 50);
const IDENTITIES = Number(process.env.LOAD_IDENTITIES ?? 500);
const DATABASES = (process.env.LOAD_DATABASES ?? 'sqlite,postgres').split(',');

async function scenario(servers: number, postgres?: ThrowAwayPostgres): Promise<boolean> {
  const stack = await startLoginStack({servers, identities: IDENTITIES, databaseUrl: await postgres?.createDatabase()});
  let run;
  let stats: {getProviderToken: number; getLoginInfo: number};
  try {
    run = await runLogins(stack, {count: LOGINS, concurrency: CONCURRENCY, identities: IDENTITIES});
    stats = await (await fetch(`${stack.simulatorUrl}/sim/stats`)).json();
  } finally {
    await stack.stop();
  }
  const rows = await readStackRows(stack);

  const expectedUsers = Math.min(LOGINS, IDENTITIES);
  const checks: Array<[string, boolean]> = [
    [`failed logins: ${run.failures.length} (want 0)`, run.failures.length === 0],
    [`provider-token fetches: ${stats.getProviderToken} (want 1)`, stats.getProviderToken === 1],
    [`get_login_info calls: ${stats.getLoginInfo} (want ${LOGINS})`, stats.getLoginInfo === LOGINS],
    [`users: ${rows.users} (want ${expectedUsers} distinct identities)`, rows.users === expectedUsers],
    [`login_succeeded audit rows: ${rows.succeeded} (want ${LOGINS})`, rows.succeeded === LOGINS],
    ...(postgres ? [] : [[`integrity_check: ${rows.integrity}`, rows.integrity === 'ok'] as [string, boolean]]),
    [
      `server warnings and errors logged: ${stack.problems.length} (want 0; an SQLITE_BUSY or a lost ` +
        `connection would be one)`,
      stack.problems.length === 0,
    ],
  ];
  const database = postgres ? 'PostgreSQL' : 'SQLite';
  console.log(
    `\n${database}: ${
      servers === 1 ? 'one server process' : `${servers} server processes on one database, each login crossing them`
    }`,
  );
  console.log(
    `  ${run.succeeded}/${LOGINS} logins at concurrency ${CONCURRENCY} in ` +
      `${(run.elapsedMs / 1000).toFixed(1)} s: ${(run.succeeded / (run.elapsedMs / 1000)).toFixed(0)} ` +
      `logins/s`,
  );
  console.log(
    `  callback latency p50 ${quantile(run.callbackMs, 0.5).toFixed(1)} ms, p99 ` +
      `${quantile(run.callbackMs, 0.99).toFixed(1)} ms`,
  );
  for (const [text, ok] of checks) console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${text}`);
  for (const failure of [...run.failures, ...stack.problems].slice(0, 5)) console.log(`    ${failure}`);
  return checks.every(([, ok]) => ok);
}

const results: boolean[] = [];
if (DATABASES.includes('sqlite')) results.push(await scenario(1), await scenario(2));
if (DATABASES.includes('postgres')) {
  const postgres = await startPostgres();
  try {
    results.push(await scenario(1, postgres), await scenario(2, postgres));
  } finally {
    await postgres.stop();
  }
}
process.exit(results.every(Boolean) ? 0 : 1);
