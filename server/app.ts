import Router from '@koa/router';
import Koa from 'koa';
import type {AppDeps} from './app-deps.ts';
import {createCookieKeys} from './cookie-keys.ts';
import {AppError} from './errors.ts';
import type {Logger} from './logger.ts';
import {renderResultPage} from './pages/result-page.ts';
import {createWrongTokenThrottle} from './routes/admin-auth.ts';
import {addAdminRoutes} from './routes/admin-routes.ts';
import {addAuthorizeRoute} from './routes/authorize-route.ts';
import {addCallbackRoutes} from './routes/callback-routes.ts';
import {addSuiteCallbackRoutes} from './routes/suite-callback-routes.ts';
import {addWorkbenchRoute} from './routes/workbench-route.ts';
import {apiLang, sendPage, pageLang} from './routes/http.ts';
import {addPublicRoutes} from './routes/public-routes.ts';
import {addWidgetRoute} from './routes/widget-route.ts';
import {addAdminPageRoute} from './routes/admin-page-route.ts';
import {installSession} from './session.ts';
import {createRateLimiter} from './rate-limit.ts';
import {createTokenBuckets} from './token-buckets.ts';
import {createRefusalCounter, type RefusalCounter} from './refusal-counter.ts';
import {logRequests} from './request-log.ts';
import {addMetricsRoute} from './routes/metrics-route.ts';
import {addOidcInteractionRoutes} from './routes/oidc-interaction-routes.ts';
import {addOidcClientRoutes} from './routes/oidc-client-routes.ts';
import {limitOidcRoutes} from './oidc/oidc-rate-limits.ts';
import type {LoginErrorCode} from '../widget/protocol.ts';

/** Builds the login server's Koa app. It never listens; main.ts and the tests do. */
export function createApp(deps: AppDeps): Koa {
  // Behind N proxies only the last N X-Forwarded-For entries were written by them; anything before
  // is the client's own say, so it never picks the address that rate limits and the audit log see.
  const app = new Koa({proxy: deps.trustProxy > 0, maxIpsCount: deps.trustProxy});
  app.keys = createCookieKeys(deps.sessionKeys);
  app.silent = true;
  const https = deps.publicUrl.startsWith('https:');
  const refusals = createRefusalCounter({store: deps.store.refusals, now: deps.now});
  const metrics = deps.metrics;
  app.use(logRequests(deps.log, metrics));
  app.use(handleErrors(deps.log, refusals));
  app.use(async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    // Set before the route runs, so error answers carry it too.
    if (https) ctx.set('Strict-Transport-Security', 'max-age=31536000');
    // Shutting down: end each kept-alive connection with its answer. A proxy that kept sending on one
    // would otherwise be cut mid-request at the shutdown's deadline and resend a callback whose state
    // this process had already used up (a login lost to a restart).
    if (deps.draining?.()) ctx.set('Connection', 'close');
    await next();
  });
  app.use(installSession(app, https));

  const limiter = createRateLimiter({
    perMinute: deps.rateLimitPerMinute,
    exempt: deps.rateLimitExempt,
    onRefused: (route) => metrics.rateLimited.inc({route}),
    now: deps.now,
  });
  // Strict and case-sensitive: `/authorize/` or `/AUTHORIZE` is a 404, not the route by another name.
  const router = new Router({strict: true, sensitive: true});
  addOidcInteractionRoutes(router, deps, limiter);
  addPublicRoutes(router, deps, limiter);
  addWidgetRoute(router, deps);
  addAuthorizeRoute(router, deps, limiter);
  addCallbackRoutes(router, deps, {
    limiter,
    refusals,
    metrics,
    launchBudget: createTokenBuckets(deps.launchCallsPerMinute, deps.now),
  });
  addWorkbenchRoute(router, deps, limiter);
  addSuiteCallbackRoutes(router, deps);
  // One budget of wrong bearer tokens for /metrics and the admin API: a guess at either costs the same.
  const wrongTokens = createWrongTokenThrottle({now: deps.now});
  addMetricsRoute(router, deps.metricsToken, metrics, wrongTokens);
  addAdminRoutes(router, deps, refusals, wrongTokens);
  addOidcClientRoutes(router, deps);
  addAdminPageRoute(router, deps);
  app.use(limitOidcRoutes(limiter));
  app.use(deps.oidc.middleware);
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

/**
 * The one error handler. Exposed errors (4xx, and WeCom failures written for visitors) keep their
 * code and message; anything else is logged with its cause and answered as `server_error`, so no
 * stack or internal message ever reaches a client. A refused request is counted by its code (a
 * forged state, a made-up connection): counted, never logged or audited one by one.
 */
function handleErrors(log: Logger, refusals: RefusalCounter): Koa.Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new AppError('not_found');
    } catch (caught) {
      const error = toAppError(caught);
      if (!error.expose) log.error('Request failed', {method: ctx.method, path: ctx.path, error: caught});
      else if (error.status < 500) refusals.count(error.code);
      const answered = error.expose ? error : new AppError('server_error');
      const code = answered.code;
      if (ctx.state.errorFormat === 'page') {
        const lang = pageLang(ctx);
        const message = answered.messageIn(lang);
        // The origin of this request is unknown or untrusted here, so the result is shown, not posted.
        sendPage(
          ctx,
          renderResultPage(
            {type: 'wecom-sp-login:error', nonce: '', error: {code: code as LoginErrorCode, message}},
            {targetOrigin: null, lang},
          ),
          error.status,
        );
        return;
      }
      ctx.status = error.status;
      const message = answered.messageIn(apiLang(ctx));
      ctx.body = {error: {code, message, ...(answered.field !== undefined && {field: answered.field})}};
    }
  };
}

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  // Errors from Koa carry an HTTP status (405 from the router, 400 for a malformed request).
  const status = (error as {status?: unknown}).status;
  if (typeof status === 'number' && status >= 400 && status < 500)
    return new AppError(status === 405 ? 'method_not_allowed' : 'malformed_request');
  return new AppError('server_error', {cause: error});
}
