import type {Lang} from '../widget/strings.ts';
import {
  ERRORS,
  errorMessage,
  type ErrorCode,
  type ErrorKey,
  type ErrorKeyWithCode,
  type ErrorParams,
} from './error-catalogue.ts';

export type {ErrorCode} from './error-catalogue.ts';

/** How an error is raised besides its key. */
export interface AppErrorOptions {
  /** Fills the message's `{name}` placeholders. */
  params?: ErrorParams;
  /** The request field a validation error is about. */
  field?: string;
  /** The underlying failure: logged, never answered. */
  cause?: unknown;
}

/**
 * An error the server answers with: an entry of ERRORS (server/error-catalogue.ts), which gives its
 * stable wire code, HTTP status and message in each language. Follows Koa's `status`/`expose`
 * convention: 4xx messages are meant for the caller, 5xx ones are logged and replaced by `server_error`.
 * `message` is the English text, for logs and the CLI.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly expose: boolean;
  /** The request field a validation error is about. */
  readonly field?: string;

  constructor(
    readonly key: ErrorKey,
    private readonly options: AppErrorOptions = {},
  ) {
    super(errorMessage(key, 'en', options.params), {cause: options.cause});
    const entry = ERRORS[key] as {code: ErrorCode; status: number; expose?: true};
    this.name = new.target.name;
    this.code = entry.code;
    this.status = entry.status;
    this.expose = entry.expose ?? entry.status < 500;
    this.field = options.field;
  }

  /** The message in `lang`, for a visitor's page or a request that prefers it. */
  messageIn(lang: Lang): string {
    return errorMessage(this.key, lang, this.options.params);
  }
}

/** A request that breaks a documented rule; `field` names the offending input. */
export class InvalidRequest extends AppError {
  constructor(key: ErrorKeyWithCode<'invalid_request'>, field?: string, params?: ErrorParams) {
    super(key, {field, params});
  }
}

/** The login state is missing, unknown, expired, already used or bound to another browser. */
export class InvalidState extends AppError {
  constructor(key: ErrorKeyWithCode<'invalid_state'> = 'state_unknown') {
    super(key);
  }
}

/** No connection has this identifier. */
export class UnknownConnection extends AppError {
  constructor(identifier: string) {
    super('unknown_connection', {params: {identifier}});
  }
}

/**
 * The login was refused by the connection's policy (login-only mode, no usable identity) or by the
 * visitor's enterprise (WeCom's answer, kept in `cause`).
 */
export class LoginNotAllowed extends AppError {
  constructor(key: ErrorKeyWithCode<'login_not_allowed'>, cause?: unknown) {
    super(key, {cause});
  }
}

/** A failed exchange with WeCom, as the visitor may see it. The WeCom details stay in `cause`. */
export class ExchangeError extends AppError {
  constructor(key: ErrorKeyWithCode<'wecom_unavailable' | 'wecom_config_error' | 'exchange_failed'>, cause?: unknown) {
    super(key, {cause});
  }
}
