import type {Configuration, KoaContextWithOIDC} from 'oidc-provider';
import {interactionPolicy} from './oidc-provider-module.ts';
import type {JWK} from 'jose';
import type {Store} from '../db/store.ts';
import {ID_TOKEN_TTL_SECONDS} from '../tokens/token-signer.ts';
import {TRANSACTION_TTL_MS} from '../routes/authorize-route.ts';
import {createOidcAdapter} from './oidc-adapter.ts';
import {accountClaims, OIDC_SCOPES, SCOPE_CLAIMS} from './oidc-claims.ts';
import {admitsUser} from './oidc-policy.ts';
import {renderOidcErrorPage, renderLogoutPage, renderLoggedOutPage} from '../pages/oidc-pages.ts';

/** The longest an OP session lasts: one scan logs into every client for at most a working day. */
export const OIDC_SESSION_TTL_SECONDS = 8 * 3600;
/** An authorization code is redeemed by the relying party's backend at once. */
export const AUTHORIZATION_CODE_TTL_SECONDS = 60;
/** Access tokens, for userinfo only. */
export const ACCESS_TOKEN_TTL_SECONDS = 3600;
/** Where oidc-provider sends the browser to log in: our page, under the issuer. */
export const INTERACTION_PATH = '/oidc/interaction';

/** What the configuration reads. */
export interface OidcConfigurationDeps {
  store: Store;
  /** The signing keys, private, each algorithm's signing key first. */
  jwks: JWK[];
  /** Cookie signing keys (the login server's, current first). */
  cookieKeys: string[];
  /** https PUBLIC_URL: the provider's cookies are Secure. */
  secureCookies: boolean;
}

/**
 * oidc-provider locked to the profile relying parties need (docs/oidc.md): the authorization code
 * flow with PKCE (S256; required of public clients), client_secret_basic and _post, RS256 by default,
 * profile claims in the ID token too, RP-initiated logout, and nothing else: no implicit or hybrid
 * flow, no refresh tokens, no dynamic registration, PAR, DPoP, introspection or device flow.
 */
export function oidcConfiguration({store, jwks, cookieKeys, secureCookies}: OidcConfigurationDeps): Configuration {
  const policy = interactionPolicy.base();
  // A session of another connection's user, or of an enterprise this client does not admit, is not
  // a login for this client: it scans again (prompt=none gets login_required).
  policy.get('login')!.checks.add(
    new interactionPolicy.Check(
      'wecom_policy',
      'the logged-in user may not use this client',
      'login_required',
      async (ctx) => {
        const accountId = ctx.oidc.session?.accountId;
        if (accountId === undefined) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
        const [user, client] = await Promise.all([
          store.users.get(accountId),
          store.oidcClients.get(ctx.oidc.client!.clientId),
        ]);
        return user && client && admitsUser(client, user)
          ? interactionPolicy.Check.NO_NEED_TO_PROMPT
          : interactionPolicy.Check.REQUEST_PROMPT;
      },
    ),
  );
  const cookie = {httpOnly: true, sameSite: 'lax', signed: true, secure: secureCookies} as const;
  return {
    adapter: createOidcAdapter(store),
    jwks: {keys: jwks as NonNullable<Configuration['jwks']>['keys']},
    clients: [],
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      id_token_signed_response_alg: 'RS256',
      token_endpoint_auth_method: 'client_secret_basic',
    },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    responseTypes: ['code'],
    scopes: OIDC_SCOPES,
    claims: SCOPE_CLAIMS as unknown as Configuration['claims'],
    // Nextcloud and Auth.js read only the ID token: profile claims go in it as well as at userinfo.
    conformIdTokenClaims: false,
    pkce: {required: (_ctx, client) => client.clientAuthMethod === 'none'},
    // Browsers may call userinfo, and a public client's token endpoint, from the origins of the
    // client's own redirect URIs only; a confidential client's backend needs no CORS.
    clientBasedCORS: (ctx, origin, client) =>
      (ctx.oidc.route === 'userinfo' || client.clientAuthMethod === 'none') &&
      (client.redirectUris ?? []).some((uri) => URL.parse(uri)?.origin === origin),
    enabledJWA: {idTokenSigningAlgValues: ['RS256', 'ES256']},
    features: {
      devInteractions: {enabled: false},
      userinfo: {enabled: true},
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => renderLogoutPage(ctx, form),
        postLogoutSuccessSource: (ctx) => renderLoggedOutPage(ctx),
      },
      resourceIndicators: {enabled: false},
      pushedAuthorizationRequests: {enabled: false},
      dPoP: {enabled: false},
      introspection: {enabled: false},
      revocation: {enabled: false},
      registration: {enabled: false},
      claimsParameter: {enabled: false},
    },
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL_SECONDS,
      AuthorizationCode: AUTHORIZATION_CODE_TTL_SECONDS,
      IdToken: ID_TOKEN_TTL_SECONDS,
      Interaction: TRANSACTION_TTL_MS / 1000,
      Session: OIDC_SESSION_TTL_SECONDS,
      Grant: OIDC_SESSION_TTL_SECONDS,
    },
    cookies: {
      names: {session: 'oidc_session', interaction: 'oidc_interaction', resume: 'oidc_interaction_resume'},
      long: cookie,
      short: cookie,
      keys: cookieKeys,
    },
    interactions: {
      policy,
      url: (_ctx, interaction) => `${INTERACTION_PATH}/${interaction.uid}`,
    },
    // Admin-registered clients need no consent screen: the login page names the application before
    // the QR code. A grant revoked since (a reused code revokes its grant) is made anew.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const {oidc} = ctx;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session!.grantIdFor(oidc.client!.clientId);
      const existing = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
      const grant =
        existing ?? new oidc.provider.Grant({clientId: oidc.client!.clientId, accountId: oidc.session!.accountId});
      const requested = (oidc.params!.scope as string | undefined)?.split(' ') ?? [];
      grant.addOIDCScope(requested.filter((scope) => OIDC_SCOPES.includes(scope)).join(' '));
      await grant.save();
      return grant;
    },
    findAccount: async (_ctx, accountId) => {
      const user = await store.users.get(accountId);
      if (!user) return undefined;
      return {accountId, claims: () => accountClaims(user) as {sub: string}};
    },
    renderError: (ctx, out, error) => renderOidcErrorPage(ctx, out, error),
  };
}
