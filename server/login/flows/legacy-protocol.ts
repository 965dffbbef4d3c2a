import {checkProviderCredentials} from '../../connections/check-credentials.ts';
import {AppError, ExchangeError, InvalidRequest} from '../../errors.ts';
import type {ProviderTokens} from '../../wecom/provider-tokens.ts';
import type {WecomClient} from '../../wecom/wecom-client.ts';
import {exchangeLoginInfo} from '../exchange-auth-code.ts';
import type {LoginProtocol} from './login-flow.ts';

/**
 * The legacy provider QR login: 3rd_qrConnect with the provider CorpID as appid, back with auth_code
 * (and appid), exchanged with get_provider_token + get_login_info.
 */
export function createLegacyProtocol(deps: {wecom: WecomClient; providerTokens: ProviderTokens; wecomSsoBase: string}): LoginProtocol {
  return {
    loginPageUrl(connection, state, redirectUri) {
      const qrConnect = new URL('/wwopen/sso/3rd_qrConnect', deps.wecomSsoBase);
      qrConnect.search = new URLSearchParams({appid: connection.corpId, redirect_uri: redirectUri, state, usertype: connection.usertype}).toString();
      return qrConnect.href;
    },
    readCallbackCode(query, connection) {
      const appid = query('appid');
      if (appid !== undefined && appid !== connection.corpId) throw new InvalidRequest('The login came back for another CorpID.', 'appid');
      const authCode = query('auth_code');
      // WeCom sends the visitor back with no auth_code when the login is cancelled or refused.
      if (!authCode) throw new AppError('login_cancelled', 400, 'The login was cancelled in WeCom.');
      return authCode;
    },
    exchange: (connection, code) => exchangeLoginInfo(deps, connection, code),
    exchangeLaunch: (connection, code) => exchangeLoginInfo(deps, connection, code, 'launch'),
    async checkCredentials(connection) {
      if (connection.providerSecret === null) throw new ExchangeError('wecom_config_error', 'This connection has no ProviderSecret.');
      return checkProviderCredentials(deps.providerTokens, connection.corpId, connection.providerSecret);
    },
  };
}
