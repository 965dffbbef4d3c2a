/**
 * The postMessage and ticket-redemption shapes shared by the login server's result page and the
 * `<wecom-sp-login>` element. The server imports its types and constants; this file imports nothing,
 * so it is safe on both sides.
 */

/** Error codes a login can end with, as carried in results, redirects and JSON errors. */
export type LoginErrorCode =
  | 'invalid_request'
  | 'unknown_connection'
  | 'origin_not_allowed'
  | 'invalid_state'
  | 'login_cancelled'
  | 'login_not_allowed'
  | 'wecom_unavailable'
  | 'wecom_config_error'
  | 'exchange_failed'
  | 'invalid_ticket'
  | 'rate_limited'
  | 'server_error';

/** WeCom's login user type: 1 creator, 2 internal admin, 3 external admin, 4 department admin, 5 member. */
export type WecomUserType = 1 | 2 | 3 | 4 | 5;

/** The logged-in user as the host page sees it. The same facts are claims of the ID token. */
export interface LoginUser {
  /** Stable id of the user on this login server; the token's `sub`. */
  id: string;
  /** The user's enterprise (`corp_info.corpid`). */
  corpId: string;
  /** WeCom `open_userid`: unique per service provider; absent when the user is not in the contacts. */
  openUserId?: string;
  /** WeCom `userid` inside the enterprise; absent when the user is not in the contacts. */
  userId?: string;
  /**
   * Display name. WeCom returns the userid here since 2020; its new login gives none, so the userid (or open_userid).
   */
  name: string;
  /** Avatar URL, when WeCom sent one (never in WeCom's new login). */
  avatar?: string;
  /** WeCom login user type; absent after WeCom's new login (login_type=ServiceApp), which does not say. */
  usertype?: WecomUserType;
}

/** A successful login: the signed ID token and the user it names. */
export interface LoginResult {
  idToken: string;
  user: LoginUser;
}

/** Posted by the result page to `window.opener` (popup) or `window.parent` (embedded panel). */
export type LoginMessage =
  | {type: 'wecom-sp-login:success'; nonce: string; idToken: string; user: LoginUser}
  | {type: 'wecom-sp-login:error'; nonce: string; error: {code: LoginErrorCode; message: string}};

/** Fragment parameter that carries a one-time ticket back to the host page (redirect and launch). */
export const TICKET_FRAGMENT_PARAM = 'wecom_sp_login';

/** Fragment parameter that carries an error code back to the host page (redirect and launch). */
export const ERROR_FRAGMENT_PARAM = 'wecom_sp_login_error';

/**
 * An element's nonce: 16 to 128 characters of A–Z, a–z, 0–9, `-` and `_` (the element makes 43 of
 * base64url). The authorize route refuses any other, and the element accepts no message without it.
 */
export const NONCE_PATTERN = /^[\w-]{16,128}$/;
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/** What an error code looks like; anything else is not passed on to the host page. */
export const ERROR_CODE = /^[a-z_]{1,64}$/;

/**
 * `data` as a LoginMessage for the attempt whose nonce is `nonce`, or null when it is anything else:
 * another type, another nonce, a missing or mistyped field. Checks the shape only; the caller has
 * already checked `event.source` and `event.origin`, and the site's backend verifies the token.
 */
export function parseLoginMessage(data: unknown, nonce: string): LoginMessage | null {
  if (!isRecord(data) || !NONCE_PATTERN.test(nonce) || data.nonce !== nonce) return null;
  if (data.type === 'wecom-sp-login:success') return parseLoginResult(data) && (data as LoginMessage);
  const error = data.error;
  return data.type === 'wecom-sp-login:error' &&
    isRecord(error) &&
    typeof error.message === 'string' &&
    typeof error.code === 'string' &&
    ERROR_CODE.test(error.code)
    ? (data as LoginMessage)
    : null;
}

/** `data` as a LoginResult (a success message or a ticket redemption body), or null when malformed. */
export function parseLoginResult(data: unknown): LoginResult | null {
  if (!isRecord(data) || typeof data.idToken !== 'string' || !JWT_SHAPE.test(data.idToken)) return null;
  const user = data.user;
  const valid =
    isRecord(user) &&
    typeof user.id === 'string' &&
    typeof user.corpId === 'string' &&
    typeof user.name === 'string' &&
    (user.usertype === undefined || [1, 2, 3, 4, 5].includes(user.usertype as number));
  return valid ? (data as unknown as LoginResult) : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
