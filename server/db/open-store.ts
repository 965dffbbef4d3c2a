import fs from 'node:fs';
import type pg from 'pg';
import type {Config} from '../config.ts';
import {ConfigError} from '../settings/config-error.ts';
import type {SecretBox} from '../crypto/secret-box.ts';
import {createPostgresPool, redactDatabaseUrl} from './postgres/postgres-pool.ts';
import {migratePostgres, POSTGRES_MIGRATIONS} from './postgres/postgres-migrations.ts';
import {createPostgresStore} from './postgres/postgres-store.ts';
import {createSealer} from './sealed-columns.ts';
import {assertSecretKeyOpens} from './secret-key-check.ts';
import {openDatabase} from './sqlite/sqlite-database.ts';
import {createSqliteStore} from './sqlite/sqlite-store.ts';
import type {Store} from './store.ts';

/** Where the data lives: the settings of Config that choose and tune the database. */
export type StoreSettings = Pick<
  Config,
  'databasePath' | 'databaseUrl' | 'databasePoolSize' | 'databaseStatementTimeoutMs'
>;

/** What openStore needs besides the settings. */
export interface OpenStoreOptions {
  /** Told about pooled PostgreSQL connections the server dropped (a restart); they reconnect by themselves. */
  onConnectionError?: (error: Error) => void;
  now?: () => number;
  /**
   * The database must exist already (the CLI): no SQLite file is created and no empty PostgreSQL
   * database given a schema. Only the server creates one, where it will read it.
   */
  mustExist?: boolean;
  /** Told when this opening migrated the schema, from version `from` to `to`. */
  onMigrated?: (from: number, to: number) => void;
}

/**
 * Opens the store DATABASE_URL (PostgreSQL) or else DATABASE_PATH (SQLite) names, applies the
 * migrations, and checks that `box` opens what the database sealed: a server or CLI with another
 * SECRET_KEY stops here with a ConfigError, before it can fail a login or seal under a second key.
 */
export async function openStore(
  settings: StoreSettings,
  box: SecretBox,
  {onConnectionError, now, mustExist = false, onMigrated}: OpenStoreOptions = {},
): Promise<Store> {
  const sealer = createSealer(box);
  let store: Store;
  if (settings.databaseUrl) {
    const pool = createPostgresPool({
      url: settings.databaseUrl,
      poolSize: settings.databasePoolSize,
      statementTimeoutMs: settings.databaseStatementTimeoutMs,
      onConnectionError,
    });
    try {
      if (mustExist && !(await hasSchema(pool))) {
        throw new Error(
          'holds no wecom-sp-login tables. Only "serve" creates them: start the server on it first, or check ' +
            'DATABASE_URL.',
        );
      }
      const ran = await migratePostgres(pool);
      if (ran > 0) onMigrated?.(POSTGRES_MIGRATIONS.length - ran, POSTGRES_MIGRATIONS.length);
    } catch (error) {
      await pool.end();
      // pg's messages name the host and user, never the password.
      throw new ConfigError(
        'DATABASE_URL',
        `${redactDatabaseUrl(settings.databaseUrl)}: ${(error as Error).message || String(error)}`,
      );
    }
    // Half as many again for the writes that need not wait for the disk (login states and the like).
    const ephemeralPool = createPostgresPool({
      url: settings.databaseUrl,
      poolSize: Math.max(1, Math.ceil(settings.databasePoolSize / 2)),
      statementTimeoutMs: settings.databaseStatementTimeoutMs,
      onConnectionError,
      durable: false,
    });
    store = createPostgresStore({durable: pool, ephemeral: ephemeralPool}, settings.databaseUrl, sealer, now);
  } else {
    if (mustExist && !fs.existsSync(settings.databasePath)) {
      throw new ConfigError(
        'DATABASE_PATH',
        `there is no database at ${settings.databasePath}. Only "serve" creates one: run this command with ` +
          `the service's settings (--env-file /etc/wecom-sp-login/env), or start the server first.`,
      );
    }
    store = createSqliteStore(openDatabase(settings.databasePath, onMigrated), sealer, now);
  }
  try {
    await assertSecretKeyOpens(store, box);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/** True when the database has this server's migrations table (a schema at any version). */
async function hasSchema(pool: pg.Pool): Promise<boolean> {
  const {rows} = await pool.query<{found: string | null}>("SELECT to_regclass('schema_migrations')::text AS found");
  return rows[0]!.found !== null;
}
