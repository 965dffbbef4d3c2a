import fs from 'node:fs';
import {bodyParser} from '@koa/bodyparser';
import Koa from 'koa';
import {createIdTokenVerifier} from './verify-id-token.ts';
import {createOidcApp, type OidcAppOptions} from './oidc-app.ts';

/** What the demo site knows: where the login server and the simulator are, and its own origin. */
export interface HostSiteOptions {
  loginServerUrl: string;
  simulatorUrl: string;
  siteOrigin: string;
  /** The connection of each WeCom login; the page shows one at a time (`?flow=service-app` the new one). */
  connections: {legacy: string; serviceApp: string};
  /** The team app at /oidc-app, a relying party of the login server's OpenID provider. */
  oidcApp?: OidcAppOptions;
}

const read = (file: string) => fs.readFileSync(new URL(file, import.meta.url), 'utf8');
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The demo host site: a plain page on its own origin, as a site owner would have, plus the small
 * backend every site needs: POST /api/verify checks an ID token against the login server's JWKS.
 * Beside it, /oidc-app is an app that logs in through the OpenID provider instead of the tag.
 */
export function createHostSite(options: HostSiteOptions): Koa {
  const template = read('./index.html')
    .replaceAll('%LOGIN_SERVER%', options.loginServerUrl)
    .replaceAll('%SIMULATOR%', options.simulatorUrl)
    .replace('%VERIFY_SNIPPET%', escapeHtml(read('./verify-id-token.ts')));
  // The page names its connection in the HTML, so a redirect's return (the same URL) finds the
  // element of the same connection, before any script runs.
  const pages = {
    legacy: template.replaceAll('%CONNECTION%', options.connections.legacy).replaceAll('%FLOW%', 'legacy'),
    serviceApp: template.replaceAll('%CONNECTION%', options.connections.serviceApp).replaceAll('%FLOW%', 'service-app'),
  };
  const script = read('./demo-page.js');
  // A token is for one connection (its aud); this site accepts either of its two.
  const verify = createIdTokenVerifier({
    loginServer: options.loginServerUrl,
    connection: [options.connections.legacy, options.connections.serviceApp],
    siteOrigin: options.siteOrigin,
  });

  const app = new Koa();
  app.use(bodyParser({enableTypes: ['json'], jsonLimit: '16kb'}));
  if (options.oidcApp) app.use(createOidcApp(options.oidcApp));
  app.use(async (ctx) => {
    if (ctx.method === 'POST' && ctx.path === '/api/verify') {
      const idToken = (ctx.request.body as {idToken?: unknown} | undefined)?.idToken;
      try {
        if (typeof idToken !== 'string') throw new Error('The body must be {"idToken": "…"}.');
        ctx.body = {valid: true, claims: await verify(idToken)};
      } catch (error) {
        ctx.status = 401;
        ctx.body = {valid: false, error: (error as Error).message};
      }
      return;
    }
    if (ctx.method !== 'GET') ctx.throw(405);
    if (ctx.path === '/demo-page.js') {
      ctx.type = 'text/javascript';
      ctx.body = script;
      return;
    }
    if (ctx.path === '/favicon.ico') {
      ctx.status = 204;
      return;
    }
    if (ctx.path !== '/' && ctx.path !== '/app') ctx.throw(404);
    // Popups that post back need the opener kept: same-origin-allow-popups, never same-origin.
    ctx.set('Cross-Origin-Opener-Policy', 'same-origin-allow-popups');
    ctx.type = 'html';
    ctx.body = ctx.query.flow === 'service-app' ? pages.serviceApp : pages.legacy;
  });
  return app;
}
