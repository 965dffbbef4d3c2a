import {createHash, timingSafeEqual} from 'node:crypto';
import type Koa from 'koa';
import type {AuditStore} from '../db/audit-store.ts';
import {AppError} from '../errors.ts';
import {createRateLimiter} from '../rate-limit.ts';

/** Wrong tokens a client may send in a burst; it then gets one more every 6 s. */
const FAILURES_PER_MINUTE = 10;

/**
 * Guards /api: 503 when ADMIN_TOKEN is not set, 401 unless `Authorization: Bearer <ADMIN_TOKEN>`.
 * Both sides are hashed first so the comparison takes the same time whatever the length or content.
 * Wrong tokens are throttled per client on their own bucket (whatever RATE_LIMIT_PER_MINUTE says):
 * past it, 429 without a check, so guessing runs at ten a minute; the right token is never
 * throttled, from anywhere. Each wrong token that is checked is audited.
 */
export function requireAdminToken(adminToken: string | undefined, {audit, now}: {audit: AuditStore; now?: () => number}): Koa.Middleware {
  const expected = adminToken === undefined ? null : sha256(adminToken);
  const failures = createRateLimiter({perMinute: FAILURES_PER_MINUTE, now});
  return async (ctx, next) => {
    if (expected === null) {
      throw new AppError('admin_disabled', 503, 'The admin API is disabled. Set ADMIN_TOKEN (16 or more characters) and restart the server to enable it.', {expose: true});
    }
    if (!hasBearer(ctx, expected)) {
      failures.take(ctx, 'admin_auth');
      await audit.record({event: 'admin_auth_failed', detail: `${ctx.method} ${ctx.path.slice(0, 100)}`, ip: ctx.ip});
      ctx.set('WWW-Authenticate', 'Bearer realm="wecom-sp-login admin"');
      throw new AppError('unauthorized', 401, 'A valid admin bearer token is required.');
    }
    await next();
  };
}

/** True when the request carries `Authorization: Bearer <token whose SHA-256 is expectedHash>`, compared in constant time. */
export function hasBearer(ctx: Koa.Context, expectedHash: Buffer): boolean {
  const match = /^Bearer (.+)$/.exec(ctx.get('Authorization'));
  return match !== null && timingSafeEqual(sha256(match[1]!), expectedHash);
}

/** SHA-256 of a token, the form tokens are compared in. */
export function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
