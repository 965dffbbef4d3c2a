import type Router from '@koa/router';
import {AppError} from '../errors.ts';
import type {Metrics} from '../metrics.ts';
import {hasBearer, sha256, type WrongTokenThrottle} from './admin-auth.ts';

/**
 * GET /metrics: Prometheus's text format, for a scraper holding METRICS_TOKEN. Without the setting
 * the route does not exist (404); a wrong or missing token is a 401. The figures name connections
 * and error rates, which are an operator's business, not the public's. Wrong tokens spend the admin
 * API's throttle (a guess here is a guess there) and are counted as `unauthorized` refusals.
 */
export function addMetricsRoute(
  router: Router,
  metricsToken: string | undefined,
  metrics: Metrics,
  failures: WrongTokenThrottle,
): void {
  const expected = metricsToken === undefined ? null : sha256(metricsToken);
  router.get('/metrics', async (ctx) => {
    if (expected === null) throw new AppError('not_found');
    if (!hasBearer(ctx, expected)) {
      failures.take(ctx);
      ctx.set('WWW-Authenticate', 'Bearer realm="wecom-sp-login metrics"');
      throw new AppError('metrics_token_required');
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
}
