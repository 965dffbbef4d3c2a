// `npm run abuse`: what junk and attack traffic costs the login server, as figures: WeCom calls
// made, audit rows and database bytes written, and what each attack got back. A real login server
// on a temporary SQLite file and the WeCom simulator, on loopback, bounded in count. It prints; the
// assertions live in test/server (junk-requests, wecom-backoff, hardening, redirect-and-launch).
import {statSync} from 'node:fs';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {randomBytes} from 'node:crypto';
import {hostileCallbackBodies} from '../test/helpers/hostile-callback-bodies.ts';
import {providerConnection, ADMIN_TOKEN, redirectParams, startLoginStack} from '../test/helpers/login-harness.ts';

const JUNK = Number(process.env.ABUSE_REQUESTS ?? 1000);
const databasePath = join(mkdtempSync(join(tmpdir(), 'wecom-abuse-')), 'login.db');
// One trusted proxy and the default rate limit: the flood comes from 20 forwarded addresses.
const {harness: h, close} = await startLoginStack({
  databasePath,
  trustProxy: 1,
  rateLimitPerMinute: 600,
  serviceApp: {launchUrl: null},
});
const bytes = () =>
  ['', '-wal', '-shm'].reduce(
    (sum, suffix) => sum + (statSync(`${databasePath}${suffix}`, {throwIfNoEntry: false})?.size ?? 0),
    0,
  );
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
  console.log(
    `  ${name.padEnd(56)} ${answered}; WeCom calls ${h.simulator.calls().length - calls}, audit rows ` +
      `${auditRows() - rows}, database +${((bytes() - size) / 1024).toFixed(0)} KiB`,
  );
}

/**
 * Posts `count` copies of each hostile callback body at once, while /healthz is asked every few
 * milliseconds, and prints the answers and the slowest /healthz.
 */
async function measureCallbackBodies(count: number, size: number): Promise<void> {
  const bodies = hostileCallbackBodies(size);
  const url = `${h.baseUrl}/connections/acme-sa/wecom-callback?msg_signature=${'a'.repeat(40)}&timestamp=1796000000&nonce=1`;
  let flooding = true;
  let slowestHealth = 0;
  const probe = (async () => {
    while (flooding) {
      const started = performance.now();
      await (await fetch(`${h.baseUrl}/healthz`)).arrayBuffer();
      slowestHealth = Math.max(slowestHealth, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  })();
  const started = performance.now();
  const statuses = await Promise.all(
    Object.values(bodies).flatMap((body) =>
      Array.from({length: count}, async () => {
        const response = await fetch(url, {method: 'POST', body});
        await response.arrayBuffer();
        return response.status;
      }),
    ),
  );
  const elapsed = performance.now() - started;
  flooding = false;
  await probe;
  const answered = [...new Set(statuses)]
    .map((status) => `${statuses.filter((s) => s === status).length}× ${status}`)
    .join(', ');
  console.log(
    `  ${`callback bodies of ${size / 1024} KB, 3 shapes × ${count} at once`.padEnd(56)} ${answered} in ` +
      `${elapsed.toFixed(0)} ms; slowest /healthz meanwhile ${slowestHealth.toFixed(0)} ms`,
  );
}

try {
  console.log(`wecom-sp-login abuse figures: one server, SQLite file, ${JUNK} requests per attack from 20 addresses`);
  await measure('forged callbacks (made-up state)', JUNK, (i) =>
    fetch(`${h.baseUrl}/connections/acme/callback?state=forged${i}&auth_code=code${i}`, {headers: from(i)}),
  );
  await measure('launches of made-up connections', JUNK, (i) =>
    fetch(`${h.baseUrl}/connections/made-up-${i}/launch?auth_code=code${i}`, {headers: from(i), redirect: 'manual'}),
  );
  await measure('launches with an impossible auth_code', JUNK, (i) =>
    fetch(`${h.baseUrl}/connections/acme/launch?auth_code=${'x'.repeat(600)}${i}`, {
      headers: from(i),
      redirect: 'manual',
    }),
  );
  await measure('wrong admin tokens from one address', 100, () =>
    fetch(`${h.baseUrl}/api/connections`, {headers: {authorization: 'Bearer guess-guess-guess-guess', ...from(0)}}),
  );
  await measure('authorize with a 1,100-character return_to', 100, (i) =>
    fetch(
      `${h.baseUrl}/connections/acme/authorize` +
        `?${new URLSearchParams(redirectParams(`http://shop.test:8080/${'a'.repeat(1100)}`).params)}`,
      {headers: from(i)},
    ),
  );
  await measureCallbackBodies(20, 64 * 1024);
  await measureCallbackBodies(20, 16 * 1024);
  // A connection of its own, so its launch budget is spent here and nowhere else.
  await h.store.connections.create(providerConnection('flood'));
  await measure('launches with plausible made-up codes, 10 addresses', 600, (i) =>
    fetch(`${h.baseUrl}/connections/flood/launch?auth_code=${randomBytes(16).toString('hex')}`, {
      headers: from(i % 10),
      redirect: 'manual',
    }),
  );
  h.simulator.fail('get_login_info', {errcode: 45009});
  await measure('launches after WeCom answered 45009', 30, (i) =>
    fetch(`${h.baseUrl}/connections/acme/launch?auth_code=${h.simulator.issueAuthCode('bob')}`, {
      headers: from(i),
      redirect: 'manual',
    }),
  );
  const refusals = (await (
    await fetch(`${h.baseUrl}/api/refusals`, {headers: {authorization: `Bearer ${ADMIN_TOKEN}`}})
  ).json()) as {items: Array<{reason: string; count: number}>};
  console.log(
    `  refusals counted instead (GET /api/refusals): ${refusals.items
      .map((row) => `${row.reason} ${row.count}`)
      .join(', ')}`,
  );
} finally {
  await close();
}
