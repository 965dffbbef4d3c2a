import {errcodesOf} from './wecom-errcodes.ts';

/** WeCom answered with `errcode != 0`. `errmsg` is for logs and the audit log only, never for visitors. */
export class WecomApiError extends Error {
  constructor(
    readonly endpoint: string,
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`WeCom ${endpoint} failed with errcode ${errcode}: ${errmsg}`);
    this.name = 'WecomApiError';
  }
}

/** WeCom could not be reached or answered something that is not its JSON (timeout, HTTP error, garbage). */
export class WecomTransportError extends Error {
  constructor(
    readonly endpoint: string,
    readonly reason: 'timeout' | 'network' | 'http_status' | 'malformed',
    message: string,
    options?: {cause?: unknown},
  ) {
    super(`WeCom ${endpoint}: ${message}`, options);
    this.name = 'WecomTransportError';
  }
}

/**
 * A call to WeCom this server declined to make: WeCom rate-limited the CorpID recently (`backoff`,
 * until `until`), the call would pass this process's cap on concurrent or per-minute calls, or a
 * launch found its connection's launch budget spent (`launch`).
 */
export class WecomHeldBack extends Error {
  constructor(
    readonly corpId: string,
    readonly reason: 'backoff' | 'concurrency' | 'rate' | 'launch',
    readonly until?: number,
  ) {
    super(`WeCom call for ${corpId} held back (${reason})`);
    this.name = 'WecomHeldBack';
  }
}

/**
 * No suite_ticket has been pushed for this suite yet (or none WeCom still accepts): a configuration
 * problem, never a 500. The admin credential check explains what to do.
 */
export class NoSuiteTicket extends Error {
  constructor(readonly suiteId: string) {
    super(`No suite_ticket has been received for suite ${suiteId}`);
    this.name = 'NoSuiteTicket';
  }
}

/** WeCom's rate-limit answers: call limit (45009) and concurrency limit (45033). Both mean: stop for a while. */
export const RATE_LIMIT_ERRCODES = errcodesOf('rate_limit');

/** Token errors: drop the cached access token, fetch a new one and retry once. */
export const TOKEN_ERRCODES = errcodesOf('token');

/** Wrong credentials or console setup: retrying cannot help; an admin must act. */
export const CONFIG_ERRCODES = errcodesOf('config');

/**
 * "This code is not one we issued, or no longer": 40029 (invalid code: made up, used or past its
 * five minutes), 40078 (invalid auth_code) and 41008 (missing). The login must start again.
 */
export const INVALID_CODE_ERRCODES = errcodesOf('invalid_code');

/** The member's enterprise keeps the app from them (48004, 50002, 60011): only its WeCom admin can act. */
export const NOT_INSTALLED_ERRCODES = errcodesOf('not_installed');

/** WeCom is busy or rate-limiting us: transient, but never to be hammered. */
export const BUSY_ERRCODES = errcodesOf('busy');

/** Worth one retry after a pause: WeCom's "system busy" (-1) alone. */
export const RETRY_ERRCODES = errcodesOf('retry');

/** getuserinfo3rd's "redirect_uri is not on the app's 可信域名" (跳转的域名须完全匹配…可信域名). */
export const UNTRUSTED_REDIRECT_DOMAIN = 50001;

/** get_suite_token's "invalid suite ticket": expired, or a ticket of another suite. */
export const INVALID_SUITE_TICKET = 40085;

/** The caller IP WeCom reports in an errmsg (`…, from ip: 1.2.3.4, more info at …`), if any. */
export function parseFromIp(errmsg: string): string | null {
  return /from ip: ?([0-9a-fA-F.:]+)/.exec(errmsg)?.[1] ?? null;
}
