import type {SecretBox} from '../crypto/secret-box.ts';
import {AppError, UnknownConnection} from '../errors.ts';
import type {Connection, ConnectionInput, ConnectionPatch, ConnectionWithSecret} from '../connections/connection.ts';
import type {SqliteDatabase} from './database.ts';

/** Connections, with the ProviderSecret sealed at rest and returned only by getForExchange. */
export interface ConnectionStore {
  /** Adds a connection; throws a 409 AppError when the identifier is taken. */
  create(input: ConnectionInput): Promise<Connection>;
  /** Applies a validated patch; `check` sees the merged connection and may throw before anything is written. */
  update(identifier: string, patch: ConnectionPatch, check?: (merged: Connection) => void): Promise<Connection>;
  /** Deletes a connection with its users, transactions and tickets; throws UnknownConnection. */
  remove(identifier: string): Promise<void>;
  /** The connection without its secret; throws UnknownConnection. */
  get(identifier: string): Promise<Connection>;
  /** All connections without secrets, by identifier. */
  list(): Promise<Connection[]>;
  /** The connection with its decrypted ProviderSecret, for the WeCom exchange only. */
  getForExchange(identifier: string): Promise<ConnectionWithSecret>;
}

interface ConnectionRow {
  identifier: string;
  display_name: string;
  corp_id: string;
  provider_secret_sealed: string;
  callback_url: string;
  login_mode: Connection['loginMode'];
  usertype: Connection['usertype'];
  allowed_origins: string;
  launch_url: string | null;
  allowed_corp_ids: string;
  created_at: number;
  updated_at: number;
}

/** The context a ProviderSecret is sealed under: bound to its row, so it cannot be moved to another. */
export const providerSecretSealContext = (identifier: string) => `connection:${identifier}:provider_secret`;

/** Creates the SQLite ConnectionStore. */
export function createConnectionStore(db: SqliteDatabase, box: SecretBox, now = Date.now): ConnectionStore {
  const sealContext = providerSecretSealContext;
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
    const merged = {...toConnection(readRow(identifier)), ...withoutSecret(patch), updatedAt: now()};
    check?.(merged);
    const sealed = patch.providerSecret === undefined ? readRow(identifier).provider_secret_sealed : box.seal(patch.providerSecret, sealContext(identifier));
    replace.run(toRow(merged, sealed));
    return merged;
  });

  return {
    async create(input) {
      const time = now();
      const connection: Connection = {...withoutSecret(input), allowedCorpIds: input.allowedCorpIds ?? [], createdAt: time, updatedAt: time};
      try {
        insert.run(toRow(connection, box.seal(input.providerSecret, sealContext(input.identifier))));
      } catch (error) {
        if ((error as {code?: string}).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
          throw new AppError('conflict', 409, `A connection named "${input.identifier}" already exists.`, {field: 'identifier'});
        }
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
      return {...toConnection(row), providerSecret: box.open(row.provider_secret_sealed, sealContext(identifier))};
    },
  };
}

function withoutSecret<T extends {providerSecret?: string}>(value: T): Omit<T, 'providerSecret'> {
  const {providerSecret: _secret, ...rest} = value;
  return rest;
}

function toConnection(row: ConnectionRow): Connection {
  return {
    identifier: row.identifier,
    displayName: row.display_name,
    corpId: row.corp_id,
    callbackUrl: row.callback_url,
    loginMode: row.login_mode,
    usertype: row.usertype,
    allowedOrigins: JSON.parse(row.allowed_origins) as string[],
    launchUrl: row.launch_url,
    allowedCorpIds: JSON.parse(row.allowed_corp_ids) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toRow(connection: Connection, providerSecretSealed: string): ConnectionRow {
  return {
    identifier: connection.identifier,
    display_name: connection.displayName,
    corp_id: connection.corpId,
    provider_secret_sealed: providerSecretSealed,
    callback_url: connection.callbackUrl,
    login_mode: connection.loginMode,
    usertype: connection.usertype,
    allowed_origins: JSON.stringify(connection.allowedOrigins),
    launch_url: connection.launchUrl,
    allowed_corp_ids: JSON.stringify(connection.allowedCorpIds),
    created_at: connection.createdAt,
    updated_at: connection.updatedAt,
  };
}
