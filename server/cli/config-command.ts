import fs from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import {loadConfig} from '../config.ts';
import {redactDatabaseUrl} from '../db/postgres/postgres-pool.ts';
import {MIGRATIONS} from '../db/sqlite/sqlite-migrations.ts';
import {POSTGRES_MIGRATIONS} from '../db/postgres/postgres-migrations.ts';
import {VERSION} from '../version.ts';
import type {CliIo} from './connection-commands.ts';

/** Help text of `wecom-sp-login config`. */
export const CONFIG_HELP = `Usage: wecom-sp-login [--env-file FILE] config check

Validates the settings as "serve" would read them, without starting and without writing anything:
every variable (and each *_FILE variant's file), the tokens' strength, SECRET_KEY, and the database
(reachable, and its schema this release's, older, or none yet). Exits 1 naming the first problem.
  wecom-sp-login --env-file /etc/wecom-sp-login/env config check`;

/** Runs `config check`; returns the exit code. Configuration errors propagate (ConfigError). */
export async function runConfigCommand(args: string[], io: CliIo): Promise<number> {
  if (args[0] !== 'check' || args.length > 1) {
    io.out(CONFIG_HELP);
    return args[0] === '--help' || args[0] === '-h' ? 0 : 1;
  }
  const config = loadConfig(io.env);
  if (config.secretKeyBase64 === undefined)
    io.out('warning: SECRET_KEY is not set: outside production the server keeps a generated key beside the database.');
  const database = config.databaseUrl ? await postgresSchema(config.databaseUrl) : sqliteSchema(config.databasePath);
  io.out(
    [
      `wecom-sp-login ${VERSION}: the settings are valid.`,
      `  public URL     ${config.publicUrl} (listening on ${config.host ?? '*'}:${config.port}, ` +
        `TRUST_PROXY=${config.trustProxy})`,
      `  production     ${config.production ? 'yes' : 'no (NODE_ENV is not production)'}`,
      `  database       ${database}`,
      `  admin API      ${config.adminToken ? 'enabled' : 'disabled (no ADMIN_TOKEN)'}; /metrics ` +
        `${config.metricsToken ? 'enabled' : 'disabled (no METRICS_TOKEN)'}`,
    ].join('\n'),
  );
  return 0;
}

function sqliteSchema(file: string): string {
  if (!fs.existsSync(file)) return `SQLite ${file}: none yet ("serve" creates it, schema ${MIGRATIONS.length})`;
  const db = new Database(file, {readonly: true, fileMustExist: true});
  try {
    return `SQLite ${file}: ${schemaState(db.pragma('user_version', {simple: true}) as number, MIGRATIONS.length)}`;
  } finally {
    db.close();
  }
}

async function postgresSchema(url: string): Promise<string> {
  const client = new pg.Client({connectionString: url, connectionTimeoutMillis: 5_000});
  try {
    await client.connect();
    const {rows} = await client.query<{found: string | null}>("SELECT to_regclass('schema_migrations')::text AS found");
    const version =
      rows[0]!.found === null
        ? 0
        : (
            await client.query<{version: number}>(
              'SELECT coalesce(max(version), 0)::int AS version FROM schema_migrations',
            )
          ).rows[0]!.version;
    return `PostgreSQL ${redactDatabaseUrl(url)}: ${schemaState(version, POSTGRES_MIGRATIONS.length)}`;
  } catch (error) {
    throw new Error(`DATABASE_URL: ${redactDatabaseUrl(url)}: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => {});
  }
}

/** The schema at `version` as this release sees it. */
function schemaState(version: number, current: number): string {
  if (version === current) return `schema ${version}, this release's`;
  if (version === 0) return `no schema yet ("serve" creates it, schema ${current})`;
  if (version < current) return `schema ${version}; "serve" migrates it to ${current}`;
  throw new Error(
    `the database schema is version ${version}, newer than this release (${current}). Upgrade the server.`,
  );
}
