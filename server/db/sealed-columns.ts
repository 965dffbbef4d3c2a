import type {SecretBox} from '../crypto/secret-box.ts';

/**
 * Every column that holds a sealed secret, with the context its values are sealed under. The context
 * names the row, so a sealed value copied to another row does not open. Both stores seal through
 * here; `secrets reseal` and the SECRET_KEY check walk this list whatever the database.
 */
export const SEALED_COLUMNS = [
  {table: 'connections', key: 'identifier', column: 'provider_secret_sealed', context: (identifier: string) => `connection:${identifier}:provider_secret`},
  {table: 'signing_keys', key: 'kid', column: 'private_jwk_sealed', context: (kid: string) => `signing_key:${kid}`},
  {table: 'provider_tokens', key: 'corp_id', column: 'token_sealed', context: (key: string) => `provider_token:${key}`},
] as const;

/** A sealed column's name and its context. */
export type SealedColumn = (typeof SEALED_COLUMNS)[number];

/** Seals and opens the values of one kind of column. */
export interface ColumnSealer<T> {
  /** Seals `value` for the row keyed `key`. */
  seal(key: string, value: T): string;
  /** Opens a value sealed for the row keyed `key`; throws when it was altered, moved or sealed under another key. */
  open(key: string, sealed: string): T;
}

/** How the stores seal their secrets: one sealer per sealed column. */
export interface Sealer {
  providerSecret: ColumnSealer<string>;
  providerToken: ColumnSealer<string>;
  signingKey: ColumnSealer<Record<string, unknown>>;
}

/** Creates the Sealer of a SecretBox (SECRET_KEY, with SECRET_KEY_PREVIOUS for opening). */
export function createSealer(box: SecretBox): Sealer {
  const [connections, signingKeys, providerTokens] = SEALED_COLUMNS;
  const text = ({context}: SealedColumn): ColumnSealer<string> => ({
    seal: (key, value) => box.seal(value, context(key)),
    open: (key, sealed) => box.open(sealed, context(key)),
  });
  return {
    providerSecret: text(connections),
    providerToken: text(providerTokens),
    signingKey: {
      seal: (kid, jwk) => box.seal(JSON.stringify(jwk), signingKeys.context(kid)),
      open: (kid, sealed) => JSON.parse(box.open(sealed, signingKeys.context(kid))) as Record<string, unknown>,
    },
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
