// The WeCom simulator as a process of its own, for the load and benchmark scripts: configured by
// environment variables, with a cast of synthetic users and three simulator-only routes under /sim/
// (never WeCom's): the call counters, fresh auth codes (for timing get_login_info alone, and for
// the benchmark's logins that leave the QR page and the scan to WeCom, as production does), and the
// simulator's own time on each get_login_info it answered.
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {createWecomSimulator} from '../demo/wecom-simulator/simulator.ts';
import {syntheticIdentities, syntheticKey} from './synthetic-identities.ts';

const env = process.env;
const simulator = createWecomSimulator({
  providers: [
    {
      corpId: env.SIM_CORP_ID!,
      providerSecret: env.SIM_PROVIDER_SECRET!,
      loginDomains: env.SIM_LOGIN_HOSTS!.split(','),
      callbackDomains: env.SIM_LOGIN_HOSTS!.split(','),
    },
  ],
  identities: syntheticIdentities(Number(env.SIM_IDENTITIES ?? 500)),
});

// The simulator's own share of each get_login_info, by auth code: from the moment its request is
// parsed to the last byte of its answer. The bench takes it out of each callback's latency, which
// leaves the time the login server added. The middleware goes first, so it sees the parsed body.
const receivedAt = new WeakMap<http.IncomingMessage, number>();
const ownMsByAuthCode = new Map<string, number>();
simulator.app.middleware.unshift(async (ctx, next) => {
  await next();
  const authCode = (ctx.request.body as {auth_code?: unknown} | undefined)?.auth_code;
  const started = receivedAt.get(ctx.req);
  if (ctx.path !== '/cgi-bin/service/get_login_info' || typeof authCode !== 'string' || started === undefined) return;
  ctx.res.once('finish', () => ownMsByAuthCode.set(authCode, performance.now() - started));
});

const handle = simulator.app.callback();
const server = http.createServer((request, response) => {
  receivedAt.set(request, performance.now());
  const url = new URL(request.url ?? '/', 'http://simulator');
  if (url.pathname === '/sim/own-times') {
    // Handed over once: the map only holds what the current round has not collected yet.
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(Object.fromEntries(ownMsByAuthCode)));
    ownMsByAuthCode.clear();
    return;
  }
  if (url.pathname === '/sim/stats') {
    const calls = simulator.calls();
    response.setHeader('content-type', 'application/json');
    response.end(
      JSON.stringify({
        getProviderToken: calls.filter((c) => c.endpoint === 'get_provider_token').length,
        getLoginInfo: calls.filter((c) => c.endpoint === 'get_login_info').length,
        failedCalls: calls.filter((c) => c.errcode !== 0).length,
      }),
    );
    return;
  }
  if (url.pathname === '/sim/auth-codes') {
    const count = Math.min(Number(url.searchParams.get('n') ?? 1), 100_000);
    const codes = Array.from({length: count}, (_, i) =>
      simulator.issueAuthCode(syntheticKey(i % Number(env.SIM_IDENTITIES ?? 500))),
    );
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(codes));
    return;
  }
  void handle(request, response);
});
server.keepAliveTimeout = 60_000;
server.listen(Number(env.SIM_PORT ?? 0), '127.0.0.1', () => {
  console.log(`simulator listening http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.once('SIGTERM', () => process.exit(0));
