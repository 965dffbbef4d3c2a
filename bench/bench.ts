// `npm run bench`: figures from one run on this machine. It prints; it never fails a build.
//
// Four stacks run side by side, each with its own simulator process: ours (server/main.ts) and
// three minimal in-memory references with no database: on node:http (bench/minimal-server.ts)
// without and with ES256 signing, and on our server's framework, Koa with @koa/router and koa-session
// (bench/minimal-koa-server.ts), signing. Logins come in two shapes:
// - as the login server's machine sees them, three HTTP exchanges: authorize, the callback and its
//   get_login_info, with the auth codes issued before each round, because in production WeCom serves
//   the QR page and the phone scans, off the login server's machine;
// - as a browser makes them: authorize, WeCom's QR page, the scan and the callback, with the
//   simulator's QR page and scan sharing this machine's cores.
// Every stack is warmed up in both shapes first: every process here (driver, simulator, server)
// gets about twice as fast over its first couple of thousand logins as V8 optimizes it, and a
// production server runs warm. Then ROUNDS rounds each measure ours, the minimal servers (each in
// both shapes) and the bare get_login_info call back to back, and the medians are printed, so that
// a slow spell of this shared machine lands on all of them rather than on one. Ours against each
// reference is the median of the round-by-round ratios, each between two measurements made seconds
// apart. The latency the server adds is each callback minus the simulator's own time on its
// get_login_info, which bench/simulator-main.ts times by auth code.
import {readFileSync} from 'node:fs';
import {gzipSync} from 'node:zlib';
import {createLocalJWKSet, jwtVerify, type JSONWebKeySet} from 'jose';
import {DEFAULT_WIDGET_FILE} from '../server/built-files.ts';
import {benchDatabases} from './database-bench.ts';
import {exchange, issueAuthCodes, quantile, runLogins} from './login-driver.ts';
import {startLoginStack, type LoginStack} from './login-stack.ts';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const LOGINS = Number(process.env.BENCH_LOGINS ?? 1000);
const WARM_UP_LOGINS = Number(process.env.BENCH_WARM_UP ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const UNLOADED_LOGINS = 500;
const DATABASE_ROUNDS = Number(process.env.BENCH_DATABASE_ROUNDS ?? 5);
const IDENTITIES = 500;
const WIDGET_BUDGET_BYTES = 10 * 1024;

/** What one measured run of complete logins gave, with the CPU each process spent per login. */
interface LoginMeasurement {
  perSecond: number;
  callbackMs: number[];
  /** The simulator's own milliseconds on each callback's get_login_info, sorted. */
  simulatorOwnMs: number[];
  /**
   * Each callback's latency minus the simulator's own time on its get_login_info: what the login server added. Sorted.
   */
  addedMs: number[];
  sampleIdToken: string | null;
  /** Milliseconds of CPU (user + system) per login: the login server(s), the simulator, and this driver. */
  cpuMs: {server: number; simulator: number; driver: number};
}

/**
 * Runs `count` complete logins on `stack` and measures them; throws if any failed. `issuedCodes`:
 * the three-exchange shape (see runLogins).
 */
async function measureLogins(
  stack: LoginStack,
  count: number,
  {concurrency = CONCURRENCY, issuedCodes = false}: {concurrency?: number; issuedCodes?: boolean} = {},
): Promise<LoginMeasurement> {
  const before = {...stack.cpuSeconds(), driver: process.cpuUsage()};
  const run = await runLogins(stack, {count, concurrency, identities: IDENTITIES, issuedCodes});
  const after = stack.cpuSeconds();
  const driver = process.cpuUsage(before.driver);
  if (run.failures.length) throw new Error(`${run.failures.length} logins failed, first: ${run.failures[0]}`);
  const ownMs = (await (await fetch(`${stack.simulatorUrl}/sim/own-times`)).json()) as Record<string, number>;
  const simulatorOwnMs: number[] = [];
  const addedMs: number[] = [];
  for (const [authCode, callbackMs] of run.callbackMsByAuthCode) {
    const own = ownMs[authCode];
    if (own === undefined) throw new Error(`the simulator has no time for auth code ${authCode}`);
    simulatorOwnMs.push(own);
    addedMs.push(callbackMs - own);
  }
  const perLoginMs = (seconds: number) => (seconds / run.succeeded) * 1000;
  return {
    perSecond: run.succeeded / (run.elapsedMs / 1000),
    callbackMs: run.callbackMs,
    simulatorOwnMs: simulatorOwnMs.sort((a, b) => a - b),
    addedMs: addedMs.sort((a, b) => a - b),
    sampleIdToken: run.sampleIdToken,
    cpuMs: {
      server: perLoginMs(after.servers - before.servers),
      simulator: perLoginMs(after.simulator - before.simulator),
      driver: perLoginMs((driver.user + driver.system) / 1e6),
    },
  };
}

/** The simulator's bare get_login_info: `count` calls with fresh codes, `concurrency` at a time. */
async function bareGetLoginInfo(stack: LoginStack, count: number): Promise<{perSecond: number; sortedMs: number[]}> {
  const tokenResponse = await fetch(`${stack.simulatorUrl}/cgi-bin/service/get_provider_token`, {
    method: 'POST',
    headers: {'content-type': 'application/json'},
    body: JSON.stringify({corpid: stack.corpId, provider_secret: stack.providerSecret}),
  });
  const {provider_access_token: token} = (await tokenResponse.json()) as {provider_access_token: string};
  const codes = await issueAuthCodes(stack, count);
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({length: CONCURRENCY}, async () => {
      while (next < codes.length) {
        const code = codes[next++]!;
        const t = performance.now();
        const response = await exchange(`${stack.simulatorUrl}/cgi-bin/service/get_login_info?access_token=${token}`, {
          method: 'POST',
          headers: {'content-type': 'application/json'},
          body: JSON.stringify({auth_code: code}),
        });
        const body = JSON.parse(response.text) as {errcode?: number};
        if (body.errcode) throw new Error(`get_login_info errcode ${body.errcode}`);
        times.push(performance.now() - t);
      }
    }),
  );
  return {perSecond: count / ((performance.now() - started) / 1000), sortedMs: times.sort((a, b) => a - b)};
}

