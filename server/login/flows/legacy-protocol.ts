import {checkProviderCredentials} from '../../connections/check-credentials.ts';
import type {ConnectionWithSecret} from '../../connections/connection.ts';
import type {WecomIdentity} from '../../db/user-store.ts';
import {AppError, ExchangeError, InvalidRequest, LoginNotAllowed} from '../../errors.ts';
import type {ProviderTokens} from '../../wecom/provider-tokens.ts';
import type {LoginInfo, WecomClient} from '../../wecom/wecom-client.ts';
import type {CallLane} from '../../wecom/wecom-guard.ts';
import type {WecomUserType} from '../../../widget/protocol.ts';
import {assertPlausibleCode, toExchangeError} from '../exchange-errors.ts';
import type {QrLoginProtocol} from './login-flow.ts';

/**
 * The legacy provider QR login: 3rd_qrConnect with the provider CorpID as appid, back with auth_code
 * (and appid), exchanged with get_provider_token + get_login_info.
 */
export function createLegacyProtocol(deps: {
  wecom: WecomClient;
  providerTokens: ProviderTokens;
  wecomSsoBase: string;
}): QrLoginProtocol {
  return {
    loginPageUrl(connection, state, redirectUri) {
      const qrConnect = new URL('/wwopen/sso/3rd_qrConnect', deps.wecomSsoBase);
      qrConnect.search = new URLSearchParams({
        appid: connection.corpId,
        redirect_uri: redirectUri,
        state,
        usertype: connection.usertype,
      }).toString();
      return qrConnect.href;
    },
    readCallbackCode(query, connection) {
      const appid = query('appid');
      if (appid !== undefined && appid !== connection.corpId) throw new InvalidRequest('other_corp', 'appid');
      const authCode = query('auth_code');
      // WeCom sends the visitor back with no auth_code when the login is cancelled or refused.
      if (!authCode) throw new AppError('login_cancelled');
      return authCode;
    },
    exchange: (connection, code) => exchangeLoginInfo(deps, connection, code),
    exchangeLaunch: (connection, code) => exchangeLoginInfo(deps, connection, code, 'launch'),
    async checkCredentials(connection) {
      if (connection.providerSecret === null) throw new ExchangeError('no_provider_secret');
      return checkProviderCredentials(deps.providerTokens, connection.corpId, connection.providerSecret);
    },
  };
}

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
  if (providerSecret === null) throw new ExchangeError('not_set_up');
  let info: LoginInfo;
  try {
    info = await deps.providerTokens.withToken(
      connection.corpId,
      providerSecret,
      (token) => deps.wecom.getLoginInfo(token, authCode),
      lane,
    );
  } catch (error) {
    throw toExchangeError(error);
  }
  if (!info.openUserId && !info.userId) {
    // An external admin outside the contacts has no stable id we could key an account on.
    throw new LoginNotAllowed('no_member_identity');
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
