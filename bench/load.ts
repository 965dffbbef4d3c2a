// `npm run load`: complete logins (authorize → WeCom's QR page → scan → callback) against real
// login-server processes and the simulator, on loopback, bounded in count. Once with one server,
// once with two processes on one SQLite file, each login starting on one and finishing on the
// other. It checks what must hold and exits non-zero when something does not.
import Database from 'better-sqlite3';
import {quantile, runLogins} from './login-driver.ts';
import {startLoginStack} from './login-stack.ts';

const LOGINS = Number(process.env.LOAD_LOGINS ?? 2000);
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 50);
const IDENTITIES = Number(process.env.LOAD_IDENTITIES ?? 500);

async function scenario(servers: number): Promise<boolean> {
  const stack = await startLoginStack({servers, identities: IDENTITIES});
  let run;
  let stats: {getProviderToken: number; getLoginInfo: number};
  try {
    run = await runLogins(stack, {count: LOGINS, concurrency: CONCURRENCY, identities: IDENTITIES});
    stats = await (await fetch(`${stack.simulatorUrl}/sim/stats`)).json();
  } finally {
    await stack.stop();
  }
  const db = new Database(stack.databasePath, {readonly: true});
  const users = (db.prepare('SELECT COUNT(*) AS n FROM users').get() as {n: number}).n;
  const audited = (db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE event = 'login_succeeded'").get() as {n: number}).n;
  const integrity = db.pragma('integrity_check', {simple: true});
  db.close();

  const expectedUsers = Math.min(LOGINS, IDENTITIES);
  const checks: Array<[string, boolean]> = [
    [`failed logins: ${run.failures.length} (want 0)`, run.failures.length === 0],
    [`provider-token fetches: ${stats.getProviderToken} (want 1)`, stats.getProviderToken === 1],
    [`get_login_info calls: ${stats.getLoginInfo} (want ${LOGINS})`, stats.getLoginInfo === LOGINS],
    [`users: ${users} (want ${expectedUsers} distinct identities)`, users === expectedUsers],
    [`login_succeeded audit rows: ${audited} (want ${LOGINS})`, audited === LOGINS],
    [`integrity_check: ${integrity}`, integrity === 'ok'],
    [`server warnings and errors logged: ${stack.problems.length} (want 0; an SQLITE_BUSY would be one)`, stack.problems.length === 0],
  ];
  console.log(`\n${servers === 1 ? 'one server process' : `${servers} server processes on one SQLite file, each login crossing them`}`);
  console.log(`  ${run.succeeded}/${LOGINS} logins at concurrency ${CONCURRENCY} in ${(run.elapsedMs / 1000).toFixed(1)} s: ${(run.succeeded / (run.elapsedMs / 1000)).toFixed(0)} logins/s`);
  console.log(`  callback latency p50 ${quantile(run.callbackMs, 0.5).toFixed(1)} ms, p99 ${quantile(run.callbackMs, 0.99).toFixed(1)} ms`);
  for (const [text, ok] of checks) console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${text}`);
  for (const failure of [...run.failures, ...stack.problems].slice(0, 5)) console.log(`    ${failure}`);
  return checks.every(([, ok]) => ok);
}

const results = [await scenario(1), await scenario(2)];
process.exit(results.every(Boolean) ? 0 : 1);
