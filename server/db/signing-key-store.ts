import type {Sealer} from './sealed-columns.ts';
/** The algorithms of the key ring: ES256 signs the element's ID tokens, RS256 the OpenID provider's. */
export type SigningAlg = 'ES256' | 'RS256';

/** A stored signing key pair as JWKs. */
export interface StoredSigningKey {
  kid: string;
  alg: SigningAlg;
  privateJwk: Record<string, unknown>;
  publicJwk: Record<string, unknown>;
  createdAt: number;
  /** When it may start signing: it is published in the JWKS from createdAt, and signs from here on. */
  signsFrom: number;
}

/** ID-token signing keys; private halves sealed at rest. */
export interface SigningKeyStore {
  /** All keys, oldest first. */
  list(): Promise<StoredSigningKey[]>;
  /** A short string that changes whenever a key is added or removed (cheap to poll). */
  fingerprint(): Promise<string>;
  /** Adds a key unless one with the same kid exists. */
  add(key: StoredSigningKey): Promise<void>;
  /**
   * Adds `key` only while the store holds no key of its algorithm, atomically: of several processes
   * starting on an empty database at once, exactly one adds its key and the others read it.
   */
  addFirst(key: StoredSigningKey): Promise<void>;
  /** Removes a key; false when there was none with this kid. */
  remove(kid: string): Promise<boolean>;
}

/** A `signing_keys` row, the same in every database. */
export interface SigningKeyRow {
  kid: string;
  alg: SigningAlg;
  private_jwk_sealed: string;
  public_jwk: string;
  created_at: number;
  signs_from: number;
}

/** The columns signingKeyValues fills, in its order. */
export const SIGNING_KEY_COLUMNS = 'kid, private_jwk_sealed, public_jwk, created_at, signs_from, alg';

/** A key's row values in SIGNING_KEY_COLUMNS' order. */
export function signingKeyValues(
  key: StoredSigningKey,
  sealer: Sealer,
): [string, string, string, number, number, string] {
  return [
    key.kid,
    sealer.signingKey.seal(key.kid, key.privateJwk),
    JSON.stringify(key.publicJwk),
    key.createdAt,
    key.signsFrom,
    key.alg,
  ];
}

/** Reads a row, opening its private key. */
export function toSigningKey(
  row: SigningKeyRow,
  openPrivateKey: (kid: string, sealed: string) => Record<string, unknown>,
): StoredSigningKey {
  return {
    kid: row.kid,
    alg: row.alg,
    privateJwk: openPrivateKey(row.kid, row.private_jwk_sealed),
    publicJwk: JSON.parse(row.public_jwk) as Record<string, unknown>,
    createdAt: row.created_at,
    signsFrom: row.signs_from,
  };
}
