import type Router from '@koa/router';
import type {AppDeps} from '../app-deps.ts';
import {AppError} from '../errors.ts';
import {createBuiltFileLoader, DEFAULT_WIDGET_FILE} from '../built-files.ts';
import {sendBuiltFile} from './http.ts';

/** A day fresh, then a week revalidated in the background: the URL has no version, the ETag does. */
const WIDGET_CACHE_CONTROL = 'public, max-age=86400, stale-while-revalidate=604800';

/** GET /widget/wecom-sp-login.js: the element as one self-contained ES module, for any host page. */
export function addWidgetRoute(router: Router, deps: AppDeps): void {
  const loadBundle = createBuiltFileLoader(deps.widgetFile ?? DEFAULT_WIDGET_FILE);
  router.get('/widget/wecom-sp-login.js', async (ctx) => {
    const bundle = loadBundle();
    if (!bundle) throw new AppError('widget_not_built');
    // Module scripts are fetched with CORS, so host pages on other origins need this to load it.
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
    ctx.set('Cache-Control', WIDGET_CACHE_CONTROL);
    sendBuiltFile(ctx, bundle);
  });
}
