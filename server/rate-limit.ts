import {BlockList, isIP, isIPv4} from 'node:net';
import type Koa from 'koa';
import {addToBlockList} from './network.ts';
import {AppError} from './errors.ts';
import {createTokenBuckets} from './token-buckets.ts';

/** The routes a visitor's browser drives, and so the ones a script hammering from one address would. */
export type LimitedRoute =
  | 'authorize'
  | 'callback'
  | 'launch'
  | 'workbench'
  | 'tickets'
  | 'admin_auth'
  | 'oidc_auth'
  | 'oidc_login'
  | 'oidc_token'
  | 'oidc_userinfo';

/** Options of createRateLimiter. */
export interface RateLimiterOptions {
  /** Bucket size and refill per minute, per client address and route; 0 turns the limiter off. */
  perMinute: number;
  /** Addresses and CIDRs never limited (RATE_LIMIT_EXEMPT). */
  exempt?: readonly string[];
  /** Told of each refusal (metrics). */
  onRefused?: (route: LimitedRoute) => void;
  now?: () => number;
}

/** Per-client token buckets, kept in this process's memory. */
export interface RateLimiter {
  /** Takes one token for `client` on `route`; throws RateLimited (429, Retry-After) when the bucket is empty. */
  take(ctx: Koa.Context, route: LimitedRoute): void;
}

/** Too many requests from one address on one route; `retryAfterSeconds` says when a token is back. */
export class RateLimited extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited');
  }
}

/**
 * A token bucket per (route, client address): it holds `perMinute` tokens and refills at that many a
 * minute, so a company behind one NAT address gets its whole budget in a burst at 9 a.m. and a steady
 * flow after, unlike a fixed window that refuses everything until the minute turns. Several processes
 * each keep their own buckets, so the limit behind a load balancer is perMinute × processes.
 */
export function createRateLimiter({
  perMinute,
  exempt = [],
  onRefused,
  now = Date.now,
}: RateLimiterOptions): RateLimiter {
  const exemptList = new BlockList();
  for (const entry of exempt) addToBlockList(exemptList, entry);
  const buckets = createTokenBuckets(perMinute, now);
  return {
    take(ctx, route) {
      if (perMinute === 0 || isExempt(exemptList, ctx.ip)) return;
      const retryAfterSeconds = buckets.take(`${route} ${clientKey(ctx.ip)}`);
      if (retryAfterSeconds === 0) return;
      ctx.set('Retry-After', String(retryAfterSeconds));
      onRefused?.(route);
      throw new RateLimited(retryAfterSeconds);
    },
  };
}

/**
 * Takes a token for a page route; returns the refusal instead of throwing it, so the route can
 * still tell the element that started the login (it knows the element's origin and nonce).
 */
export function takeOrHold(limiter: RateLimiter, ctx: Koa.Context, route: LimitedRoute): RateLimited | null {
  try {
    limiter.take(ctx, route);
    return null;
  } catch (error) {
    if (error instanceof RateLimited) return error;
    throw error;
  }
}

/** Koa middleware that takes a token for `route` before the route runs (JSON routes). */
export function limitRoute(limiter: RateLimiter, route: LimitedRoute): Koa.Middleware {
  return async (ctx, next) => {
    limiter.take(ctx, route);
    await next();
  };
}

/**
 * The bucket of a client address: an IPv4 address as it is, an IPv6 address by its /64. One IPv6
 * subscriber is handed a whole /64 (2^64 addresses), so per-address buckets would give one
 * attacker endless fresh ones.
 */
export function clientKey(ip: string): string {
  const address = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  if (isIP(address) !== 6) return address;
  const [head = '', tail] = address.split('%')[0]!.split('::');
  const left = head === '' ? [] : head.split(':');
  // An embedded IPv4 address at the end stands for two groups; the /64 never reaches it.
  const right =
    tail === undefined || tail === ''
      ? []
      : tail.split(':').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group]));
  const groups =
    tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

function isExempt(list: BlockList, ip: string): boolean {
  // Node reports IPv4 clients of a dual-stack socket as ::ffff:a.b.c.d.
  const address = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  if (isIP(address) === 0) return false;
  return list.check(address, isIPv4(address) ? 'ipv4' : 'ipv6');
}
