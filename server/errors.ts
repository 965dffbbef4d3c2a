import type {LoginErrorCode} from '../widget/protocol.ts';

/** Every stable error code the server can answer with. */
export type ErrorCode =
  LoginErrorCode | 'not_found' | 'conflict' | 'unauthorized' | 'admin_disabled' | 'invalid_callback';

/**
 * An error with a stable wire code. Follows Koa's `status`/`expose` convention: 4xx messages are
 * meant for the caller, 5xx ones are logged and replaced by `server_error`.
 */
export class AppError extends Error {
  readonly expose: boolean;
  /** The request field a validation error is about. */
  readonly field?: string;

  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    message: string,
    options?: {cause?: unknown; field?: string; expose?: boolean},
  ) {
    super(message, options);
    this.name = new.target.name;
    this.expose = options?.expose ?? status < 500;
    this.field = options?.field;
  }
}

/** A request that breaks a documented rule; `field` names the offending input. */
export class InvalidRequest extends AppError {
  constructor(message: string, field?: string) {
    super('invalid_request', 400, message, {field});
  }
}

/** The login state is missing, unknown, expired, already used or bound to another browser. */
export class InvalidState extends AppError {
  constructor(message = 'The login state is missing, expired or already used. Start the login again.') {
    super('invalid_state', 400, message);
  }
}

/** No connection has this identifier. */
export class UnknownConnection extends AppError {
  constructor(identifier: string) {
    super('unknown_connection', 404, `No connection is named "${identifier}".`);
  }
}

/** The host origin is not one of the connection's allowed origins. */
export class OriginNotAllowed extends AppError {
  constructor() {
    super('origin_not_allowed', 400, 'This site is not allowed to use this login connection.');
  }
}

/**
 * The login was refused by the connection's policy (login-only mode, no usable identity) or by the
 * visitor's enterprise (WeCom's answer, kept in `cause`).
 */
export class LoginNotAllowed extends AppError {
  constructor(message: string, options?: {cause?: unknown}) {
    super('login_not_allowed', 403, message, options);
  }
}

/** A failed exchange with WeCom, as the visitor may see it. The WeCom details stay in `cause`. */
export class ExchangeError extends AppError {
  constructor(code: 'wecom_unavailable' | 'wecom_config_error' | 'exchange_failed', message: string, cause?: unknown) {
    // A 502 would normally be hidden as server_error; these messages are written for the visitor. A
    // configuration problem (a wrong secret, no suite_ticket yet) is 424: the login depends on a
    // setting only the site owner can fix, and it is not this server failing.
    super(code, code === 'wecom_config_error' ? 424 : 502, message, {cause, expose: true});
  }
}
