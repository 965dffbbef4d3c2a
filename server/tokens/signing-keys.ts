import {calculateJwkThumbprint, exportJWK, generateKeyPair} from 'jose';
import type {SigningAlg, StoredSigningKey} from '../db/signing-key-store.ts';

/**
 * How long a rotated key is published before it signs. Longer than the JWKS's `Cache-Control:
 * max-age=300` plus the servers' 5-second reload, so every verifier's cached JWKS knows a kid
 * before any token carries it.
 */
export const ROTATION_DELAY_MS = 15 * 60_000;

/** Every algorithm of the key ring: a rotation adds a key of each. */
export const SIGNING_ALGS: readonly SigningAlg[] = ['ES256', 'RS256'];

/** Generates a key pair (ES256 unless `alg` says), named by its JWK thumbprint, that signs from `signsFrom` on. */
export async function generateSigningKey(
  createdAt: number,
  signsFrom: number,
  alg: SigningAlg = 'ES256',
): Promise<StoredSigningKey> {
  const {privateKey, publicKey} = await generateKeyPair(alg, {extractable: true, modulusLength: 2048});
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    kid,
    alg,
    privateJwk: {...(await exportJWK(privateKey)), kid, alg},
    publicJwk: {...publicJwk, kid, alg, use: 'sig'},
    createdAt,
    signsFrom,
  };
}

/**
 * The key of `alg` that signs at `time`: of its keys whose time has come, the one that came last.
 * Each algorithm rotates on its own timeline.
 */
export function signingKeyAt(
  keys: readonly StoredSigningKey[],
  time: number,
  alg: SigningAlg = 'ES256',
): StoredSigningKey | undefined {
  const ofAlg = keys.filter((key) => key.alg === alg);
  const due = ofAlg.filter((key) => key.signsFrom <= time);
  return due.sort((a, b) => a.signsFrom - b.signsFrom || a.createdAt - b.createdAt).at(-1) ?? ofAlg[0];
}

/**
 * Why `kid` may not be retired at `time`, or null when it may: the key that signs cannot go, nor one
 * that stopped signing less than an ID-token lifetime ago (tokens carrying its kid are still valid).
 */
export function retireRefusal(
  keys: readonly StoredSigningKey[],
  kid: string,
  time: number,
  tokenTtlMs: number,
): string | null {
  const key = keys.find((candidate) => candidate.kid === kid);
  if (!key) return `No signing key has kid ${kid}.`;
  if (signingKeyAt(keys, time, key.alg)!.kid === kid)
    return (
      `${kid} is the key that signs now. ` +
      'Run `wecom-sp-login keys rotate` first, and retire it once the new key signs.'
    );
  if (key.signsFrom > time) return null;
  // It stopped signing when the first key after it came due.
  const stoppedAt = Math.min(
    ...keys.filter((other) => other.alg === key.alg && other.signsFrom > key.signsFrom).map((other) => other.signsFrom),
  );
  const validUntil = stoppedAt + tokenTtlMs;
  return validUntil > time
    ? `Tokens signed by ${kid} until ${new Date(stoppedAt).toISOString()} stay valid until ` +
        `${new Date(validUntil).toISOString()}; retire it after that.`
    : null;
}
