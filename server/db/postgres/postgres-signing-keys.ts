import type pg from 'pg';
import {inTransaction} from './postgres-transaction.ts';
import type {Sealer} from '../sealed-columns.ts';
import {
  SIGNING_KEY_COLUMNS,
  signingKeyValues,
  toSigningKey,
  type SigningKeyRow,
  type SigningKeyStore,
} from '../signing-key-store.ts';

/** Creates the PostgreSQL SigningKeyStore. */
export function createPostgresSigningKeyStore(pool: pg.Pool, sealer: Sealer): SigningKeyStore {
  return {
    async list() {
      const {rows} = await pool.query<SigningKeyRow>('SELECT * FROM signing_keys ORDER BY created_at, kid COLLATE "C"');
      return rows.map((row) => toSigningKey(row, sealer.signingKey.open));
    },
    async fingerprint() {
      const {rows} = await pool.query<{keys: string | null}>({
        name: 'signing-key-fingerprint',
        text: `SELECT string_agg(kid || ':' || signs_from, ',' ORDER BY kid COLLATE "C") AS keys FROM signing_keys`,
      });
      return rows[0]?.keys ?? '';
    },
    async add(key) {
      await pool.query(
        `INSERT INTO signing_keys (${SIGNING_KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6) ` +
          'ON CONFLICT (kid) DO NOTHING',
        signingKeyValues(key, sealer),
      );
    },
    async addFirst(key) {
      await inTransaction(pool, async (client) => {
        // Under READ COMMITTED two inserts "where none exists" can both see none; the table lock
        // (which plain reads do not wait for) lets exactly one of the starting servers add its key.
        await client.query('LOCK TABLE signing_keys IN SHARE ROW EXCLUSIVE MODE');
        await client.query(
          `INSERT INTO signing_keys (${SIGNING_KEY_COLUMNS}) SELECT $1, $2, $3, $4, $5, $6 WHERE NOT EXISTS ` +
            '(SELECT 1 FROM signing_keys WHERE alg = $6)',
          signingKeyValues(key, sealer),
        );
      });
    },
    async remove(kid) {
      const {rowCount} = await pool.query('DELETE FROM signing_keys WHERE kid = $1', [kid]);
      return rowCount === 1;
    },
  };
}
