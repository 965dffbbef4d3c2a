import {ConfigError, type Config} from '../config.ts';
import type {SecretBox} from '../crypto/secret-box.ts';
import {createPostgresPool, redactDatabaseUrl} from './postgres/postgres-pool.ts';
import {migratePostgres} from './postgres/postgres-migrations.ts';
import {createPostgresStore} from './postgres/postgres-store.ts';
import {createSealer} from './sealed-columns.ts';
import {assertSecretKeyOpens} from './secret-key-check.ts';
import {openDatabase} from './sqlite/sqlite-database.ts';
import {createSqliteStore} from './sqlite/sqlite-store.ts';
import type {Store} from './store.ts';

/** Where the data lives: the settings of Config that choose and tune the database. */
export type StoreSettings = Pick<Config, 'databasePath' | 'databaseUrl' | 'databasePoolSize' | 'databaseStatementTimeoutMs'>;

/** What openStore needs besides the settings. */
export interface OpenStoreOptions {
  /** Told about pooled PostgreSQL connections the server dropped (a restart); they reconnect by themselves. */
  onConnectionError?: (error: Error) => void;
  now?: () => number;
}

/**
 * Opens the store DATABASE_URL (PostgreSQL) or else DATABASE_PATH (SQLite) names, applies the
 * migrations, and checks that `box` opens what the database sealed: a server or CLI with another
 * SECRET_KEY stops here with a ConfigError, before it can fail a login or seal under a second key.
 */
export async function openStore(settings: StoreSettings, box: SecretBox, {onConnectionError, now}: OpenStoreOptions = {}): Promise<Store> {
  const sealer = createSealer(box);
  let store: Store;
  if (settings.databaseUrl) {
    const pool = createPostgresPool({url: settings.databaseUrl, poolSize: settings.databasePoolSize, statementTimeoutMs: settings.databaseStatementTimeoutMs, onConnectionError});
    try {
      await migratePostgres(pool);
    } catch (error) {
      await pool.end();
      // pg's messages name the host and user, never the password.
      throw new ConfigError('DATABASE_URL', `${redactDatabaseUrl(settings.databaseUrl)}: ${(error as Error).message || String(error)}`);
    }
    store = createPostgresStore(pool, settings.databaseUrl, sealer, now);
  } else {
    store = createSqliteStore(openDatabase(settings.databasePath), sealer, now);
  }
  try {
    await assertSecretKeyOpens(store, box);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
