import {importJWK, SignJWT, type JWK} from 'jose';
import {randomToken} from '../crypto/random-token.ts';
import type {LoginMethod} from '../db/login-state-store.ts';
import type {SigningKeyStore, StoredSigningKey} from '../db/signing-key-store.ts';
import {generateSigningKey, signingKeyAt} from './signing-keys.ts';
import type {LoginUser} from '../../widget/protocol.ts';

/** Lifetime of an ID token: it is handed straight to the host page, which verifies it at once. */
export const ID_TOKEN_TTL_SECONDS = 300;

/** What an ID token says beyond the user. */
export interface IdTokenContext {
  /** The connection identifier: the token's `aud`. */
  audience: string;
  /** The host origin that receives the token: `azp`. */
  authorizedParty: string;
  /** The element's nonce; omitted for a launch, which no element started. */
  nonce: string | null;
  /**
   * How the user logged in, as `amr`: `qr`, `launch` (IdP-initiated, from the admin console: hosts
   * may refuse or confirm those) or `wecom_client` (inside the WeCom client, with no QR code).
   */
  amr: LoginMethod;
}

/** Signs ID tokens with the server's ES256 key and publishes the public keys. */
export interface TokenSigner {
  sign(user: LoginUser, context: IdTokenContext): Promise<string>;
  /** The JSON Web Key Set served at /.well-known/jwks.json. */
  jwks(): Promise<{keys: JWK[]}>;
}

/** How often a server looks for rotated or retired keys in the store. */
export const KEY_RELOAD_MS = 5_000;

/**
 * Creates the TokenSigner, generating and storing the first key pair if the store has none. It
 * signs with the key whose time has come (signingKeyAt) and publishes every stored key; it looks
 * for keys added or removed by `wecom-sp-login keys` every 5 seconds, so servers follow a rotation
 * without a restart.
 */
export async function createTokenSigner({
  store,
  issuer,
  now = Date.now,
}: {
  store: SigningKeyStore;
  issuer: string;
  now?: () => number;
}): Promise<TokenSigner> {
  // Two processes starting on an empty database must end up with one first key: with a key each,
  // each would sign with its own and publish only its own until the next reload, and a token from
  // one would not verify against the JWKS the other serves.
  if (!(await store.list()).some((key) => key.alg === 'ES256'))
    await store.addFirst(await generateSigningKey(now(), now(), 'ES256'));
  let keys: StoredSigningKey[] = await store.list();
  let fingerprint = await store.fingerprint();
  let checkedAt = now();
  let reloading: Promise<void> | null = null;
  const imported = new Map<string, Promise<CryptoKey | Uint8Array>>();

  /** The stored keys, looked for anew every KEY_RELOAD_MS, once at a time; never empty. */
  const current = async (): Promise<StoredSigningKey[]> => {
    if (now() - checkedAt >= KEY_RELOAD_MS && !reloading) {
      checkedAt = now();
      reloading = (async () => {
        const latest = await store.fingerprint();
        if (latest === fingerprint) return;
        const listed = await store.list();
        if (listed.length > 0) [keys, fingerprint] = [listed, latest];
      })().finally(() => (reloading = null));
    }
    if (reloading) await reloading;
    return keys;
  };

  return {
    async sign(user, {audience, authorizedParty, nonce, amr}) {
      const active = signingKeyAt(await current(), now(), 'ES256')!;
      let signingKey = imported.get(active.kid);
      if (!signingKey) imported.set(active.kid, (signingKey = importJWK(active.privateJwk as JWK, 'ES256')));
      const claims: Record<string, unknown> = {
        azp: authorizedParty,
        // How the user got here: a QR scan the host page started, or WeCom's admin-console launch.
        amr: [amr],
        corp_id: user.corpId,
        name: user.name,
        ...(user.usertype !== undefined && {usertype: user.usertype}),
        ...(nonce !== null && {nonce}),
        ...(user.openUserId !== undefined && {open_userid: user.openUserId}),
        ...(user.userId !== undefined && {userid: user.userId}),
        ...(user.avatar !== undefined && {avatar: user.avatar}),
      };
      const issuedAt = Math.floor(now() / 1000);
      return (
        new SignJWT(claims)
          .setProtectedHeader({alg: 'ES256', kid: active.kid, typ: 'JWT'})
          .setIssuer(issuer)
          .setAudience(audience)
          .setSubject(user.id)
          .setIssuedAt(issuedAt)
          .setExpirationTime(issuedAt + ID_TOKEN_TTL_SECONDS)
          // A unique id, so a host backend can accept each token once.
          .setJti(randomToken(22))
          .sign(await signingKey)
      );
    },
    async jwks() {
      // Every stored ES256 key: the one that signs, the next one (published before it signs) and the
      // previous ones until they are retired. The RS256 keys are the OpenID provider's, published at /oidc/jwks.
      return {keys: (await current()).filter((key) => key.alg === 'ES256').map((key) => key.publicJwk as JWK)};
    },
  };
}
