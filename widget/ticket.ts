import {ERROR_CODE, ERROR_FRAGMENT_PARAM, TICKET_FRAGMENT_PARAM, parseLoginResult, type LoginResult} from './protocol.ts';
import {connectionUrl, type LoginTarget} from './login-url.ts';
import type {WidgetErrorCode} from './events.ts';

/** What a redirect or a launch left in the URL fragment. */
export type FragmentResult = {ticket: string} | {error: WidgetErrorCode};

/** A redemption's outcome: the result, or an error code with the server's message (empty when it sent none). */
export type Redemption = LoginResult | {code: WidgetErrorCode; message: string};

const NONCE_KEY = 'wecom-sp-login:redirect-nonce:';

/**
 * Takes the ticket (or error) out of the current URL's fragment and removes it with
 * `history.replaceState`, so a one-time ticket stays out of history, bookmarks and copied links.
 * Returns null when there is none.
 */
export function takeFragmentResult(): FragmentResult | null {
  const params = new URLSearchParams(location.hash.slice(1));
  const ticket = params.get(TICKET_FRAGMENT_PARAM);
  const error = params.get(ERROR_FRAGMENT_PARAM);
  if (ticket === null && error === null) return null;
  // The server replaced the whole fragment with this one parameter, so all of it goes.
  history.replaceState(history.state, '', location.pathname + location.search);
  // The code is shown to the host page: anything but a plain code word becomes server_error.
  return ticket !== null ? {ticket} : {error: ERROR_CODE.test(error!) ? (error as WidgetErrorCode) : 'server_error'};
}

/** Exchanges a ticket for the login result at `POST /connections/:identifier/tickets`. Never throws. */
export async function redeemTicket(target: LoginTarget, ticket: string): Promise<Redemption> {
  let response: Response;
  try {
    response = await fetch(connectionUrl(target, '/tickets'), {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({ticket}),
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
  } catch {
    return {code: 'network_error', message: ''};
  }
  const body = (await response.json().catch(() => null)) as {error?: {code?: unknown; message?: unknown}} | null;
  const result = response.ok ? parseLoginResult(body) : null;
  if (result) return result;
  const {code, message} = body?.error ?? {};
  return typeof code === 'string' && typeof message === 'string' ? {code: code as WidgetErrorCode, message} : {code: 'server_error', message: ''};
}

/** Remembers the nonce of a redirect this tab is about to start, to check the ticket it brings back. */
export function rememberRedirectNonce(connection: string, nonce: string): void {
  try {
    sessionStorage.setItem(NONCE_KEY + connection, nonce);
  } catch {
    // Storage can be disabled; the check below then refuses redirect tickets, which is the safe side.
  }
}

/**
 * Whether a redeemed token belongs to a login this tab started. A redirect-mode token carries the
 * nonce this tab stored before leaving; one with a foreign nonce was planted through a crafted link
 * (login CSRF) and is refused. A launch token has no nonce: WeCom starts that login, not this page.
 */
export function isOwnLogin(connection: string, idToken: string): boolean {
  let stored: string | null = null;
  try {
    stored = sessionStorage.getItem(NONCE_KEY + connection);
    sessionStorage.removeItem(NONCE_KEY + connection);
  } catch {
    // Treated as no stored nonce.
  }
  const claims = readClaims(idToken);
  return claims !== null && (claims.nonce === undefined || claims.nonce === stored);
}

/** The claims of a JWT, read without verifying it (the site's backend verifies), or null if unreadable. */
function readClaims(idToken: string): {nonce?: unknown} | null {
  try {
    return JSON.parse(atob(idToken.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as {nonce?: unknown};
  } catch {
    return null;
  }
}
