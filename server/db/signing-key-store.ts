import type {SecretBox} from '../crypto/secret-box.ts';
import type {SqliteDatabase} from './database.ts';

/** A stored signing key pair as JWKs. */
export interface StoredSigningKey {
  kid: string;
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
  /** Removes a key; false when there was none with this kid. */
  remove(kid: string): Promise<boolean>;
}

/** The context a private signing key is sealed under. */
export const signingKeySealContext = (kid: string) => `signing_key:${kid}`;

/** Creates the SQLite SigningKeyStore. */
export function createSigningKeyStore(db: SqliteDatabase, box: SecretBox): SigningKeyStore {
  const context = signingKeySealContext;
  const fingerprint = db.prepare<[], {keys: string | null}>("SELECT group_concat(kid || ':' || signs_from, ',') AS keys FROM (SELECT kid, signs_from FROM signing_keys ORDER BY kid)");
  return {
    async list() {
      const rows = db.prepare<[], {kid: string; private_jwk_sealed: string; public_jwk: string; created_at: number; signs_from: number}>(
        'SELECT * FROM signing_keys ORDER BY created_at, kid',
      ).all();
      return rows.map((row) => ({
        kid: row.kid,
        privateJwk: JSON.parse(box.open(row.private_jwk_sealed, context(row.kid))) as Record<string, unknown>,
        publicJwk: JSON.parse(row.public_jwk) as Record<string, unknown>,
        createdAt: row.created_at,
        signsFrom: row.signs_from,
      }));
    },
    async fingerprint() {
      return fingerprint.get()?.keys ?? '';
    },
    async add(key) {
      db.prepare('INSERT OR IGNORE INTO signing_keys (kid, private_jwk_sealed, public_jwk, created_at, signs_from) VALUES (?, ?, ?, ?, ?)')
        .run(key.kid, box.seal(JSON.stringify(key.privateJwk), context(key.kid)), JSON.stringify(key.publicJwk), key.createdAt, key.signsFrom);
    },
    async remove(kid) {
      return db.prepare('DELETE FROM signing_keys WHERE kid = ?').run(kid).changes === 1;
    },
  };
}
