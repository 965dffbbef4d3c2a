import {calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK} from 'jose';
import {randomToken} from '../crypto/random-token.ts';
import type {SigningKeyStore} from '../db/signing-key-store.ts';
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
  /** An IdP-initiated login (the admin-console launch): `amr` says so, for hosts that refuse or confirm those. */
  launch?: boolean;
}

/** Signs ID tokens with the server's ES256 key and publishes the public keys. */
export interface TokenSigner {
  sign(user: LoginUser, context: IdTokenContext): Promise<string>;
  /** The JSON Web Key Set served at /.well-known/jwks.json. */
  jwks(): Promise<{keys: JWK[]}>;
}

/** Creates the TokenSigner, generating and storing the first key pair if the store has none. */
export async function createTokenSigner({store, issuer, now = Date.now}: {store: SigningKeyStore; issuer: string; now?: () => number}): Promise<TokenSigner> {
  if ((await store.list()).length === 0) {
    const {privateKey, publicKey} = await generateKeyPair('ES256', {extractable: true});
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    await store.add({kid, privateJwk: {...(await exportJWK(privateKey)), kid}, publicJwk: {...publicJwk, kid, alg: 'ES256', use: 'sig'}, createdAt: now()});
  }
  // Two processes starting together may both add a key; both then sign with the oldest one.
  const keys = await store.list();
  const active = keys[0]!;
  const signingKey = await importJWK(active.privateJwk as JWK, 'ES256');
  const publicKeys = keys.map((key) => key.publicJwk as JWK);

  return {
    async sign(user, {audience, authorizedParty, nonce, launch = false}) {
      const claims: Record<string, unknown> = {
        azp: authorizedParty,
        // How the user got here: a QR scan the host page started, or WeCom's admin-console launch.
        amr: [launch ? 'launch' : 'qr'],
        corp_id: user.corpId,
        name: user.name,
        usertype: user.usertype,
        ...(nonce !== null && {nonce}),
        ...(user.openUserId !== undefined && {open_userid: user.openUserId}),
        ...(user.userId !== undefined && {userid: user.userId}),
        ...(user.avatar !== undefined && {avatar: user.avatar}),
      };
      const issuedAt = Math.floor(now() / 1000);
      return new SignJWT(claims)
        .setProtectedHeader({alg: 'ES256', kid: active.kid, typ: 'JWT'})
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(user.id)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + ID_TOKEN_TTL_SECONDS)
        // A unique id, so a host backend can accept each token once.
        .setJti(randomToken(22))
        .sign(signingKey);
    },
    async jwks() {
      return {keys: publicKeys};
    },
  };
}
