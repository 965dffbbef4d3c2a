import {
  ERROR_CODE,
  ERROR_FRAGMENT_PARAM,
  TICKET_FRAGMENT_PARAM,
  parseLoginResult,
  type LoginResult,
} from './protocol.ts';
import {connectionUrl, type LoginTarget} from './login-url.ts';
import type {WidgetErrorCode} from './events.ts';

/** What a redirect or a launch left in the URL fragment. */
export type FragmentResult = {ticket: string} | {error: WidgetErrorCode};

/** A redemption's outcome: the result, or an error code with the server's message (empty when it sent none). */
export type Redemption = LoginResult | {code: WidgetErrorCode; message: string};

const VERIFIER_KEY = 'wecom-sp-login:code-verifier:';

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

/**
 * Exchanges a ticket for the login result at `POST /connections/:identifier/tickets`, with the code
 * verifier of the redirect this tab started (a launch's ticket needs none). Never throws.
 */
export async function redeemTicket(target: LoginTarget, ticket: string, verifier?: string): Promise<Redemption> {
  let response: Response;
  try {
    response = await fetch(connectionUrl(target, '/tickets'), {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({ticket, code_verifier: verifier}),
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
  return typeof code === 'string' && typeof message === 'string'
    ? {code: code as WidgetErrorCode, message}
    : {code: 'server_error', message: ''};
}

/**
 * Remembers the code verifier of the redirect this tab is about to start, until the ticket it brings
 * back is redeemed. The server gives that ticket's token only to this verifier, so a ticket planted
 * through a crafted link (login CSRF) or read from another tab's URL is refused.
 */
export function rememberVerifier(connection: string, verifier: string): void {
  try {
    sessionStorage.setItem(VERIFIER_KEY + connection, verifier);
  } catch {
    // Storage can be disabled; redemption then lacks the verifier and is refused, which is the safe side.
  }
}

/** Takes (and forgets) the code verifier of the redirect this tab started for `connection`, if any. */
export function takeVerifier(connection: string): string | undefined {
  try {
    const verifier = sessionStorage.getItem(VERIFIER_KEY + connection) ?? undefined;
    sessionStorage.removeItem(VERIFIER_KEY + connection);
    return verifier;
  } catch {
    return undefined;
  }
}
