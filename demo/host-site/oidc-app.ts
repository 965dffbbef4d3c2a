import {randomBytes} from 'node:crypto';
import type Koa from 'koa';
import * as oidc from 'openid-client';
import {escapeHtml} from '../../server/pages/html.ts';

/** What the demo's team app needs: the provider's issuer, its client, and where it lives. */
export interface OidcAppOptions {
  /** The login server's OpenID provider: `${loginServerUrl}/oidc`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The app's base URL: its pages are under `${appUrl}`, its redirect URI `${appUrl}/callback`. */
  appUrl: string;
}

/** One browser's state: the checks of a login in progress, then who logged in. */
interface AppSession {
  checks?: {pkceCodeVerifier: string; state: string; nonce: string};
  claims?: Record<string, unknown>;
  idToken?: string;
}

const COOKIE = 'demo_team_app';
/** A claim as text ('' when it is not a string). */
const text = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * The demo's stand-in for an app that cannot embed the tag (a Grafana, a wiki): a server-side
 * relying party of the login server's OpenID provider, written with openid-client as any Node app
 * would. GET /oidc-app shows who is logged in or a login link; /oidc-app/login, /callback and
 * /logout run the code flow with PKCE, state and nonce, and RP-initiated logout. Sessions live in
 * this process's memory, which is enough for a demo.
 */
export function createOidcApp(options: OidcAppOptions): Koa.Middleware {
  const sessions = new Map<string, AppSession>();
  let config: Promise<oidc.Configuration> | undefined;
  // Discovered on first use: the login server may start after this site.
  const discover = () =>
    (config ??= oidc
      .discovery(new URL(options.issuer), options.clientId, options.clientSecret, undefined, {
        // The demo runs on http://localhost; a real app talks to its provider over https only.
        execute: [oidc.allowInsecureRequests],
      })
      .catch((error: unknown) => {
        config = undefined;
        throw error;
      }));
  const sessionOf = (ctx: Koa.Context): AppSession => {
    let id = ctx.cookies.get(COOKIE);
    if (!id || !sessions.has(id)) {
      id = randomBytes(18).toString('base64url');
      sessions.set(id, {});
      ctx.cookies.set(COOKIE, id, {httpOnly: true, sameSite: 'lax'});
    }
    return sessions.get(id)!;
  };

  return async (ctx, next) => {
    if (ctx.path !== '/oidc-app' && !ctx.path.startsWith('/oidc-app/')) {
      await next();
      return;
    }
    const session = sessionOf(ctx);
    const route = ctx.path.slice('/oidc-app'.length);
    if (route === '/login') {
      const checks = {
        pkceCodeVerifier: oidc.randomPKCECodeVerifier(),
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
      };
      session.checks = checks;
      ctx.redirect(
        oidc.buildAuthorizationUrl(await discover(), {
          redirect_uri: `${options.appUrl}/callback`,
          scope: 'openid profile wecom',
          code_challenge: await oidc.calculatePKCECodeChallenge(checks.pkceCodeVerifier),
          code_challenge_method: 'S256',
          state: checks.state,
          nonce: checks.nonce,
        }).href,
      );
      return;
    }
    if (route === '/callback') {
      const checks = session.checks;
      session.checks = undefined;
      if (!checks) return ctx.redirect(options.appUrl);
      try {
        const tokens = await oidc.authorizationCodeGrant(await discover(), new URL(ctx.href), {
          pkceCodeVerifier: checks.pkceCodeVerifier,
          expectedState: checks.state,
          expectedNonce: checks.nonce,
        });
        session.claims = tokens.claims() as Record<string, unknown>;
        session.idToken = tokens.id_token;
      } catch (error) {
        ctx.type = 'html';
        ctx.body = page(`<p id="oidc-error">${escapeHtml((error as Error).message)}</p>`, options);
        return;
      }
      return ctx.redirect(options.appUrl);
    }
    if (route === '/logout') {
      const idToken = session.idToken;
      session.claims = session.idToken = undefined;
      if (!idToken) return ctx.redirect(options.appUrl);
      return ctx.redirect(
        oidc.buildEndSessionUrl(await discover(), {id_token_hint: idToken, post_logout_redirect_uri: options.appUrl})
          .href,
      );
    }
    ctx.type = 'html';
    ctx.body = page(
      session.claims
        ? `<p>Logged in as <strong id="oidc-user">${escapeHtml(text(session.claims.name))}</strong> ` +
            `(<code>${escapeHtml(text(session.claims.corp_id))}</code>).</p>` +
            `<pre id="oidc-claims">${escapeHtml(JSON.stringify(session.claims, null, 2))}</pre>` +
            `<p><a id="oidc-logout" href="${options.appUrl}/logout">Log out</a></p>`
        : `<p>This app cannot embed the tag: it logs in through the login server's OpenID provider.</p>` +
            `<p><a id="oidc-login" href="${options.appUrl}/login">Log in with WeCom (OpenID Connect)</a></p>`,
      options,
    );
  };
}

function page(body: string, options: OidcAppOptions): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Team app (OpenID Connect)</title>` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"></head>` +
    `<body style="font:15px/1.5 system-ui,sans-serif;max-width:720px;margin:32px auto;padding:0 16px">` +
    `<h1>Team app</h1><p style="color:#646a73">A relying party of <code>${escapeHtml(options.issuer)}</code>, ` +
    `client <code>${escapeHtml(options.clientId)}</code>.</p>${body}</body></html>`
  );
}
