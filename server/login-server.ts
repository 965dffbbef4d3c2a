import type Koa from 'koa';
import {Agent, type Dispatcher} from 'undici';
import {createApp} from './app.ts';
import {deriveKey} from './crypto/secret-box.ts';
import {createMetrics} from './metrics.ts';
import type {Store} from './db/store.ts';
import type {Logger} from './logger.ts';
import {createTokenSigner} from './tokens/token-signer.ts';
import {createOidcService} from './oidc/oidc-service.ts';
import {createLoginProtocols} from './login/flows/login-protocols.ts';
import {createProviderTokens} from './wecom/provider-tokens.ts';
import {createSuiteTokens} from './wecom/suite-tokens.ts';
import {createWecomGuard} from './wecom/wecom-guard.ts';
import {createWecomClient} from './wecom/wecom-client.ts';
import {defaultSettings, withDefaults, type LoginServerSettings} from './settings/settings.ts';

/**
 * What createLoginServer needs: the collaborators, and any of its settings; an unset one takes the
 * default of server/settings/settings.ts, as a server with that variable unset would.
 */
export interface LoginServerOptions extends Partial<LoginServerSettings> {
  /** The database, opened with a SecretBox of the same master keys (openStore). */
  store: Store;
  /** The 32-byte master key (SECRET_KEY). */
  masterKey: Buffer;
  /** PUBLIC_URL: the ID tokens' issuer and the host of redirect_uri. */
  publicUrl: string;
  log: Logger;
  /** The built element; defaults to widget/dist/wecom-sp-login.js. */
  widgetFile?: string;
  /** The built admin console; defaults to dist/admin/admin.js. */
  adminFile?: string;
  /** undici connection pool for the WeCom calls (a MockAgent in tests); a pool of wecomMaxConnections by default. */
  dispatcher?: Dispatcher;
  /** True once the process is shutting down (SIGTERM): /readyz answers 503. */
  draining?: () => boolean;
  now?: () => number;
}

/** Composes store, WeCom client, token cache and signer into the Koa app. */
export async function createLoginServer(options: LoginServerOptions): Promise<{app: Koa; store: Store}> {
  const now = options.now ?? Date.now;
  const settings = withDefaults(defaultSettings(), options);
  const store = options.store;
  const metrics = createMetrics();
  const dispatcher = options.dispatcher ?? createWecomPool(settings.wecomMaxConnections);
  const wecom = createWecomClient({
    apiBase: settings.wecomApiBase,
    timeoutMs: settings.wecomTimeoutMs,
    dispatcher,
    metrics,
  });
  const guard = createWecomGuard({
    backoff: store.wecomBackoff,
    maxConcurrentPerCorp: settings.wecomConcurrencyPerCorp,
    maxWaitMs: settings.wecomTimeoutMs,
    callsPerMinutePerCorp: settings.wecomCallsPerMinute,
    now,
  });
  const leaseMs = settings.wecomTimeoutMs * 3 + 2_000;
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
    wecomSsoBase: settings.wecomSsoBase,
    wecomLoginBase: settings.wecomLoginBase,
    wecomOauthBase: settings.wecomOauthBase,
  });
  const signer = await createTokenSigner({store: store.signingKeys, issuer: options.publicUrl, now});
  // The current key signs cookies; the previous one still verifies those set before the rotation.
  const sessionKeys = [options.masterKey, ...settings.previousMasterKeys].map((key) =>
    deriveKey(key, 'session cookies').toString('base64'),
  );
  const oidc = await createOidcService({
    store,
    publicUrl: options.publicUrl,
    cookieKeys: sessionKeys,
    log: options.log,
    now,
  });
  const app = createApp({
    store,
    protocols,
    signer,
    oidc,
    log: options.log,
    publicUrl: options.publicUrl,
    adminToken: settings.adminToken,
    metricsToken: settings.metricsToken,
    metrics,
    sessionKeys,
    widgetFile: options.widgetFile,
    adminFile: options.adminFile,
    rateLimitPerMinute: settings.rateLimitPerMinute,
    rateLimitExempt: settings.rateLimitExempt,
    launchCallsPerMinute: settings.launchCallsPerMinute,
    trustProxy: settings.trustProxy,
    production: settings.production,
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
