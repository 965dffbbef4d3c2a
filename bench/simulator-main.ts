// The WeCom simulator as a process of its own, for the load and benchmark scripts: configured by
// environment variables, with a cast of synthetic users and two simulator-only routes under /sim/
// (never WeCom's): the call counters, and fresh auth codes for timing get_login_info alone.
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {createWecomSimulator} from '../demo/wecom-simulator/simulator.ts';
import {syntheticIdentities, syntheticKey} from './synthetic-identities.ts';

const env = process.env;
const simulator = createWecomSimulator({
  providers: [{corpId: env.SIM_CORP_ID!, providerSecret: env.SIM_PROVIDER_SECRET!, loginDomains: env.SIM_LOGIN_HOSTS!.split(','), callbackDomains: env.SIM_LOGIN_HOSTS!.split(',')}],
  identities: syntheticIdentities(Number(env.SIM_IDENTITIES ?? 500)),
});
const handle = simulator.app.callback();
const server = http.createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://simulator');
  if (url.pathname === '/sim/stats') {
    const calls = simulator.calls();
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({
      getProviderToken: calls.filter((c) => c.endpoint === 'get_provider_token').length,
      getLoginInfo: calls.filter((c) => c.endpoint === 'get_login_info').length,
      failedCalls: calls.filter((c) => c.errcode !== 0).length,
    }));
    return;
  }
  if (url.pathname === '/sim/auth-codes') {
    const count = Math.min(Number(url.searchParams.get('n') ?? 1), 100_000);
    const codes = Array.from({length: count}, (_, i) => simulator.issueAuthCode(syntheticKey(i % Number(env.SIM_IDENTITIES ?? 500))));
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(codes));
    return;
  }
  handle(request, response);
});
server.keepAliveTimeout = 60_000;
server.listen(Number(env.SIM_PORT ?? 0), '127.0.0.1', () => {
  console.log(`simulator listening http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.once('SIGTERM', () => process.exit(0));
