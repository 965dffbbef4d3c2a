import {createHash, timingSafeEqual} from 'node:crypto';
import type Koa from 'koa';
import type {AuditStore} from '../db/audit-store.ts';
import {AppError} from '../errors.ts';
import {createRateLimiter, RateLimited} from '../rate-limit.ts';
import {createTokenBuckets} from '../token-buckets.ts';

/** Wrong tokens a client may send in a burst; it then gets one more every 6 s. */
const FAILURES_PER_MINUTE = 10;
/** Wrong tokens from every client together: guessing from many addresses is no faster than from six. */
const FAILURES_PER_MINUTE_OVERALL = 60;

/**
 * The throttle on wrong bearer tokens, shared by the admin API and /metrics: a guess at either
 * spends the same budget, per client (its /64 for IPv6) and overall. The right token is checked
 * before it and never throttled.
 */
export interface WrongTokenThrottle {
  /** Takes one wrong guess; throws RateLimited (429, Retry-After) past either budget. */
  take(ctx: Koa.Context): void;
}

/** Creates the WrongTokenThrottle, in this process's memory like the other rate limits. */
export function createWrongTokenThrottle({now}: {now?: () => number} = {}): WrongTokenThrottle {
  const perClient = createRateLimiter({perMinute: FAILURES_PER_MINUTE, now});
  const overall = createTokenBuckets(FAILURES_PER_MINUTE_OVERALL, now);
  return {
    take(ctx) {
      perClient.take(ctx, 'admin_auth');
      const retryAfterSeconds = overall.take('overall');
      if (retryAfterSeconds === 0) return;
      ctx.set('Retry-After', String(retryAfterSeconds));
      throw new RateLimited(retryAfterSeconds);
    },
  };
}

/**
 * Guards /api: 503 when ADMIN_TOKEN is not set, 401 unless `Authorization: Bearer <ADMIN_TOKEN>`.
 * Both sides are hashed first so the comparison takes the same time whatever the length or content.
 * Wrong tokens spend the WrongTokenThrottle (whatever RATE_LIMIT_PER_MINUTE says): past it, 429
 * without an audit row, so guessing runs at ten a minute per client and sixty overall; the right
 * token is never throttled, from anywhere. Each wrong token within the budget is audited.
 */
export function requireAdminToken(
  adminToken: string | undefined,
  {audit, failures}: {audit: AuditStore; failures: WrongTokenThrottle},
): Koa.Middleware {
  const expected = adminToken === undefined ? null : sha256(adminToken);
  return async (ctx, next) => {
    if (expected === null) {
      throw new AppError('admin_disabled');
    }
    if (!hasBearer(ctx, expected)) {
      failures.take(ctx);
      await audit.record({event: 'admin_auth_failed', detail: `${ctx.method} ${ctx.path.slice(0, 100)}`, ip: ctx.ip});
      ctx.set('WWW-Authenticate', 'Bearer realm="wecom-sp-login admin"');
      throw new AppError('admin_token_required');
    }
    await next();
  };
}

/**
 * True when the request carries `Authorization: Bearer <token whose SHA-256 is expectedHash>`, compared in constant
 * time.
 */
export function hasBearer(ctx: Koa.Context, expectedHash: Buffer): boolean {
  const match = /^Bearer (.+)$/.exec(ctx.get('Authorization'));
  return match !== null && timingSafeEqual(sha256(match[1]!), expectedHash);
}

/** SHA-256 of a token, the form tokens are compared in. */
export function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
