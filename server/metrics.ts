import {collectDefaultMetrics, Counter, Histogram, Registry} from 'prom-client';

/** The WeCom APIs the server calls, as the calls counter labels them. */
const WECOM_APIS = ['get_provider_token', 'get_login_info', 'get_suite_token', 'auth/getuserinfo3rd'];

/**
 * The errcodes the shipped alert rules watch (deploy/prometheus/alerts.yml): their series exist at 0
 * from the start, so `increase(…[5m]) > 0` fires on the very first one rather than on the second.
 */
export const WATCHED_ERRCODES = ['60020', '45009', '45033', '-1', 'transport', '40001', '40085'];

/** The server's Prometheus metrics, in a registry of its own (several servers may share a process in tests). */
export interface Metrics {
  registry: Registry;
  /** Logins by connection, mode (popup, embedded, redirect, launch) and outcome (`success` or the error code). */
  logins: Counter<'connection' | 'mode' | 'outcome'>;
  /** Calls to WeCom by API and errcode (`0` for success, `transport` when no answer came). */
  wecomCalls: Counter<'api' | 'errcode'>;
  /** How long WeCom took to answer, by API. */
  wecomDuration: Histogram<'api'>;
  /** Provider tokens fetched from WeCom (each one a get_provider_token that succeeded). */
  accessTokenFetches: Counter;
  /** Requests refused by a rate limit, by route. */
  rateLimited: Counter<'route'>;
  /** Logins at the OpenID provider by client and outcome (`success` or the error code the client got). */
  oidcLogins: Counter<'client' | 'outcome'>;
  /** Request durations by method, route pattern and status. */
  httpDuration: Histogram<'method' | 'route' | 'status'>;
}

/** Creates the metrics. Label values are route patterns, connection identifiers that exist, and fixed codes. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  const registers = [registry];
  // The process's own: resident memory, heap, event-loop lag, open file descriptors, CPU, GC.
  collectDefaultMetrics({register: registry});
  const wecomCalls = new Counter({
    name: 'wecom_sp_login_wecom_calls_total',
    help: 'Calls to WeCom by API and errcode (0 success, transport: no answer).',
    labelNames: ['api', 'errcode'],
    registers,
  });
  for (const api of WECOM_APIS) for (const errcode of WATCHED_ERRCODES) wecomCalls.labels(api, errcode).inc(0);
  return {
    registry,
    wecomCalls,
    logins: new Counter({
      name: 'wecom_sp_login_logins_total',
      help: 'Logins by connection, mode and outcome (success or the error code).',
      labelNames: ['connection', 'mode', 'outcome'],
      registers,
    }),
    wecomDuration: new Histogram({
      name: 'wecom_sp_login_wecom_call_duration_seconds',
      help: 'Time WeCom took to answer, by API.',
      labelNames: ['api'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    accessTokenFetches: new Counter({
      name: 'wecom_sp_login_access_token_fetches_total',
      help: 'Provider access tokens fetched from WeCom.',
      registers,
    }),
    oidcLogins: new Counter({
      name: 'wecom_sp_login_oidc_logins_total',
      help: 'Logins at the OpenID provider by client and outcome (success or the error code).',
      labelNames: ['client', 'outcome'],
      registers,
    }),
    rateLimited: new Counter({
      name: 'wecom_sp_login_rate_limited_total',
      help: 'Requests refused by a rate limit, by route.',
      labelNames: ['route'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'wecom_sp_login_http_request_duration_seconds',
      help: 'HTTP request durations by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers,
    }),
  };
}
