import {UnknownConnection} from '../../errors.ts';
import type {Connection, ConnectionPatch} from '../../connections/connection.ts';
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
import type {SqliteDatabase} from './sqlite-database.ts';

/** Creates the SQLite ConnectionStore. */
export function createSqliteConnectionStore(db: SqliteDatabase, sealer: Sealer, now = Date.now): ConnectionStore {
  const select = db.prepare<[string], ConnectionRow>('SELECT * FROM connections WHERE identifier = ?');
  const insert = db.prepare(
    `INSERT INTO connections (${CONNECTION_COLUMNS.join(', ')}) VALUES ` +
      `(${CONNECTION_COLUMNS.map((column) => `@${column}`).join(', ')})`,
  );
  const replace = db.prepare(
    `UPDATE connections SET ${CONNECTION_COLUMNS.slice(1)
      .map((column) => `${column} = @${column}`)
      .join(', ')} WHERE identifier = @identifier`,
  );

  function readRow(identifier: string): ConnectionRow {
    const row = select.get(identifier);
    if (!row) throw new UnknownConnection(identifier);
    return row;
  }

  const updateInTransaction = db.transaction(
    (identifier: string, patch: ConnectionPatch, check?: (merged: Connection) => void) => {
      const row = readRow(identifier);
      const merged = mergeConnection(row, patch, now());
      check?.(merged);
      replace.run(toConnectionRow(merged, sealSecrets(sealer, identifier, patch, row)));
      return merged;
    },
  );

  return {
    async create(input) {
      const connection = newConnection(input, now());
      try {
        insert.run(toConnectionRow(connection, sealSecrets(sealer, input.identifier, input)));
      } catch (error) {
        if ((error as {code?: string}).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw identifierTaken(input.identifier);
        throw error;
      }
      return connection;
    },
    async update(identifier, patch, check) {
      return updateInTransaction.immediate(identifier, patch, check);
    },
    async remove(identifier) {
      const {changes} = db.prepare('DELETE FROM connections WHERE identifier = ?').run(identifier);
      if (changes === 0) throw new UnknownConnection(identifier);
    },
    async get(identifier) {
      return toConnection(readRow(identifier));
    },
    async list() {
      return db.prepare<[], ConnectionRow>('SELECT * FROM connections ORDER BY identifier').all().map(toConnection);
    },
    async getForExchange(identifier) {
      const row = readRow(identifier);
      return {...toConnection(row), ...openSecrets(sealer, row)};
    },
  };
}
