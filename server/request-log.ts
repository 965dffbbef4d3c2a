import {performance} from 'node:perf_hooks';
import type Koa from 'koa';
import {randomToken} from './crypto/random-token.ts';
import type {Logger} from './logger.ts';

/** Probes ask often and say nothing new: they stay out of the request log. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/** A request id a proxy may have set (nginx's `$request_id`): kept when it is a plain token. */
const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * One log line per request: method, route pattern (never the path's values or the query string,
 * which carry auth_code, state and tickets), status, duration and a request id, also sent back as
 * `X-Request-Id` so a visitor's report can be found in the log. Outermost, so it sees the final status.
 */
export function logRequests(log: Logger): Koa.Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    const incoming = ctx.get('X-Request-Id');
    const requestId = REQUEST_ID.test(incoming) ? incoming : randomToken(20);
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    try {
      await next();
    } finally {
      if (!PROBES.has(ctx.path)) {
        const route = (ctx as {_matchedRoute?: unknown})._matchedRoute;
        log.info('request', {method: ctx.method, route: typeof route === 'string' ? route : null, status: ctx.status, ms: Math.round((performance.now() - started) * 10) / 10, requestId});
      }
    }
  };
}
