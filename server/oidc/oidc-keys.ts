import type {JWK} from 'jose';
import type {SigningKeyStore, StoredSigningKey} from '../db/signing-key-store.ts';
import {generateSigningKey, SIGNING_ALGS, signingKeyAt} from '../tokens/signing-keys.ts';

/**
 * The OpenID provider's signing keys from the key ring: every stored key, each algorithm's signing
 * key first (oidc-provider signs with the first key of an algorithm and publishes them all), and a
 * short string that changes whenever that list does: a key added or retired, or one coming due.
 */
export function providerKeys(keys: readonly StoredSigningKey[], time: number): {jwks: JWK[]; version: string} {
  const signing = SIGNING_ALGS.map((alg) => signingKeyAt(keys, time, alg)).filter((key) => key !== undefined);
  const ordered = [...signing, ...keys.filter((key) => !signing.includes(key))];
  return {
    jwks: ordered.map((key) => ({...(key.privateJwk as JWK), kid: key.kid, alg: key.alg, use: 'sig'})),
    version: ordered.map((key) => key.kid).join(','),
  };
}

/**
 * Makes sure the key ring has an RS256 key, the algorithm every relying party must accept
 * (OpenID Connect Discovery §3): a database from before the provider holds ES256 keys only. Of
 * several processes starting at once, one adds it. It signs "since 1970": a 0.2.0 process, which
 * picks the due key that came last whatever its algorithm, then keeps picking its ES256 key
 * during a rolling upgrade.
 */
export async function ensureRs256Key(store: SigningKeyStore, time: number): Promise<void> {
  if ((await store.list()).some((key) => key.alg === 'RS256')) return;
  await store.addFirst(await generateSigningKey(time, 0, 'RS256'));
}
