import {AppError, LoginNotAllowed} from '../errors.ts';
import type {ConnectionWithSecret} from '../connections/connection.ts';
import type {Store} from '../db/store.ts';
import type {User, WecomIdentity} from '../db/user-store.ts';
import type {Logger} from '../logger.ts';
import {INVALID_CODE_ERRCODES, WecomApiError, WecomHeldBack} from '../wecom/wecom-errors.ts';
import type {LoginProtocols} from './flows/login-flow.ts';
import type {ProtocolName} from './flows/protocol-catalogue.ts';

/** What finishing a login needs. */
export interface LoginDeps {
  store: Store;
  /** The WeCom protocol of each flow: the only way a login reaches WeCom. */
  protocols: LoginProtocols;
  log: Logger;
}

/**
 * Exchanges the code with the protocol that started the login (`via`), or reads an admin-console
 * launch (`launch`, which comes to the connection's flow), applies the connection's login mode (and
 * `admit`, an OpenID client's policy, which throws to refuse) and
 * records the user with its `login_succeeded` audit row. On failure it throws; the route records
 * the failure with recordLoginFailure, so every attempt has exactly one audit row.
 */
export async function completeLogin(
  deps: LoginDeps,
  connection: ConnectionWithSecret,
  authCode: string,
  ip: string,
  via: ProtocolName | 'launch',
  admit?: (identity: WecomIdentity) => void,
): Promise<User> {
  const flow = via === 'launch' ? 'launch' : 'login';
  const identity =
    via === 'launch'
      ? await deps.protocols[connection.flow].exchangeLaunch(connection, authCode)
      : await deps.protocols[via].exchange(connection, authCode);
  // WeCom's 业务设置 jump comes from its admin console only, for usertype 1–4. A member's code here
  // is a QR-login code someone stopped before its callback and replanted as a launch link, to log a
  // victim in as themselves (login CSRF); an identity with no role at all proves nothing either.
  if (flow === 'launch' && !isAdminUsertype(identity.usertype)) throw new LoginNotAllowed('launch_admins_only');
  // Checked before any user is written: a provider's QR code admits every enterprise that installed its app.
  if (connection.allowedCorpIds.length > 0 && !connection.allowedCorpIds.includes(identity.corpId)) {
    throw new LoginNotAllowed('corp_not_allowed');
  }
  // The OpenID client's own policy (its enterprise allow-list), also before any user is written.
  admit?.(identity);
  const recorded = await deps.store.users.recordLogin(connection.identifier, identity, {
    allowCreate: connection.loginMode !== 'login-only',
    ip,
  });
  if (!recorded) throw new LoginNotAllowed('login_only');
  return recorded.user;
}

/** True for WeCom's admin roles: 1 creator, 2 internal, 3 external and 4 department admin (5 is a member). */
function isAdminUsertype(usertype: number | undefined): boolean {
  return usertype !== undefined && usertype >= 1 && usertype <= 4;
}

/** Writes the audit row (and log line) of a failed login attempt. */
export async function recordLoginFailure(
  deps: Pick<LoginDeps, 'store' | 'log'>,
  connection: string,
  error: unknown,
  ip: string,
): Promise<void> {
  const wecomError = findWecomError(error);
  const code = error instanceof AppError ? error.code : 'server_error';
  await deps.store.audit.record({
    event: code === 'login_not_allowed' ? 'login_refused' : 'login_failed',
    connection,
    code,
    wecomErrcode: wecomError?.errcode ?? null,
    detail: wecomError ? `${wecomError.endpoint}: ${wecomError.errmsg}` : error instanceof Error ? error.message : null,
    ip,
  });
  if (wecomError)
    deps.log.warn('WeCom refused a login call', {
      connection,
      endpoint: wecomError.endpoint,
      errcode: wecomError.errcode,
      errmsg: wecomError.errmsg,
    });
}

/** True when the login failed because this server held back its WeCom call: no call was made. */
export function wasHeldBack(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current instanceof WecomHeldBack) return true;
  }
  return false;
}

/** True when WeCom refused the login because it does not know the code (40029 and its kin). */
export function wasInvalidCode(error: unknown): boolean {
  const errcode = findWecomError(error)?.errcode;
  return errcode !== undefined && INVALID_CODE_ERRCODES.has(errcode);
}

/** The WeCom errcode a login failed with, if WeCom answered one. */
export function wecomErrcodeOf(error: unknown): number | null {
  return findWecomError(error)?.errcode ?? null;
}

function findWecomError(error: unknown): WecomApiError | null {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current instanceof WecomApiError) return current;
  }
  return null;
}
