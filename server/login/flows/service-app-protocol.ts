import {explainTokenFetch, type CredentialCheck} from '../../connections/check-credentials.ts';
import type {ConnectionWithSecret} from '../../connections/connection.ts';
import {AppError, ExchangeError} from '../../errors.ts';
import type {AccessTokens} from '../../wecom/access-tokens.ts';
import type {ProviderTokens} from '../../wecom/provider-tokens.ts';
import type {SuiteCredentials} from '../../wecom/suite-tokens.ts';
import type {WecomClient} from '../../wecom/wecom-client.ts';
import {exchangeLoginInfo} from './legacy-protocol.ts';
import type {QrLoginProtocol} from './login-flow.ts';
import {exchangeSuiteCode} from './suite-user-info.ts';

/** What the ServiceApp protocol calls. */
export interface ServiceAppDeps {
  wecom: WecomClient;
  providerTokens: ProviderTokens;
  suiteTokens: AccessTokens<SuiteCredentials>;
  /** WECOM_LOGIN_BASE: `https://login.work.weixin.qq.com` in production. */
  wecomLoginBase: string;
}

/**
 * WeCom's new provider login (login_type=ServiceApp): wwlogin with the 登录授权 SuiteID as appid,
 * back with `code` and `state`, exchanged with get_suite_token (from a pushed suite_ticket) and
 * auth/getuserinfo3rd. The user is (corpid, open_userid); WeCom gives no name, avatar or usertype.
 */
export function createServiceAppProtocol(deps: ServiceAppDeps): QrLoginProtocol {
  const credentials = (connection: ConnectionWithSecret): SuiteCredentials => {
    if (connection.suiteId === null || connection.suiteSecret === null) throw new ExchangeError('not_set_up');
    return {corpId: connection.corpId, suiteId: connection.suiteId, suiteSecret: connection.suiteSecret};
  };

  return {
    loginPageUrl(connection, state, redirectUri, embedded) {
      const login = new URL('/wwlogin/sso/login', deps.wecomLoginBase);
      // No agentid (CorpApp only) and no #wechat_redirect (in-client OAuth only). In the login
      // server's iframe the page must navigate itself, not the host page (its default is the top window).
      login.search = new URLSearchParams({
        login_type: 'ServiceApp',
        appid: connection.suiteId ?? '',
        redirect_uri: redirectUri,
        state,
        ...(embedded && {redirect_type: 'self'}),
      }).toString();
      return login.href;
    },
    readCallbackCode(query) {
      const code = query('code');
      // Cancelling on WeCom's page comes back without a code (its exact answer is undocumented).
      if (!code) throw new AppError('login_cancelled');
      return code;
    },
    exchange: (connection, code) => exchangeSuiteCode(deps, credentials(connection), code),
    // The launch admits admins only, and only get_login_info (with the ProviderSecret) says in what
    // role someone comes; getuserinfo3rd says who, not whether an admin. Without a ProviderSecret (a
    // row saved before validation demanded one) a launch code proves nothing, so WeCom is not asked.
    async exchangeLaunch(connection, code) {
      if (connection.providerSecret === null) throw new ExchangeError('not_set_up');
      return exchangeLoginInfo(deps, connection, code, 'launch');
    },
    async checkCredentials(connection): Promise<CredentialCheck> {
      return explainTokenFetch(
        () => deps.suiteTokens.fetchFresh(credentials(connection)),
        'WeCom accepted the SuiteID, its Secret and the latest suite_ticket.',
      );
    },
  };
}