/** ID tokens verified per second by a host site's backend with jose (keys cached, as createRemoteJWKSet does). */
async function verificationsPerSecond(stack: LoginStack, idToken: string): Promise<number> {
  const jwks = createLocalJWKSet(
    (await (await fetch(`${stack.serverUrls[0]}/.well-known/jwks.json`)).json()) as JSONWebKeySet,
  );
  const options = {issuer: stack.serverUrls[0], audience: 'load', algorithms: ['ES256']};
  for (let i = 0; i < 200; i++) await jwtVerify(idToken, jwks, options);
  const count = 3000;
  const started = performance.now();
  for (let i = 0; i < count; i++) await jwtVerify(idToken, jwks, options);
  return count / ((performance.now() - started) / 1000);
}

/** The round whose `value` is the median (the middle one of an odd count). */
function medianBy<T>(rounds: T[], value: (round: T) => number): T {
  return [...rounds].sort((a, b) => value(a) - value(b))[Math.floor(rounds.length / 2)]!;
}

/** One round: each stack measured in both shapes, and the bare call, back to back. */
interface Round {
  browser: Record<StackName, LoginMeasurement>;
  threeExchange: Record<StackName, LoginMeasurement>;
  bare: {perSecond: number; sortedMs: number[]};
}
type StackName = 'ours' | 'minimal' | 'minimalSigned' | 'minimalKoa';
type Shape = 'browser' | 'threeExchange';

