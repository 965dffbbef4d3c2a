import type Koa from 'koa';
import type {Dispatcher} from 'undici';
import {createApp} from './app.ts';
import {createSecretBox, deriveKey} from './crypto/secret-box.ts';
import type {SqliteDatabase} from './db/database.ts';
import {createSqliteStore, type Store} from './db/store.ts';
import type {Logger} from './logger.ts';
import {createTokenSigner} from './tokens/token-signer.ts';
import {createProviderTokens} from './wecom/provider-tokens.ts';
import {createWecomClient} from './wecom/wecom-client.ts';

/** What createLoginServer needs: the parts of Config that matter plus injected collaborators. */
export interface LoginServerOptions {
  db: SqliteDatabase;
  /** The 32-byte master key (SECRET_KEY). */
  masterKey: Buffer;
  publicUrl: string;
  wecomApiBase: string;
  wecomSsoBase: string;
  wecomTimeoutMs: number;
  adminToken?: string;
  log: Logger;
  /** The built element; defaults to dist/widget/wecom-sp-login.js. */
  widgetFile?: string;
  /** The built admin console; defaults to dist/admin/admin.js. */
  adminFile?: string;
  /** Per-IP requests per minute on each login route; 0 or absent is no limit. */
  rateLimitPerMinute?: number;
  /** undici connection pool for the WeCom calls (a MockAgent in tests); undici's global one by default. */
  dispatcher?: Dispatcher;
  now?: () => number;
}

/** Composes store, WeCom client, token cache and signer into the Koa app. */
export async function createLoginServer(options: LoginServerOptions): Promise<{app: Koa; store: Store}> {
  const now = options.now ?? Date.now;
  const store = createSqliteStore(options.db, createSecretBox(options.masterKey), now);
  const wecom = createWecomClient({apiBase: options.wecomApiBase, timeoutMs: options.wecomTimeoutMs, dispatcher: options.dispatcher});
  const providerTokens = createProviderTokens({store: store.providerTokens, wecom, leaseMs: options.wecomTimeoutMs * 3 + 2_000, now});
  const signer = await createTokenSigner({store: store.signingKeys, issuer: options.publicUrl, now});
  const app = createApp({
    store,
    wecom,
    providerTokens,
    signer,
    log: options.log,
    publicUrl: options.publicUrl,
    wecomSsoBase: options.wecomSsoBase,
    adminToken: options.adminToken,
    sessionKeys: [deriveKey(options.masterKey, 'session cookies').toString('base64')],
    widgetFile: options.widgetFile,
    adminFile: options.adminFile,
    rateLimitPerMinute: options.rateLimitPerMinute,
    now,
  });
  return {app, store};
}
