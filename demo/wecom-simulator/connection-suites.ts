import {DEFAULT_CUSTOMER_CORP_ID} from './identities.ts';
import type {SimulatedLoginSuite} from './login-suites.ts';

/** What a provider enters in WeCom's console for a suite: its ids, its Secret and its callback's Token and key. */
export interface SuiteSettings {
  corpId: string;
  suiteId: string;
  suiteSecret: string;
  callbackToken: string;
  encodingAesKey: string;
}

/**
 * The 登录授权 app as WeCom knows it once the provider has set it up for connection `connection` of
 * the login server at `loginUrl`: that host trusted, suite_tickets pushed to the connection's callback.
 */
export function loginSuiteFor(loginUrl: string, connection: string, suite: SuiteSettings): SimulatedLoginSuite {
  return {
    corpId: suite.corpId,
    suiteId: suite.suiteId,
    suiteSecret: suite.suiteSecret,
    trustedDomains: [new URL(loginUrl).host],
    callback: {
      url: `${loginUrl}/connections/${connection}/wecom-callback`,
      token: suite.callbackToken,
      encodingAesKey: suite.encodingAesKey,
    },
  };
}

/**
 * The app suite (第三方应用 → 网页应用) set up for connection `connection`: its 应用主页 is the
 * connection's workbench route, its callbacks the app-callback route, and the cast's enterprise has
 * installed it for everyone.
 */
export function appSuiteFor(loginUrl: string, connection: string, suite: SuiteSettings): SimulatedLoginSuite {
  return {
    ...loginSuiteFor(loginUrl, connection, suite),
    kind: 'app',
    installs: {[DEFAULT_CUSTOMER_CORP_ID]: {}},
    homepageUrl: `${loginUrl}/connections/${connection}/workbench`,
    callback: {
      url: `${loginUrl}/connections/${connection}/app-callback`,
      token: suite.callbackToken,
      encodingAesKey: suite.encodingAesKey,
    },
  };
}
