/**
 * The postMessage and ticket-redemption shapes shared by the login server's result page and the
 * `<wecom-sp-login>` element. The server may import this file, type-only; it imports nothing.
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
  /** Display name. WeCom returns the userid here since 2020. */
  name: string;
  /** Avatar URL, when WeCom sent one. */
  avatar?: string;
  /** WeCom login user type. */
  usertype: WecomUserType;
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
