import type {SecretBox} from '../crypto/secret-box.ts';
import type {SqliteDatabase} from './database.ts';

/** A stored signing key pair as JWKs. */
export interface StoredSigningKey {
  kid: string;
  privateJwk: Record<string, unknown>;
  publicJwk: Record<string, unknown>;
  createdAt: number;
}

/** ID-token signing keys; private halves sealed at rest. */
export interface SigningKeyStore {
  /** All keys, oldest first. */
  list(): Promise<StoredSigningKey[]>;
  /** Adds a key unless one with the same kid exists. */
  add(key: StoredSigningKey): Promise<void>;
}

/** The context a private signing key is sealed under. */
export const signingKeySealContext = (kid: string) => `signing_key:${kid}`;

/** Creates the SQLite SigningKeyStore. */
export function createSigningKeyStore(db: SqliteDatabase, box: SecretBox): SigningKeyStore {
  const context = signingKeySealContext;
  return {
    async list() {
      const rows = db.prepare<[], {kid: string; private_jwk_sealed: string; public_jwk: string; created_at: number}>(
        'SELECT * FROM signing_keys ORDER BY created_at, kid',
      ).all();
      return rows.map((row) => ({
        kid: row.kid,
        privateJwk: JSON.parse(box.open(row.private_jwk_sealed, context(row.kid))) as Record<string, unknown>,
        publicJwk: JSON.parse(row.public_jwk) as Record<string, unknown>,
        createdAt: row.created_at,
      }));
    },
    async add(key) {
      db.prepare('INSERT OR IGNORE INTO signing_keys (kid, private_jwk_sealed, public_jwk, created_at) VALUES (?, ?, ?, ?)')
        .run(key.kid, box.seal(JSON.stringify(key.privateJwk), context(key.kid)), JSON.stringify(key.publicJwk), key.createdAt);
    },
  };
}
