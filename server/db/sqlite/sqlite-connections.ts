import {UnknownConnection} from '../../errors.ts';
import type {Connection, ConnectionPatch} from '../../connections/connection.ts';
import {identifierTaken, newConnection, toConnection, toConnectionRow, withoutSecret, type ConnectionRow, type ConnectionStore} from '../connection-store.ts';
import type {Sealer} from '../sealed-columns.ts';
import type {SqliteDatabase} from './sqlite-database.ts';

/** Creates the SQLite ConnectionStore. */
export function createSqliteConnectionStore(db: SqliteDatabase, sealer: Sealer, now = Date.now): ConnectionStore {
  const select = db.prepare<[string], ConnectionRow>('SELECT * FROM connections WHERE identifier = ?');
  const insert = db.prepare(`INSERT INTO connections (identifier, display_name, corp_id, provider_secret_sealed, callback_url, login_mode, usertype, allowed_origins, launch_url, allowed_corp_ids, created_at, updated_at)
    VALUES (@identifier, @display_name, @corp_id, @provider_secret_sealed, @callback_url, @login_mode, @usertype, @allowed_origins, @launch_url, @allowed_corp_ids, @created_at, @updated_at)`);
  const replace = db.prepare(`UPDATE connections SET display_name = @display_name, corp_id = @corp_id, provider_secret_sealed = @provider_secret_sealed,
    callback_url = @callback_url, login_mode = @login_mode, usertype = @usertype, allowed_origins = @allowed_origins, launch_url = @launch_url,
    allowed_corp_ids = @allowed_corp_ids, updated_at = @updated_at
    WHERE identifier = @identifier`);

  function readRow(identifier: string): ConnectionRow {
    const row = select.get(identifier);
    if (!row) throw new UnknownConnection(identifier);
    return row;
  }

  const updateInTransaction = db.transaction((identifier: string, patch: ConnectionPatch, check?: (merged: Connection) => void) => {
    const row = readRow(identifier);
    const merged = {...toConnection(row), ...withoutSecret(patch), updatedAt: now()};
    check?.(merged);
    const sealed = patch.providerSecret === undefined ? row.provider_secret_sealed : sealer.providerSecret.seal(identifier, patch.providerSecret);
    replace.run(toConnectionRow(merged, sealed));
    return merged;
  });

  return {
    async create(input) {
      const connection = newConnection(input, now());
      try {
        insert.run(toConnectionRow(connection, sealer.providerSecret.seal(input.identifier, input.providerSecret)));
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
      return {...toConnection(row), providerSecret: sealer.providerSecret.open(identifier, row.provider_secret_sealed)};
    },
  };
}
