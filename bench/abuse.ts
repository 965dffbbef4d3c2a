// `npm run abuse`: what junk and attack traffic costs the login server, as figures: WeCom calls
// made, audit rows and database bytes written, and what each attack got back. A real login server
// on a temporary SQLite file and the WeCom simulator, on loopback, bounded in count. It prints; the
// assertions live in test/server (junk-requests, wecom-backoff, hardening, redirect-and-launch).
import {statSync} from 'node:fs';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {ADMIN_TOKEN, redirectParams, startLoginStack} from '../test/helpers/login-harness.ts';

const JUNK = Number(process.env.ABUSE_REQUESTS ?? 1000);
const databasePath = join(mkdtempSync(join(tmpdir(), 'wecom-abuse-')), 'login.db');
// One trusted proxy and the default rate limit: the flood comes from 20 forwarded addresses.
const {harness: h, close} = await startLoginStack({databasePath, trustProxy: 1, rateLimitPerMinute: 600});
const bytes = () => ['', '-wal', '-shm'].reduce((sum, suffix) => sum + (statSync(`${databasePath}${suffix}`, {throwIfNoEntry: false})?.size ?? 0), 0);
const auditRows = () => (h.db.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as {n: number}).n;
const from = (i: number) => ({'x-forwarded-for': `198.51.100.${i % 20}`});

/** Runs `count` requests made by `send`, and prints what they cost. */
async function measure(name: string, count: number, send: (i: number) => Promise<Response>): Promise<void> {
  const [calls, rows, size] = [h.simulator.calls().length, auditRows(), bytes()];
  const statuses = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const response = await send(i);
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    await response.arrayBuffer();
  }
  const answered = [...statuses].map(([status, n]) => `${n}× ${status}`).join(', ');
  console.log(`  ${name.padEnd(44)} ${answered}; WeCom calls ${h.simulator.calls().length - calls}, audit rows ${auditRows() - rows}, database +${((bytes() - size) / 1024).toFixed(0)} KiB`);
}

try {
  console.log(`wecom-sp-login abuse figures: one server, SQLite file, ${JUNK} requests per attack from 20 addresses`);
  await measure('forged callbacks (made-up state)', JUNK, (i) => fetch(`${h.baseUrl}/connections/acme/callback?state=forged${i}&auth_code=code${i}`, {headers: from(i)}));
  await measure('launches of made-up connections', JUNK, (i) => fetch(`${h.baseUrl}/connections/made-up-${i}/launch?auth_code=code${i}`, {headers: from(i), redirect: 'manual'}));
  await measure('launches with an impossible auth_code', JUNK, (i) => fetch(`${h.baseUrl}/connections/acme/launch?auth_code=${'x'.repeat(600)}${i}`, {headers: from(i), redirect: 'manual'}));
  await measure('wrong admin tokens from one address', 100, () => fetch(`${h.baseUrl}/api/connections`, {headers: {authorization: 'Bearer guess-guess-guess-guess', ...from(0)}}));
  await measure('authorize with a 1,100-character return_to', 100, (i) => fetch(`${h.baseUrl}/connections/acme/authorize?${new URLSearchParams(redirectParams(`http://shop.test:8080/${'a'.repeat(1100)}`).params)}`, {headers: from(i)}));
  h.simulator.fail('get_login_info', {errcode: 45009});
  await measure('launches after WeCom answered 45009', 30, (i) => fetch(`${h.baseUrl}/connections/acme/launch?auth_code=${h.simulator.issueAuthCode('bob')}`, {headers: from(i), redirect: 'manual'}));
  const refusals = await (await fetch(`${h.baseUrl}/api/refusals`, {headers: {authorization: `Bearer ${ADMIN_TOKEN}`}})).json() as {items: Array<{reason: string; count: number}>};
  console.log(`  refusals counted instead (GET /api/refusals): ${refusals.items.map((row) => `${row.reason} ${row.count}`).join(', ')}`);
} finally {
  await close();
}
