import type Koa from 'koa';
import type {LoginTransaction} from '../db/login-state-store.ts';
import type {AppError} from '../errors.ts';
import {renderResultPage} from '../pages/result-page.ts';
import {ERROR_FRAGMENT_PARAM, type LoginErrorCode} from '../../widget/protocol.ts';
import type {Lang} from '../../widget/strings.ts';
import {pageLang, sendPage, sendRedirect, withFragment} from './http.ts';

/** Where a login's outcome goes: the element that started it, known by origin, mode and nonce. */
export type LoginTarget = Pick<LoginTransaction, 'origin' | 'mode' | 'nonce' | 'returnTo'>;

/**
 * Hands an error to the element that started a login: posted to its one origin (popup, embedded),
 * or carried back to return_to in the fragment (redirect, and the page a workbench login lands on).
 * The element then reports it as a `wecom-login-error`, instead of leaving the visitor in front of
 * a bare page. The page's own text is in the visitor's language. Never back to WeCom: a failure that restarted the
 * login could loop.
 */
export function sendLoginError(ctx: Koa.Context, target: LoginTarget, error: AppError): void {
  const code = error.code as LoginErrorCode;
  // An OpenID login: its interaction ends with the refusal, which goes to the client as access_denied.
  if (target.mode === 'oidc') return sendRedirect(ctx, `${target.returnTo!}/abort?reason=${error.key}`);
  if (returnsByRedirect(target)) return sendRedirect(ctx, withFragment(target.returnTo!, ERROR_FRAGMENT_PARAM, code));
  const options = resultPageOptions(target, ctx);
  const message = {code, message: error.messageIn(options.lang)};
  sendPage(
    ctx,
    renderResultPage({type: 'wecom-sp-login:error', nonce: target.nonce, error: message}, options),
    error.status,
  );
}

/** Results go to the login's origin; an embedded panel may be framed by that origin alone. */
export function resultPageOptions(
  target: Pick<LoginTarget, 'origin' | 'mode'>,
  ctx: Koa.Context,
): {targetOrigin: string; frameAncestor: string | null; lang: Lang} {
  return {
    targetOrigin: target.origin,
    frameAncestor: target.mode === 'embedded' ? target.origin : null,
    lang: pageLang(ctx),
  };
}

/** True when the login's outcome goes back by a full-page redirect to `returnTo` (redirect and workbench modes). */
export function returnsByRedirect(target: Pick<LoginTarget, 'mode'>): boolean {
  return target.mode === 'redirect' || target.mode === 'workbench';
}
