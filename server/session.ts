import type Koa from 'koa';
import session from 'koa-session';
import {randomToken} from './crypto/random-token.ts';

const SESSION_MAX_AGE_MS = 60 * 60 * 1000;

const SESSION_OPTIONS = {
  key: 'wecom_sp_login',
  maxAge: SESSION_MAX_AGE_MS,
  httpOnly: true,
  signed: true,
  // Lax: sent on the top-level navigation back from WeCom (popup, redirect), never on cross-site subrequests.
  sameSite: 'lax',
  autoCommit: true,
} as const;

/** Installs koa-session: a signed, httpOnly, first-party cookie of the login server. */
export function installSession(app: Koa, secure: boolean): Koa.Middleware {
  return session({...SESSION_OPTIONS, secure}, app) as unknown as Koa.Middleware;
}

/**
 * The random value that binds a login transaction to this browser (popup and redirect modes). A
 * state that leaks (Referer, logs) is then useless in another browser.
 */
export function browserBinding(ctx: Koa.Context): string {
  const session = sessionOf(ctx)!;
  const current = session.binding;
  if (typeof current === 'string' && current.length === 32) {
    // Renewed with every login it binds, so a login started at minute 59 still finds its cookie
    // when the scan completes after minute 60.
    session.maxAge = SESSION_MAX_AGE_MS;
    return current;
  }
  const binding = randomToken(32);
  session.binding = binding;
  return binding;
}

/** The session as this server uses it: the browser binding, and its lifetime. */
function sessionOf(ctx: Koa.Context): {binding?: unknown; maxAge?: number | 'session'} | null {
  return ctx.session as {binding?: unknown; maxAge?: number | 'session'} | null;
}

/** True when the request carries the binding recorded with the transaction. */
export function hasBrowserBinding(ctx: Koa.Context, expected: string): boolean {
  return sessionOf(ctx)?.binding === expected;
}
