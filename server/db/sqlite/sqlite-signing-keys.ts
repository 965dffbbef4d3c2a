import type {Sealer} from '../sealed-columns.ts';
import {signingKeyValues, toSigningKey, type SigningKeyRow, type SigningKeyStore} from '../signing-key-store.ts';
import type {SqliteDatabase} from './sqlite-database.ts';

/** Creates the SQLite SigningKeyStore. */
export function createSqliteSigningKeyStore(db: SqliteDatabase, sealer: Sealer): SigningKeyStore {
  const fingerprint = db.prepare<[], {keys: string | null}>(
    "SELECT group_concat(kid || ':' || signs_from, ',') AS keys FROM (SELECT kid, signs_from FROM " +
      'signing_keys ORDER BY kid)',
  );
  const all = db.prepare<[], SigningKeyRow>('SELECT * FROM signing_keys ORDER BY created_at, kid');
  const insert = db.prepare(
    'INSERT OR IGNORE INTO signing_keys (kid, private_jwk_sealed, public_jwk, created_at, signs_from) VALUES ' +
      '(?, ?, ?, ?, ?)',
  );
  // One statement: SQLite's write lock makes the emptiness check and the insert one step.
  const insertFirst = db.prepare(
    'INSERT INTO signing_keys (kid, private_jwk_sealed, public_jwk, created_at, signs_from) SELECT ?, ?, ?, ' +
      '?, ? WHERE NOT EXISTS (SELECT 1 FROM signing_keys)',
  );
  const remove = db.prepare('DELETE FROM signing_keys WHERE kid = ?');
  return {
    async list() {
      return all.all().map((row) => toSigningKey(row, sealer.signingKey.open));
    },
    async fingerprint() {
      return fingerprint.get()?.keys ?? '';
    },
    async add(key) {
      insert.run(...signingKeyValues(key, sealer));
    },
    async addFirst(key) {
      insertFirst.run(...signingKeyValues(key, sealer));
    },
    async remove(kid) {
      return remove.run(kid).changes === 1;
    },
  };
}
