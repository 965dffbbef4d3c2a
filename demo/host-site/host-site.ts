import fs from 'node:fs';
import Koa from 'koa';

/**
 * The demo host site: a plain page on its own origin, as a site owner would have. It knows only the
 * login server's URL and the connection identifier.
 */
export function createHostSite(options: {loginServerUrl: string; connection: string}): Koa {
  const template = fs.readFileSync(new URL('./index.html', import.meta.url), 'utf8');
  const page = template
    .replaceAll('%LOGIN_SERVER%', options.loginServerUrl)
    .replaceAll('%CONNECTION%', options.connection);
  const app = new Koa();
  app.use(async (ctx) => {
    if (ctx.path === '/favicon.ico') {
      ctx.status = 204;
      return;
    }
    if (ctx.path !== '/' && ctx.path !== '/app') ctx.throw(404);
    // Popups that post back need the opener kept: same-origin-allow-popups, never same-origin.
    ctx.set('Cross-Origin-Opener-Policy', 'same-origin-allow-popups');
    ctx.type = 'html';
    ctx.body = page;
  });
  return app;
}
