import type Router from '@koa/router';
import type {AppDeps} from '../app-deps.ts';
import {createBuiltFileLoader, DEFAULT_ADMIN_FILE} from '../built-files.ts';
import {AppError} from '../errors.ts';
import {cspHash, escapeHtml} from '../pages/html.ts';
import {sendBuiltFile} from './http.ts';

const PAGE_STYLE = 'body{margin:0;background:#f4f6f9}';

/**
 * GET /admin: the admin console, a page with one element, `<wecom-sp-admin>`, over the admin API;
 * GET /admin/admin.js: its module. The page loads nothing but its own origin's script, may not be
 * framed (clickjacking), and carries no secret: the admin signs in with the token in the page.
 */
export function addAdminPageRoute(router: Router, deps: AppDeps): void {
  const loadConsole = createBuiltFileLoader(deps.adminFile ?? DEFAULT_ADMIN_FILE);

  router.get('/admin', async (ctx) => {
    const built = loadConsole();
    if (!built) throw new AppError('admin_not_built');
    ctx.set(
      'Content-Security-Policy',
      [
        "default-src 'none'",
        "script-src 'self'",
        `style-src ${cspHash(PAGE_STYLE)}`,
        "connect-src 'self'",
        "img-src 'self' data:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
      ].join('; '),
    );
    ctx.set('Cache-Control', 'no-store');
    // The console opens no windows and needs no opener: a page it is opened from or opens gets no handle on it.
    ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
    ctx.type = 'html';
    // The script URL carries the build's hash, so a rebuilt console is never served from a stale cache.
    ctx.body =
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" ` +
      `content="width=device-width,initial-scale=1">
<title>wecom-sp-login admin</title><style>${PAGE_STYLE}</style>
<script type="module" src="/admin/admin.js?v=${encodeURIComponent(built.etag.slice(1, -1))}"></script></head>
<body><wecom-sp-admin public-url="${escapeHtml(deps.publicUrl)}"></wecom-sp-admin></body></html>`;
  });

  router.get('/admin/admin.js', async (ctx) => {
    const built = loadConsole();
    if (!built) throw new AppError('admin_not_built');
    ctx.set('Cache-Control', 'no-cache');
    sendBuiltFile(ctx, built);
  });
}
