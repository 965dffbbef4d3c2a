import {createHash, timingSafeEqual} from 'node:crypto';
import type Koa from 'koa';
import {AppError} from '../errors.ts';

/**
 * Guards /api: 503 when ADMIN_TOKEN is not set, 401 unless `Authorization: Bearer <ADMIN_TOKEN>`.
 * Both sides are hashed first so the comparison takes the same time whatever the length or content.
 */
export function requireAdminToken(adminToken: string | undefined): Koa.Middleware {
  const expected = adminToken === undefined ? null : sha256(adminToken);
  return async (ctx, next) => {
    if (expected === null) {
      throw new AppError('admin_disabled', 503, 'The admin API is disabled. Set ADMIN_TOKEN (16 or more characters) and restart the server to enable it.', {expose: true});
    }
    const match = /^Bearer (.+)$/.exec(ctx.get('Authorization'));
    if (!match || !timingSafeEqual(sha256(match[1]!), expected)) {
      ctx.set('WWW-Authenticate', 'Bearer realm="wecom-sp-login admin"');
      throw new AppError('unauthorized', 401, 'A valid admin bearer token is required.');
    }
    await next();
  };
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