const stacks: Record<StackName, LoginStack> = {
  ours: await startLoginStack({servers: 1, identities: IDENTITIES}),
  minimal: await startLoginStack({servers: 1, identities: IDENTITIES, minimal: 'unsigned'}),
  minimalSigned: await startLoginStack({servers: 1, identities: IDENTITIES, minimal: 'signed'}),
  minimalKoa: await startLoginStack({servers: 1, identities: IDENTITIES, minimal: 'koa'}),
};
const names = Object.keys(stacks) as StackName[];
const REFERENCES = [
  ['minimal', 'minimal server, node:http, no signing:'],
  ['minimalSigned', 'minimal server, node:http, ES256 signing:'],
  ['minimalKoa', 'minimal server, Koa + koa-session, ES256:'],
] as const;
const SHAPES: Record<Shape, {issuedCodes: boolean; title: string}> = {
  threeExchange: {
    issuedCodes: true,
    title:
      "logins as the server's machine sees them: authorize, the callback and its get_login_info (auth codes " +
      'issued before each round: in production WeCom serves the QR page and the phone scans)',
  },
  browser: {
    issuedCodes: false,
    title:
      "logins as a browser makes them, WeCom's side on this machine too: authorize, WeCom's QR page, the " +
      'scan, the callback and its get_login_info',
  },
};
try {
  for (const shape of Object.values(SHAPES))
    for (const name of names) await measureLogins(stacks[name], WARM_UP_LOGINS, shape);
  await bareGetLoginInfo(stacks.ours, WARM_UP_LOGINS);
  const rounds: Round[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const browser = {} as Record<StackName, LoginMeasurement>;
    const threeExchange = {} as Record<StackName, LoginMeasurement>;
    for (const name of names) {
      threeExchange[name] = await measureLogins(stacks[name], LOGINS, SHAPES.threeExchange);
      browser[name] = await measureLogins(stacks[name], LOGINS, SHAPES.browser);
    }
    rounds.push({browser, threeExchange, bare: await bareGetLoginInfo(stacks.ours, LOGINS)});
  }
  // One visitor at a time: the latency a login waits on the server when nothing queues in front of it.
  const unloaded = await measureLogins(stacks.ours, UNLOADED_LOGINS, {...SHAPES.threeExchange, concurrency: 1});
  const unloadedReference = await measureLogins(stacks.minimalSigned, UNLOADED_LOGINS, {
    ...SHAPES.threeExchange,
    concurrency: 1,
  });
  const median = (shape: Shape, name: StackName) =>
    medianBy(rounds, (round) => round[shape][name].perSecond)[shape][name];
  const bare = medianBy(rounds, (round) => round.bare.perSecond).bare;
  const verifyRate = await verificationsPerSecond(stacks.ours, median('threeExchange', 'ours').sampleIdToken!);
  const gzipped = gzipSync(readFileSync(DEFAULT_WIDGET_FILE), {level: 9}).length;
  const p = (sorted: number[], q: number) => quantile(sorted, q).toFixed(1);
  const rates = (pick: (round: Round) => {perSecond: number}) =>
    rounds.map((round) => pick(round).perSecond.toFixed(0)).join(', ');
  const cpu = (m: LoginMeasurement) =>
    `server ${m.cpuMs.server.toFixed(2)} ms, simulator ${m.cpuMs.simulator.toFixed(2)} ms, driver ` +
    `${m.cpuMs.driver.toFixed(2)} ms`;
  const added = (m: LoginMeasurement) => `p50 ${p(m.addedMs, 0.5)} ms, p99 ${p(m.addedMs, 0.99)} ms`;
  // Ours against a reference round by round: each pair ran back to back, so a slow spell of the
  // machine that spans a pair cancels out of its ratio; the median of the pairs is what is printed.
  const against = (shape: Shape, name: StackName) => {
    const m = median(shape, name);
    const shares = rounds
      .map((round) => (round[shape].ours.perSecond / round[shape][name].perSecond) * 100)
      .sort((a, b) => a - b);
    return (
      `${m.perSecond.toFixed(0)} logins/s (rounds: ${rates((round) => round[shape][name])}), ratio ` +
      `${(m.perSecond / bare.perSecond).toFixed(2)}; ours is ${quantile(shares, 0.5).toFixed(0)} % of it ` +
      `(round by round ${shares[0]!.toFixed(0)}–${shares.at(-1)!.toFixed(0)} %)`
    );
  };
  const section = (shape: Shape) => {
    const logins = median(shape, 'ours');
    console.log(SHAPES[shape].title);
    console.log(
      `  complete logins:          ${logins.perSecond.toFixed(0)} /s (rounds: ${rates((round) => round[shape].ours)})`,
    );
    console.log(`  CPU per login:            ${cpu(logins)} (user + system time of each process)`);
    console.log(
      `  callback latency:         p50 ${p(logins.callbackMs, 0.5)} ms, p99 ${p(logins.callbackMs, 0.99)} ` +
        `ms (includes WeCom's get_login_info)`,
    );
    console.log(
      `  simulator's own time:     p50 ${p(logins.simulatorOwnMs, 0.5)} ms, p99 ` +
        `${p(logins.simulatorOwnMs, 0.99)} ms (on each callback's get_login_info, as the simulator timed it)`,
    );
    console.log(
      `  added by the server:      ${added(logins)} (each callback minus the simulator's own time on its ` +
        `get_login_info)`,
    );
    console.log(`  login rate / bare rate:   ${(logins.perSecond / bare.perSecond).toFixed(2)}`);
    for (const [name, label] of REFERENCES) {
      console.log(`  ${label.padEnd(42)}${against(shape, name)}`);
      console.log(`    its CPU per login:      ${cpu(median(shape, name))}; added by it ${added(median(shape, name))}`);
    }
  };

  console.log(`wecom-sp-login bench: one login-server process, the simulator in another, concurrency ${CONCURRENCY}`);
  console.log(
    `  ${WARM_UP_LOGINS} logins of each shape to warm up, then ${ROUNDS} rounds of ${LOGINS} logins of ` +
      `each shape on each server and ${LOGINS} bare calls; medians`,
  );
  console.log(
    `  bare get_login_info:      ${bare.perSecond.toFixed(0)} /s, p50 ${p(bare.sortedMs, 0.5)} ms, p99 ` +
      `${p(bare.sortedMs, 0.99)} ms (rounds: ${rates((round) => round.bare)})`,
  );
  console.log(
    `  added, one at a time:     ${added(unloaded)} (concurrency 1, three-exchange logins; the signing ` +
      `minimal server: ${added(unloadedReference)})`,
  );
  console.log(`  ID-token verification:    ${verifyRate.toFixed(0)} /s (jose jwtVerify, ES256, cached JWKS, one core)`);
  console.log(
    `  widget bundle gzipped:    ${gzipped.toLocaleString('en')} B of ` +
      `${WIDGET_BUDGET_BYTES.toLocaleString('en')} B (${((gzipped / WIDGET_BUDGET_BYTES) * 100).toFixed(1)} ` +
      `%)`,
  );
  section('threeExchange');
  section('browser');
} finally {
  await Promise.all(names.map((name) => stacks[name].stop()));
}
await benchDatabases({
  logins: LOGINS,
  rounds: DATABASE_ROUNDS,
  warmUpLogins: WARM_UP_LOGINS,
  concurrency: CONCURRENCY,
  identities: IDENTITIES,
});
