import type Koa from 'koa';
import mount from 'koa-mount';
import type Provider from 'oidc-provider';
import {Provider as OidcProvider} from './oidc-provider-module.ts';
import {createCookieKeys} from '../cookie-keys.ts';
import type {Store} from '../db/store.ts';
import type {Logger} from '../logger.ts';
import {KEY_RELOAD_MS} from '../tokens/token-signer.ts';
import {matchesPreviousSecret} from './oidc-adapter.ts';
import {oidcConfiguration} from './oidc-configuration.ts';
import {ensureRs256Key, providerKeys} from './oidc-keys.ts';

/** The OpenID provider at /oidc, as the app and the login routes use it. */
export interface OidcService {
  /** The issuer: `${PUBLIC_URL}/oidc`. */
  issuer: string;
  /** The provider as of now: rebuilt when the key ring changes (a key added, retired or coming due). */
  provider(): Promise<Provider>;
  /** Serves every /oidc path but the interaction pages, which are the login server's own routes. */
  middleware: Koa.Middleware;
}

/** What createOidcService needs. */
export interface OidcServiceDeps {
  store: Store;
  publicUrl: string;
  /** The login server's cookie keys, current first: the provider's cookies use the same ring. */
  cookieKeys: string[];
  log: Logger;
  now?: () => number;
}

/**
 * Creates the OpenID provider. Its state is all in the store, so a provider instance holds nothing
 * but its configuration, and a new one is built when the keys change: every process follows a
 * `keys rotate` within KEY_RELOAD_MS, as the element's signer does.
 */
export async function createOidcService({
  store,
  publicUrl,
  cookieKeys,
  log,
  now = Date.now,
}: OidcServiceDeps): Promise<OidcService> {
  const issuer = `${publicUrl}/oidc`;
  await ensureRs256Key(store.signingKeys, now());
  let built: {version: string; provider: Provider; mounted: Koa.Middleware} | null = null;
  let checkedAt = -Infinity;
  let building: Promise<void> | null = null;

  const rebuild = async () => {
    const {jwks, version} = providerKeys(await store.signingKeys.list(), now());
    if (built?.version === version) return;
    const provider = new OidcProvider(
      issuer,
      oidcConfiguration({store, jwks, cookieKeys, secureCookies: publicUrl.startsWith('https:')}),
    );
    // Mounted, the provider sets its cookies through the login server's context, signed with the
    // login server's key ring; interactionDetails reads them through its own: the same ring.
    provider.keys = createCookieKeys(cookieKeys) as unknown as string[];
    acceptPreviousSecrets(provider, store, now);
    provider.on('server_error', (_ctx: unknown, error: unknown) => log.error('OpenID provider failed', {error}));
    built = {version, provider, mounted: mount('/oidc', provider) as unknown as Koa.Middleware};
  };
  const current = async () => {
    if (now() - checkedAt >= KEY_RELOAD_MS && !building) {
      checkedAt = now();
      building = rebuild().finally(() => (building = null));
    }
    if (building) await building;
    return built!;
  };
  await current();

  return {
    issuer,
    provider: async () => (await current()).provider,
    middleware: async (ctx, next) => {
      const ours = ctx.path === '/oidc' || ctx.path.startsWith('/oidc/');
      if (!ours || ctx.path.startsWith('/oidc/interaction/')) return void (await next());
      const route = ctx as {_matchedRoute?: unknown};
      try {
        await (await current()).mounted(ctx, next);
      } finally {
        // The request log and metrics label a request by its route pattern (never its path's values):
        // oidc-provider's router names it relative to the mount (`/token`, `/auth/:uid`).
        route._matchedRoute = typeof route._matchedRoute === 'string' ? `/oidc${route._matchedRoute}` : '/oidc/*';
      }
    },
  };
}

/**
 * After a rotation the previous secret keeps working for its day of grace, so a relying party can
 * be switched over without an outage: oidc-provider compares the current secret, and this the one
 * before it.
 */
function acceptPreviousSecrets(provider: Provider, store: Store, now: () => number): void {
  const prototype = (provider.Client as unknown as {prototype: ClientSecretCheck}).prototype;
  const compareCurrent = prototype.compareClientSecret;
  prototype.compareClientSecret = async function (this: ClientSecretCheck, given: string) {
    if (await compareCurrent.call(this, given)) return true;
    return matchesPreviousSecret(await store.oidcClients.getWithSecrets(this.clientId), given, now());
  };
}

/** The part of oidc-provider's Client that checks a secret. */
interface ClientSecretCheck {
  clientId: string;
  compareClientSecret: (this: ClientSecretCheck, given: string) => boolean | Promise<boolean>;
}
