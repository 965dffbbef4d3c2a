import type Koa from 'koa';
import {AppError} from './errors.ts';

/** Routes a visitor's browser drives, and so the ones a script hammering from one IP would. */
const LIMITED_ROUTE = /^\/connections\/[^/]+\/(authorize|callback|launch|tickets)$/;

/** Options of the per-IP rate limit. */
export interface RateLimitOptions {
  /** Requests per minute and IP, for each of authorize, callback, launch and tickets; 0 turns the limit off. */
  perMinute: number;
  now?: () => number;
}

/**
 * A fixed one-minute window per (route, IP), kept in this process's memory: a burst from one address
 * gets 429 with Retry-After and changes nothing. Several processes each count their own share, so
 * the effective limit behind a load balancer is perMinute × processes.
 */
export function rateLimit({perMinute, now = Date.now}: RateLimitOptions): Koa.Middleware {
  let windowStart = 0;
  let counts = new Map<string, number>();
  return async (ctx, next) => {
    const route = LIMITED_ROUTE.exec(ctx.path)?.[1];
    if (perMinute === 0 || route === undefined || ctx.method === 'OPTIONS') return next();
    const time = now();
    if (time - windowStart >= 60_000) {
      // A new window forgets every address, so the map never outgrows one minute of visitors.
      windowStart = time;
      counts = new Map();
    }
    const key = `${route} ${ctx.ip}`;
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    if (count > perMinute) {
      ctx.set('Retry-After', String(Math.max(1, Math.ceil((windowStart + 60_000 - time) / 1000))));
      throw new AppError('rate_limited', 429, 'Too many requests from this address. Wait a minute and try again.', {expose: true});
    }
    await next();
  };
}
