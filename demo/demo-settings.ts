/** Fixed facts of the local demo: three origins on three ports and one simulated provider with both logins. */
export const DEMO = {
  loginPort: Number(process.env.DEMO_LOGIN_PORT ?? 3000),
  simulatorPort: Number(process.env.DEMO_SIMULATOR_PORT ?? 3001),
  hostPort: Number(process.env.DEMO_HOST_PORT ?? 3002),
  connection: 'demo',
  corpId: 'wwdemoprovider0001',
  /** The simulator's ProviderSecret. Only the login server is told it; no page ever sees it. */
  providerSecret: 'demo-provider-secret-not-for-production',
  /** The second connection, on WeCom's new login (login_type=ServiceApp), and the provider's 登录授权 app. */
  serviceAppConnection: 'demo-new',
  suiteId: 'wwdemologinsuite1',
  suiteSecret: 'demo-suite-secret-not-for-production',
  /** The provider's app suite (第三方应用 → 网页应用): members open it inside WeCom and are logged in with no QR. */
  appSuiteId: 'wwdemoappsuite001',
  appSuiteSecret: 'demo-app-suite-secret-not-for-production',
  /** The demo team app's client of the OpenID provider (its page is the host site's /oidc-app). */
  oidcClient: 'demo-team-app',
};
