import type Koa from 'koa';
import type {LimitedRoute, RateLimiter} from '../rate-limit.ts';

/** The OpenID provider's endpoints a script could hammer, and the bucket each spends from. */
const LIMITED: Record<string, LimitedRoute> = {
  '/oidc/auth': 'oidc_auth',
  '/oidc/token': 'oidc_token',
  '/oidc/me': 'oidc_userinfo',
};

/**
 * Takes a token per request to /oidc/auth, /oidc/token and /oidc/me, as the element's routes do:
 * a refusal is a 429 with Retry-After (a page for /oidc/auth, which a browser opens).
 */
export function limitOidcRoutes(limiter: RateLimiter): Koa.Middleware {
  return async (ctx, next) => {
    const route = LIMITED[ctx.path];
    if (route !== undefined) {
      if (route === 'oidc_auth') ctx.state.errorFormat = 'page';
      limiter.take(ctx, route);
    }
    await next();
  };
}
