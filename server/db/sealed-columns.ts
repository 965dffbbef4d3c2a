import {SECRET_FIELDS, type SecretField} from '../connections/connection.ts';
import type {SecretBox} from '../crypto/secret-box.ts';

/**
 * Every column that holds a sealed secret, with the context its values are sealed under. The context
 * names the row, so a sealed value copied to another row does not open. Both stores seal through
 * here; `secrets reseal` and the SECRET_KEY check walk this list whatever the database.
 */
export const SEALED_COLUMNS = [
  {
    table: 'connections',
    key: 'identifier',
    column: 'provider_secret_sealed',
    context: (identifier: string) => `connection:${identifier}:provider_secret`,
  },
  {table: 'signing_keys', key: 'kid', column: 'private_jwk_sealed', context: (kid: string) => `signing_key:${kid}`},
  // The table was provider_tokens until suite tokens joined it; the context keeps its old name, as the
  // values already sealed under it must still open.
  {table: 'access_tokens', key: 'token_key', column: 'token_sealed', context: (key: string) => `provider_token:${key}`},
  {
    table: 'connections',
    key: 'identifier',
    column: 'suite_secret_sealed',
    context: (identifier: string) => `connection:${identifier}:suite_secret`,
  },
  {
    table: 'connections',
    key: 'identifier',
    column: 'callback_token_sealed',
    context: (identifier: string) => `connection:${identifier}:callback_token`,
  },
  {
    table: 'connections',
    key: 'identifier',
    column: 'encoding_aes_key_sealed',
    context: (identifier: string) => `connection:${identifier}:encoding_aes_key`,
  },
  {
    table: 'connections',
    key: 'identifier',
    column: 'app_suite_secret_sealed',
    context: (identifier: string) => `connection:${identifier}:app_suite_secret`,
  },
  {
    table: 'connections',
    key: 'identifier',
    column: 'app_callback_token_sealed',
    context: (identifier: string) => `connection:${identifier}:app_callback_token`,
  },
  {
    table: 'connections',
    key: 'identifier',
    column: 'app_encoding_aes_key_sealed',
    context: (identifier: string) => `connection:${identifier}:app_encoding_aes_key`,
  },
  // The newest and the previous suite_ticket of a suite share a context: a push moves one to the other.
  {
    table: 'suite_tickets',
    key: 'suite_id',
    column: 'ticket_sealed',
    context: (suiteId: string) => `suite_ticket:${suiteId}`,
  },
  {
    table: 'suite_tickets',
    key: 'suite_id',
    column: 'previous_ticket_sealed',
    context: (suiteId: string) => `suite_ticket:${suiteId}`,
  },
  // A client's secret and the previous one share a context: a rotation moves one to the other.
  {
    table: 'oidc_clients',
    key: 'client_id',
    column: 'secret_sealed',
    context: (clientId: string) => `oidc_client:${clientId}`,
  },
  {
    table: 'oidc_clients',
    key: 'client_id',
    column: 'previous_secret_sealed',
    context: (clientId: string) => `oidc_client:${clientId}`,
  },
  {
    table: 'oidc_artifacts',
    key: 'id_hash',
    column: 'payload_sealed',
    context: (idHash: string) => `oidc_artifact:${idHash}`,
  },
] as const;

/** A sealed column's name and its context. */
export type SealedColumn = (typeof SEALED_COLUMNS)[number];

/** Seals and opens the values of one kind of column. */
export interface ColumnSealer<T> {
  /** Seals `value` for the row keyed `key`. */
  seal: (key: string, value: T) => string;
  /** Opens a value sealed for the row keyed `key`; throws when it was altered, moved or sealed under another key. */
  open: (key: string, sealed: string) => T;
}

/** How the stores seal their secrets: one sealer per kind of sealed column. */
export interface Sealer {
  /** A connection's secrets, by field. */
  connection: Record<SecretField, ColumnSealer<string>>;
  /** WeCom access tokens (provider and suite). */
  accessToken: ColumnSealer<string>;
  signingKey: ColumnSealer<Record<string, unknown>>;
  suiteTicket: ColumnSealer<string>;
  /** The OpenID provider's client secrets (current and previous). */
  oidcClientSecret: ColumnSealer<string>;
  /** The OpenID provider's artifacts: sessions, interactions, codes, tokens and grants. */
  oidcArtifact: ColumnSealer<Record<string, unknown>>;
}

/** The column of each connection secret. */
export const SECRET_COLUMNS: Record<SecretField, string> = {
  providerSecret: 'provider_secret_sealed',
  suiteSecret: 'suite_secret_sealed',
  callbackToken: 'callback_token_sealed',
  encodingAesKey: 'encoding_aes_key_sealed',
  appSuiteSecret: 'app_suite_secret_sealed',
  appCallbackToken: 'app_callback_token_sealed',
  appEncodingAesKey: 'app_encoding_aes_key_sealed',
};

/** Creates the Sealer of a SecretBox (SECRET_KEY, with SECRET_KEY_PREVIOUS for opening). */
export function createSealer(box: SecretBox): Sealer {
  const column = (name: string) => SEALED_COLUMNS.find((entry) => entry.column === name)!;
  const text = ({context}: SealedColumn): ColumnSealer<string> => ({
    seal: (key, value) => box.seal(value, context(key)),
    open: (key, sealed) => box.open(sealed, context(key)),
  });
  const json = ({context}: SealedColumn): ColumnSealer<Record<string, unknown>> => ({
    seal: (key, value) => box.seal(JSON.stringify(value), context(key)),
    open: (key, sealed) => JSON.parse(box.open(sealed, context(key))) as Record<string, unknown>,
  });
  return {
    connection: Object.fromEntries(
      SECRET_FIELDS.map((field) => [field, text(column(SECRET_COLUMNS[field]))]),
    ) as Record<SecretField, ColumnSealer<string>>,
    accessToken: text(column('token_sealed')),
    suiteTicket: text(column('ticket_sealed')),
    signingKey: json(column('private_jwk_sealed')),
    oidcClientSecret: text(column('secret_sealed')),
    oidcArtifact: json(column('payload_sealed')),
  };
}

/** One sealed value of a database and its row, as the stores list them. */
export interface SealedValue {
  column: SealedColumn;
  key: string;
  sealed: string;
}

/** Re-seals `value` under the box's current key (opening it with the current or a previous key). */
export function reseal(box: SecretBox, {column, key, sealed}: SealedValue): string {
  return box.seal(box.open(sealed, column.context(key)), column.context(key));
}
