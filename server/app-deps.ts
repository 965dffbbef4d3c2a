import type {LoginDeps} from './login/complete-login.ts';
import type {Metrics} from './metrics.ts';
import type {LoginServerSettings} from './settings/settings.ts';
import type {TokenSigner} from './tokens/token-signer.ts';
import type {OidcService} from './oidc/oidc-service.ts';

/** The settings the routes and middleware read (server/settings/settings.ts describes each). */
type AppSettings = Pick<
  LoginServerSettings,
  | 'publicUrl'
  | 'adminToken'
  | 'metricsToken'
  | 'rateLimitPerMinute'
  | 'rateLimitExempt'
  | 'launchCallsPerMinute'
  | 'trustProxy'
  | 'production'
>;

/** Everything createApp wires together; createLoginServer builds it from the settings. */
export interface AppDeps extends LoginDeps, AppSettings {
  /** The login server's public base URL: `iss`, and the host of redirect_uri. */
  publicUrl: string;
  signer: TokenSigner;
  /** The OpenID provider at /oidc. */
  oidc: OidcService;
  /** The Prometheus metrics, shared with the WeCom client that counts its calls. */
  metrics: Metrics;
  /** Keys signing the session cookie, the current one first. Secret. */
  sessionKeys: string[];
  /** The built element served at /widget/wecom-sp-login.js; defaults to widget/dist/wecom-sp-login.js. */
  widgetFile?: string;
  /** The built admin console served at /admin; defaults to dist/admin/admin.js. */
  adminFile?: string;
  /** True once the process is shutting down: /readyz answers 503 so nothing new is sent here. */
  draining?: () => boolean;
  now?: () => number;
}
