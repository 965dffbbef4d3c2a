import type {LoginDeps} from './login/complete-login.ts';
import type {Metrics} from './metrics.ts';
import type {TokenSigner} from './tokens/token-signer.ts';

/** Everything createApp wires together. Built by createLoginServer, or by hand in tests. */
export interface AppDeps extends LoginDeps {
  signer: TokenSigner;
  /** The login server's public base URL: `iss`, and the host of redirect_uri. */
  publicUrl: string;
  /** Bearer token of the admin API; undefined disables it. Secret. */
  adminToken?: string;
  /** Bearer token of /metrics; undefined: /metrics answers 404. Secret. */
  metricsToken?: string;
  /** The Prometheus metrics; a fresh set when absent. */
  metrics?: Metrics;
  /** Keys signing the session cookie. Secret. */
  sessionKeys: string[];
  /** The built element served at /widget/wecom-sp-login.js; defaults to widget/dist/wecom-sp-login.js. */
  widgetFile?: string;
  /** The built admin console served at /admin; defaults to dist/admin/admin.js. */
  adminFile?: string;
  /** Token-bucket size and refill per minute, per client address and login route; 0 or absent is no limit. */
  rateLimitPerMinute?: number;
  /** WeCom calls per connection and minute for admin-console launches, in this process; 60 by default. */
  launchCallsPerMinute?: number;
  /** Addresses and CIDRs never rate-limited. */
  rateLimitExempt?: readonly string[];
  /** Reverse proxies in front of the server whose X-Forwarded-* headers are trusted; 0 or absent: none. */
  trustProxy?: number;
  /** NODE_ENV=production: connections must use https sites (localhost aside). */
  production?: boolean;
  /** True once the process is shutting down: /readyz answers 503 so nothing new is sent here. */
  draining?: () => boolean;
  now?: () => number;
}
