import {AppError} from '../errors.ts';
import type {Connection, ConnectionInput, ConnectionPatch, ConnectionWithSecret} from '../connections/connection.ts';

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

/** A `connections` row, the same in every database. */
export interface ConnectionRow {
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

/** The connection a new row stands for: the input without its secret, stamped with `time`. */
export function newConnection(input: ConnectionInput, time: number): Connection {
  return {...withoutSecret(input), allowedCorpIds: input.allowedCorpIds ?? [], createdAt: time, updatedAt: time};
}

/** The input or patch without its ProviderSecret. */
export function withoutSecret<T extends {providerSecret?: string}>(value: T): Omit<T, 'providerSecret'> {
  const {providerSecret: _secret, ...rest} = value;
  return rest;
}

/** Reads a row. */
export function toConnection(row: ConnectionRow): Connection {
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

/** The row of a connection whose ProviderSecret is already sealed. */
export function toConnectionRow(connection: Connection, providerSecretSealed: string): ConnectionRow {
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

/** The 409 of a second connection with a taken identifier. */
export function identifierTaken(identifier: string): AppError {
  return new AppError('conflict', 409, `A connection named "${identifier}" already exists.`, {field: 'identifier'});
}
