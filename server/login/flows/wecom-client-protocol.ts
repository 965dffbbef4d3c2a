import {explainTokenFetch} from '../../connections/check-credentials.ts';
import type {Connection, ConnectionWithSecret} from '../../connections/connection.ts';
import {AppError, ExchangeError} from '../../errors.ts';
import type {AccessTokens} from '../../wecom/access-tokens.ts';
import type {SuiteCredentials} from '../../wecom/suite-tokens.ts';
import type {WecomClient} from '../../wecom/wecom-client.ts';
import {UNTRUSTED_REDIRECT_DOMAIN, WecomApiError} from '../../wecom/wecom-errors.ts';
import type {LoginProtocol} from './login-flow.ts';
import {exchangeSuiteCode} from './suite-user-info.ts';

/** What the in-client protocol calls. */
export interface WecomClientDeps {
  wecom: WecomClient;
  suiteTokens: AccessTokens<SuiteCredentials>;
  /** WECOM_OAUTH_BASE: `https://open.weixin.qq.com` in production. */
  wecomOauthBase: string;
}

/**
 * Logging in inside the WeCom client with no QR code (wecom-inclient.md): WeCom's webview goes to
 * oauth2/authorize with the provider's app suite, comes straight back with `code` and `state`, and
 * the app suite's token (from its own pushed suite_ticket) turns the code into the member with
 * auth/getuserinfo3rd. The member is (corpid, open_userid), the same user as their QR logins.
 */
export function createWecomClientProtocol(deps: WecomClientDeps): LoginProtocol {
  const credentials = (connection: ConnectionWithSecret): SuiteCredentials => {
    if (connection.appSuiteId === null || connection.appSuiteSecret === null) throw new ExchangeError('not_set_up');
    return {corpId: connection.corpId, suiteId: connection.appSuiteId, suiteSecret: connection.appSuiteSecret};
  };

  return {
    loginPageUrl(connection: Connection, state: string, redirectUri: string) {
      // The parameters in the order of WeCom's own examples (doc 91120); no agentid, which only the
      // per-enterprise link takes. snsapi_base is the silent one: no page, no tap. The fragment is
      // required: "终端使用此参数判断是否需要带上身份信息".
      const query = new URLSearchParams({
        appid: connection.appSuiteId ?? '',
        redirect_uri: redirectUri,
        response_type: 'code',
        scope: 'snsapi_base',
        state,
      });
      return `${new URL('/connect/oauth2/authorize', deps.wecomOauthBase).href}?${query}#wechat_redirect`;
    },
    readCallbackCode(query) {
      const code = query('code');
      // WeCom documents no refusal for snsapi_base; a return without a code is read as the QR
      // page's "denied" (doc 91019), the safe reading of what is unknown [U].
      if (!code) throw new AppError('identity_unconfirmed');
      return code;
    },
    async exchange(connection, code) {
      try {
        return await exchangeSuiteCode(deps, credentials(connection), code);
      } catch (error) {
        // 50001: the redirect_uri's host is not on the app suite's 可信域名, which only the provider can fix.
        const wecomError = error instanceof Error ? error.cause : undefined;
        if (wecomError instanceof WecomApiError && wecomError.errcode === UNTRUSTED_REDIRECT_DOMAIN) {
          throw new ExchangeError('not_trusted_domain', wecomError);
        }
        throw error;
      }
    },
    async checkCredentials(connection) {
      return explainTokenFetch(
        () => deps.suiteTokens.fetchFresh(credentials(connection)),
        "WeCom accepted the app suite's SuiteID, its Secret and the latest app suite_ticket.",
      );
    },
  };
}
