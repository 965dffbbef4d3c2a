import {performance} from 'node:perf_hooks';
import type Koa from 'koa';
import {randomToken} from './crypto/random-token.ts';
import type {Logger} from './logger.ts';
import type {Metrics} from './metrics.ts';

/** Probes ask often and say nothing new: they stay out of the request log. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/** A request id a proxy may have set (nginx's `$request_id`): kept when it is a plain token. */
const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * One log line per request: method, route pattern (never the path's values or the query string,
 * which carry auth_code, state and tickets), status, duration, the client's address and a request id, also sent back as
 * `X-Request-Id` so a visitor's report can be found in the log. Outermost, so it sees the final status.
 */
export function logRequests(log: Logger, metrics?: Pick<Metrics, 'httpDuration'>): Koa.Middleware {
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
        const matched = (ctx as {_matchedRoute?: unknown})._matchedRoute;
        const route = typeof matched === 'string' ? matched : null;
        const ms = performance.now() - started;
        // The client as TRUST_PROXY resolves it: the visitor's address behind the proxy, not the proxy's.
        log.info('request', {
          method: ctx.method,
          route,
          status: ctx.status,
          ms: Math.round(ms * 10) / 10,
          client: ctx.ip,
          requestId,
        });
        // Unmatched paths share one label: a scanner's made-up paths must not each become a series.
        metrics?.httpDuration.observe(
          {method: ctx.method, route: route ?? 'unmatched', status: String(ctx.status)},
          ms / 1000,
        );
      }
    }
  };
}
