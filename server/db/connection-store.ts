import {AppError} from '../errors.ts';
import {
  SECRET_FIELDS,
  type Connection,
  type ConnectionInput,
  type ConnectionPatch,
  type ConnectionSecrets,
  type ConnectionWithSecret,
  type LoginFlow,
  type SecretField,
} from '../connections/connection.ts';
import {LOGIN_FLOWS} from '../login/flows/protocol-catalogue.ts';
import {SECRET_COLUMNS, type Sealer} from './sealed-columns.ts';

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
  /** '' when the connection has no ProviderSecret (a service-app connection without the launch's role). */
  provider_secret_sealed: string;
  callback_url: string;
  login_mode: Connection['loginMode'];
  usertype: Connection['usertype'];
  allowed_origins: string;
  launch_url: string | null;
  allowed_corp_ids: string;
  flow: LoginFlow;
  suite_id: string | null;
  suite_secret_sealed: string | null;
  callback_token_sealed: string | null;
  encoding_aes_key_sealed: string | null;
  app_suite_id: string | null;
  app_suite_secret_sealed: string | null;
  app_callback_token_sealed: string | null;
  app_encoding_aes_key_sealed: string | null;
  created_at: number;
  updated_at: number;
}

/** The row's columns, in the order the stores write them. */
export const CONNECTION_COLUMNS = [
  'identifier',
  'display_name',
  'corp_id',
  'provider_secret_sealed',
  'callback_url',
  'login_mode',
  'usertype',
  'allowed_origins',
  'launch_url',
  'allowed_corp_ids',
  'flow',
  'suite_id',
  'suite_secret_sealed',
  'callback_token_sealed',
  'encoding_aes_key_sealed',
  'app_suite_id',
  'app_suite_secret_sealed',
  'app_callback_token_sealed',
  'app_encoding_aes_key_sealed',
  'created_at',
  'updated_at',
] as const;

/** Each secret's sealed value as stored: null where unset. */
type SealedSecrets = Record<SecretField, string | null>;

/** The connection a new row stands for: the input without its secrets, stamped with `time`. */
export function newConnection(input: ConnectionInput, time: number): Connection {
  return {
    ...withoutSecret(input),
    flow: input.flow ?? LOGIN_FLOWS[0]!,
    suiteId: input.suiteId ?? null,
    appSuiteId: input.appSuiteId ?? null,
    secretsSet: SECRET_FIELDS.filter((field) => input[field] !== undefined),
    allowedCorpIds: input.allowedCorpIds ?? [],
    createdAt: time,
    updatedAt: time,
  };
}

/** The input or patch without its secrets. */
export function withoutSecret<T extends Partial<Record<SecretField, unknown>>>(value: T): Omit<T, SecretField> {
  return Object.fromEntries(
    Object.entries(value).filter(([key]) => !SECRET_FIELDS.includes(key as SecretField)),
  ) as Omit<T, SecretField>;
}

/** The sealed secrets of a row after `patch`: new values sealed, the others kept as they were. */
export function sealSecrets(
  sealer: Sealer,
  identifier: string,
  patch: Partial<Record<SecretField, string>>,
  stored?: ConnectionRow,
): SealedSecrets {
  return Object.fromEntries(
    SECRET_FIELDS.map((field) => {
      const value = patch[field];
      if (value !== undefined) return [field, sealer.connection[field].seal(identifier, value)];
      const kept = stored?.[SECRET_COLUMNS[field] as keyof ConnectionRow] as string | null | undefined;
      return [field, kept ? kept : null];
    }),
  ) as SealedSecrets;
}

/** Opens a row's secrets, for the WeCom calls. */
export function openSecrets(sealer: Sealer, row: ConnectionRow): ConnectionSecrets {
  return Object.fromEntries(
    SECRET_FIELDS.map((field) => {
      const sealed = row[SECRET_COLUMNS[field] as keyof ConnectionRow] as string | null;
      return [field, sealed ? sealer.connection[field].open(row.identifier, sealed) : null];
    }),
  ) as ConnectionSecrets;
}

/** Reads a row. */
export function toConnection(row: ConnectionRow): Connection {
  return {
    identifier: row.identifier,
    displayName: row.display_name,
    corpId: row.corp_id,
    flow: row.flow,
    suiteId: row.suite_id,
    appSuiteId: row.app_suite_id,
    secretsSet: SECRET_FIELDS.filter((field) => !!row[SECRET_COLUMNS[field] as keyof ConnectionRow]),
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

/** The row of a connection whose secrets are already sealed. */
export function toConnectionRow(connection: Connection, sealed: SealedSecrets): ConnectionRow {
  return {
    identifier: connection.identifier,
    display_name: connection.displayName,
    corp_id: connection.corpId,
    provider_secret_sealed: sealed.providerSecret ?? '',
    callback_url: connection.callbackUrl,
    login_mode: connection.loginMode,
    usertype: connection.usertype,
    allowed_origins: JSON.stringify(connection.allowedOrigins),
    launch_url: connection.launchUrl,
    allowed_corp_ids: JSON.stringify(connection.allowedCorpIds),
    flow: connection.flow,
    suite_id: connection.suiteId,
    suite_secret_sealed: sealed.suiteSecret,
    callback_token_sealed: sealed.callbackToken,
    encoding_aes_key_sealed: sealed.encodingAesKey,
    app_suite_id: connection.appSuiteId,
    app_suite_secret_sealed: sealed.appSuiteSecret,
    app_callback_token_sealed: sealed.appCallbackToken,
    app_encoding_aes_key_sealed: sealed.appEncodingAesKey,
    created_at: connection.createdAt,
    updated_at: connection.updatedAt,
  };
}

/** The connection after `patch`, with secretsSet counting the secrets the patch adds. */
export function mergeConnection(row: ConnectionRow, patch: ConnectionPatch, time: number): Connection {
  const current = toConnection(row);
  const added = SECRET_FIELDS.filter((field) => patch[field] !== undefined && !current.secretsSet.includes(field));
  return {
    ...current,
    ...withoutSecret(patch),
    secretsSet: SECRET_FIELDS.filter((field) => current.secretsSet.includes(field) || added.includes(field)),
    updatedAt: time,
  };
}

/** The 409 of a second connection with a taken identifier. */
export function identifierTaken(identifier: string): AppError {
  return new AppError('connection_exists', {params: {identifier}, field: 'identifier'});
}
