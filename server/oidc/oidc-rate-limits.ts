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
 * a refusal is a 429 with Retry-After (a page for /oidc/auth, which a browser opens). oidc-provider's
 * router ignores case and a trailing slash (`/oidc/Token/` is its token endpoint), so the path is
 * looked up the same way: no other spelling is an uncounted way in.
 */
export function limitOidcRoutes(limiter: RateLimiter): Koa.Middleware {
  return async (ctx, next) => {
    const route = Object.hasOwn(LIMITED, routeKey(ctx.path)) ? LIMITED[routeKey(ctx.path)] : undefined;
    if (route !== undefined) {
      if (route === 'oidc_auth') ctx.state.errorFormat = 'page';
      limiter.take(ctx, route);
    }
    await next();
  };
}

/** A path as oidc-provider's router matches it: case ignored, trailing slashes dropped. */
function routeKey(path: string): string {
  let key = path.toLowerCase();
  while (key.length > 1 && key.endsWith('/')) key = key.slice(0, -1);
  return key;
}
