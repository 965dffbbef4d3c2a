import type Koa from 'koa';
import {Agent, type Dispatcher} from 'undici';
import {createApp} from './app.ts';
import {deriveKey} from './crypto/secret-box.ts';
import {createMetrics} from './metrics.ts';
import type {Store} from './db/store.ts';
import type {Logger} from './logger.ts';
import {createTokenSigner} from './tokens/token-signer.ts';
import {createLoginProtocols} from './login/flows/login-protocols.ts';
import {createProviderTokens} from './wecom/provider-tokens.ts';
import {createSuiteTokens} from './wecom/suite-tokens.ts';
import {createWecomGuard} from './wecom/wecom-guard.ts';
import {createWecomClient} from './wecom/wecom-client.ts';

/** What createLoginServer needs: the parts of Config that matter plus injected collaborators. */
export interface LoginServerOptions {
  /** The database, opened with a SecretBox of the same master keys (openStore). */
  store: Store;
  /** The 32-byte master key (SECRET_KEY). */
  masterKey: Buffer;
  /** Master keys before a rotation (SECRET_KEY_PREVIOUS): they still open sealed values and cookies. */
  previousMasterKeys?: Buffer[];
  publicUrl: string;
  wecomApiBase: string;
  wecomSsoBase: string;
  /** WECOM_LOGIN_BASE: WeCom's new login page (wwlogin); `https://login.work.weixin.qq.com` by default. */
  wecomLoginBase?: string;
  /** WECOM_OAUTH_BASE: WeCom's in-client OAuth page; `https://open.weixin.qq.com` by default. */
  wecomOauthBase?: string;
  wecomTimeoutMs: number;
  adminToken?: string;
  /** Bearer token of /metrics; unset: no /metrics. */
  metricsToken?: string;
  log: Logger;
  /** The built element; defaults to widget/dist/wecom-sp-login.js. */
  widgetFile?: string;
  /** The built admin console; defaults to dist/admin/admin.js. */
  adminFile?: string;
  /** Token-bucket size and refill per minute, per client address and login route; 0 or absent is no limit. */
  rateLimitPerMinute?: number;
  /** WeCom calls per connection and minute for admin-console launches (LAUNCH_CALLS_PER_MINUTE). */
  launchCallsPerMinute?: number;
  /** Addresses and CIDRs never rate-limited. */
  rateLimitExempt?: readonly string[];
  /** Reverse proxies in front of the server whose X-Forwarded-* headers are trusted. */
  trustProxy?: number;
  /** NODE_ENV=production. */
  production?: boolean;
  /** Most calls in flight per CorpID in this process (more wait their turn); 32 by default. */
  wecomConcurrencyPerCorp?: number;
  /** Most calls per CorpID and minute in this process; 3000 by default. */
  wecomCallsPerMinute?: number;
  /** Most calls to WeCom in flight at once (ignored when `dispatcher` is given); 32 by default. */
  wecomMaxConnections?: number;
  /** undici connection pool for the WeCom calls (a MockAgent in tests); a pool of wecomMaxConnections by default. */
  dispatcher?: Dispatcher;
  /** True once the process is shutting down (SIGTERM): /readyz answers 503. */
  draining?: () => boolean;
  now?: () => number;
}

/** Composes store, WeCom client, token cache and signer into the Koa app. */
export async function createLoginServer(options: LoginServerOptions): Promise<{app: Koa; store: Store}> {
  const now = options.now ?? Date.now;
  const previous = options.previousMasterKeys ?? [];
  const store = options.store;
  const metrics = createMetrics();
  const dispatcher = options.dispatcher ?? createWecomPool(options.wecomMaxConnections ?? 32);
  const wecom = createWecomClient({
    apiBase: options.wecomApiBase,
    timeoutMs: options.wecomTimeoutMs,
    dispatcher,
    metrics,
  });
  const guard = createWecomGuard({
    backoff: store.wecomBackoff,
    maxConcurrentPerCorp: options.wecomConcurrencyPerCorp ?? 32,
    maxWaitMs: options.wecomTimeoutMs,
    callsPerMinutePerCorp: options.wecomCallsPerMinute ?? 3000,
    now,
  });
  const leaseMs = options.wecomTimeoutMs * 3 + 2_000;
  const providerTokens = createProviderTokens({store: store.accessTokens, wecom, guard, metrics, leaseMs, now});
  const suiteTokens = createSuiteTokens({
    store: store.accessTokens,
    tickets: store.suiteTickets,
    wecom,
    guard,
    metrics,
    leaseMs,
    now,
  });
  const protocols = createLoginProtocols({
    wecom,
    providerTokens,
    suiteTokens,
    wecomSsoBase: options.wecomSsoBase,
    wecomLoginBase: options.wecomLoginBase ?? 'https://login.work.weixin.qq.com',
    wecomOauthBase: options.wecomOauthBase ?? 'https://open.weixin.qq.com',
  });
  const signer = await createTokenSigner({store: store.signingKeys, issuer: options.publicUrl, now});
  const app = createApp({
    store,
    wecom,
    providerTokens,
    protocols,
    signer,
    log: options.log,
    publicUrl: options.publicUrl,
    adminToken: options.adminToken,
    metricsToken: options.metricsToken,
    metrics,
    // The current key signs cookies; the previous one still verifies those set before the rotation.
    sessionKeys: [options.masterKey, ...previous].map((key) => deriveKey(key, 'session cookies').toString('base64')),
    widgetFile: options.widgetFile,
    adminFile: options.adminFile,
    rateLimitPerMinute: options.rateLimitPerMinute,
    rateLimitExempt: options.rateLimitExempt,
    launchCallsPerMinute: options.launchCallsPerMinute,
    trustProxy: options.trustProxy,
    production: options.production,
    draining: options.draining,
    now,
  });
  return {app, store};
}

/**
 * The connection pool to WeCom's API. A cap on connections is a cap on calls in flight (no
 * pipelining): a burst of logins queues here instead of opening thousands of sockets, and idle
 * sockets close after a few seconds instead of being held for minutes.
 */
function createWecomPool(connections: number): Dispatcher {
  return new Agent({connections, pipelining: 1, keepAliveTimeout: 4_000, keepAliveMaxTimeout: 30_000});
}
