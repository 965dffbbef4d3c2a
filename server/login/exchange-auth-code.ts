import {ExchangeError, LoginNotAllowed} from '../errors.ts';
import type {ConnectionWithSecret} from '../connections/connection.ts';
import type {WecomIdentity} from '../db/user-store.ts';
import type {ProviderTokens} from '../wecom/provider-tokens.ts';
import type {LoginInfo, WecomClient} from '../wecom/wecom-client.ts';
import type {CallLane} from '../wecom/wecom-guard.ts';
import {BUSY_ERRCODES, CONFIG_ERRCODES, NoSuiteTicket, WecomApiError, WecomHeldBack, WecomTransportError} from '../wecom/wecom-errors.ts';
import type {WecomUserType} from '../../widget/protocol.ts';

/** Longest auth_code WeCom issues ("最长为512字节"); anything longer is not WeCom's. */
const MAX_AUTH_CODE_LENGTH = 512;

/**
 * Exchanges a legacy login (or launch) auth_code for the WeCom identity behind it, with
 * get_provider_token + get_login_info. WeCom failures become an ExchangeError whose message is safe
 * for visitors; WeCom's own errcode and errmsg stay in `cause`.
 */
export async function exchangeLoginInfo(
  deps: {wecom: WecomClient; providerTokens: ProviderTokens},
  connection: ConnectionWithSecret,
  authCode: string,
  lane: CallLane = 'login',
): Promise<WecomIdentity> {
  assertPlausibleCode(authCode);
  const providerSecret = connection.providerSecret;
  if (providerSecret === null) throw new ExchangeError('wecom_config_error', 'WeCom login is not set up correctly for this site. Please tell the site owner.');
  let info: LoginInfo;
  try {
    info = await deps.providerTokens.withToken(connection.corpId, providerSecret, (token) => deps.wecom.getLoginInfo(token, authCode), lane);
  } catch (error) {
    throw toExchangeError(error);
  }
  if (!info.openUserId && !info.userId) {
    // An external admin outside the contacts has no stable id we could key an account on.
    throw new LoginNotAllowed('This WeCom account has no member identity in its enterprise, so it cannot log in here.');
  }
  return {
    corpId: info.corpId,
    openUserId: info.openUserId,
    userId: info.userId,
    name: info.name ?? info.userId ?? info.openUserId!,
    avatar: info.avatar,
    usertype: (info.usertype >= 1 && info.usertype <= 5 ? info.usertype : 5) as WecomUserType,
  };
}

/** Refuses, before any WeCom call, a code WeCom cannot have issued. */
export function assertPlausibleCode(code: string): void {
  if (!isPlausibleAuthCode(code)) throw new ExchangeError('exchange_failed', 'The login code is not valid. Please scan again.');
}

/** True when `authCode` could be one WeCom issued: printable ASCII, at most 512 bytes. */
export function isPlausibleAuthCode(authCode: string): boolean {
  return authCode.length <= MAX_AUTH_CODE_LENGTH && /^[\x21-\x7e]+$/.test(authCode);
}

/** The refusal of a launch whose connection spent its launch budget: held back, like a call over any other cap. */
export function launchBudgetSpent(corpId: string): Error {
  return toExchangeError(new WecomHeldBack(corpId, 'launch'));
}

/** Maps a WeCom or transport failure to the code and message a visitor may see. */
export function toExchangeError(error: unknown): ExchangeError | Error {
  if (error instanceof WecomApiError) {
    if (CONFIG_ERRCODES.has(error.errcode)) return new ExchangeError('wecom_config_error', 'WeCom login is not set up correctly for this site. Please tell the site owner.', error);
    if (BUSY_ERRCODES.has(error.errcode)) return new ExchangeError('wecom_unavailable', 'WeCom is busy right now. Please try again in a minute.', error);
    return new ExchangeError('exchange_failed', 'WeCom did not accept this login. Please scan again.', error);
  }
  if (error instanceof WecomTransportError) return new ExchangeError('wecom_unavailable', 'WeCom could not be reached. Please try again in a minute.', error);
  if (error instanceof WecomHeldBack) return new ExchangeError('wecom_unavailable', 'WeCom is busy right now. Please try again in a minute.', error);
  if (error instanceof NoSuiteTicket) return new ExchangeError('wecom_config_error', 'WeCom login is not set up correctly for this site. Please tell the site owner.', error);
  return error instanceof Error ? error : new Error(String(error));
}
