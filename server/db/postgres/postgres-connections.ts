import type pg from 'pg';
import {UnknownConnection} from '../../errors.ts';
import {
  CONNECTION_COLUMNS,
  identifierTaken,
  mergeConnection,
  newConnection,
  openSecrets,
  sealSecrets,
  toConnection,
  toConnectionRow,
  type ConnectionRow,
  type ConnectionStore,
} from '../connection-store.ts';
import type {Sealer} from '../sealed-columns.ts';
import {inTransaction} from './postgres-transaction.ts';
import type {Queryable} from './postgres-pool.ts';

const COLUMNS = CONNECTION_COLUMNS;
const values = (row: ConnectionRow) => COLUMNS.map((column) => row[column]);

/** Creates the PostgreSQL ConnectionStore. */
export function createPostgresConnectionStore(pool: pg.Pool, sealer: Sealer, now = Date.now): ConnectionStore {
  async function readRow(db: Queryable, identifier: string, lock = ''): Promise<ConnectionRow> {
    const {rows} = await db.query<ConnectionRow>({
      name: `connection-read${lock ? '-lock' : ''}`,
      text: `SELECT * FROM connections WHERE identifier = $1 ${lock}`,
      values: [identifier],
    });
    if (!rows[0]) throw new UnknownConnection(identifier);
    return rows[0];
  }

  return {
    async create(input) {
      const connection = newConnection(input, now());
      try {
        await pool.query(
          `INSERT INTO connections (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`,
          values(toConnectionRow(connection, sealSecrets(sealer, input.identifier, input))),
        );
      } catch (error) {
        const {code, constraint} = error as {code?: string; constraint?: string};
        if (code === '23505' && constraint === 'connections_pkey') throw identifierTaken(input.identifier);
        throw error;
      }
      return connection;
    },
    async update(identifier, patch, check) {
      // The row stays locked from the read to the write, so two updates cannot undo each other.
      return inTransaction(pool, async (client) => {
        const row = await readRow(client, identifier, 'FOR UPDATE');
        const merged = mergeConnection(row, patch, now());
        check?.(merged);
        const assignments = COLUMNS.slice(1)
          .map((column, i) => `${column} = $${i + 2}`)
          .join(', ');
        await client.query(
          `UPDATE connections SET ${assignments} WHERE identifier = $1`,
          values(toConnectionRow(merged, sealSecrets(sealer, identifier, patch, row))),
        );
        return merged;
      });
    },
    async remove(identifier) {
      const {rowCount} = await pool.query('DELETE FROM connections WHERE identifier = $1', [identifier]);
      if (rowCount === 0) throw new UnknownConnection(identifier);
    },
    async get(identifier) {
      return toConnection(await readRow(pool, identifier));
    },
    async list() {
      const {rows} = await pool.query<ConnectionRow>('SELECT * FROM connections ORDER BY identifier COLLATE "C"');
      return rows.map(toConnection);
    },
    async getForExchange(identifier) {
      const row = await readRow(pool, identifier);
      return {...toConnection(row), ...openSecrets(sealer, row)};
    },
  };
}
