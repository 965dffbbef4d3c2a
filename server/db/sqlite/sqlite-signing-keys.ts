import type {Sealer} from '../sealed-columns.ts';
import {
  SIGNING_KEY_COLUMNS,
  signingKeyValues,
  toSigningKey,
  type SigningKeyRow,
  type SigningKeyStore,
} from '../signing-key-store.ts';
import type {SqliteDatabase} from './sqlite-database.ts';

/** Creates the SQLite SigningKeyStore. */
export function createSqliteSigningKeyStore(db: SqliteDatabase, sealer: Sealer): SigningKeyStore {
  const fingerprint = db.prepare<[], {keys: string | null}>(
    "SELECT group_concat(kid || ':' || signs_from, ',') AS keys FROM (SELECT kid, signs_from FROM " +
      'signing_keys ORDER BY kid)',
  );
  const all = db.prepare<[], SigningKeyRow>('SELECT * FROM signing_keys ORDER BY created_at, kid');
  const insert = db.prepare(`INSERT OR IGNORE INTO signing_keys (${SIGNING_KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`);
  // One statement: SQLite's write lock makes the emptiness check and the insert one step.
  const insertFirst = db.prepare(
    `INSERT INTO signing_keys (${SIGNING_KEY_COLUMNS}) SELECT ?, ?, ?, ?, ?, ? WHERE NOT EXISTS ` +
      '(SELECT 1 FROM signing_keys WHERE alg = ?)',
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
      insertFirst.run(...signingKeyValues(key, sealer), key.alg);
    },
    async remove(kid) {
      return remove.run(kid).changes === 1;
    },
  };
}
