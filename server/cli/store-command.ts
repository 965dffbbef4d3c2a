import fs from 'node:fs';
import path from 'node:path';
import {parseArgs} from 'node:util';
import Database from 'better-sqlite3';
import type pg from 'pg';
import {createPostgresPool, redactDatabaseUrl} from '../db/postgres/postgres-pool.ts';
import {migratePostgres} from '../db/postgres/postgres-migrations.ts';
import {inTransaction} from '../db/postgres/postgres-transaction.ts';
import {MIGRATIONS} from '../db/sqlite/sqlite-migrations.ts';
import type {CliIo} from './connection-commands.ts';

/** Help text of `wecom-sp-login store`. */
export const STORE_HELP =
  `Usage: DATABASE_URL=postgres://user:password@host:5432/database wecom-sp-login store copy ` +
  `--from FILE
       wecom-sp-login store copy --from FILE --to-stdin < file-holding-the-url

Moves a deployment from SQLite to PostgreSQL: copies every row of the SQLite database FILE (the
servers' DATABASE_PATH) into the PostgreSQL database named by DATABASE_URL (or, with --to-stdin, by
the first line of standard input), in one transaction. The URL holds the database password, so it
is never an argument: those show in the process list and the shell's history. Connections keep their
sealed ProviderSecrets, users their ids, the signing keys their kids (issued ID tokens stay valid),
and the audit log its history. The target is migrated first and must be empty.

  1. stop the servers (logins made after the copy would not be moved);
  2. run this command;
  3. start the servers with DATABASE_URL set to the target and the same SECRET_KEY as before (the
     secrets are copied sealed; without SECRET_KEY, the key is in secret.key beside FILE).

FILE is opened read-only and left as it was; keep it until the servers run on PostgreSQL.`;

/**
 * The tables in an order that satisfies the foreign keys, with their identity column: copied with
 * their ids (users keep their paging order, the audit its ids), after which the sequence continues.
 */
const TABLES: ReadonlyArray<{name: string; identity?: string}> = [
  {name: 'connections'},
  {name: 'oidc_clients'},
  {name: 'users', identity: 'seq'},
  {name: 'login_transactions'},
  {name: 'tickets'},
  {name: 'access_tokens'},
  {name: 'signing_keys'},
  {name: 'audit_log', identity: 'id'},
  {name: 'wecom_backoff'},
  {name: 'refusal_counts'},
  {name: 'suite_tickets'},
  {name: 'oidc_artifacts'},
];

/** Rows per INSERT: well under PostgreSQL's 65,535 parameters for the widest table. */
const BATCH_ROWS = 500;

/** Runs `store copy`; returns the exit code. */
export async function runStoreCommand(args: string[], io: CliIo): Promise<number> {
  if (args[0] !== 'copy' || args.includes('--help') || args.includes('-h')) {
    io.out(STORE_HELP);
    return args.includes('--help') || args.includes('-h') ? 0 : 1;
  }
  if (args.some((arg) => arg === '--to' || arg.startsWith('--to='))) {
    throw new Error(
      'store copy takes the target from DATABASE_URL (or from standard input with --to-stdin), never from an ' +
        'argument, where its password would show in the process list and the shell history.',
    );
  }
  const {values} = parseArgs({
    args: args.slice(1),
    options: {from: {type: 'string'}, 'to-stdin': {type: 'boolean'}},
    strict: true,
  });
  if (!values.from) throw new Error('store copy needs --from FILE. See --help.');
  const url = values['to-stdin'] ? (await io.readStdin()).split(/\r?\n/, 1)[0]!.trim() : io.env.DATABASE_URL;
  if (!url)
    throw new Error('store copy needs the target in DATABASE_URL, or on standard input with --to-stdin. See --help.');
  const source = openSource(path.resolve(values.from));
  const target = redactDatabaseUrl(url);
  const pool = createPostgresPool({url, poolSize: 1, statementTimeoutMs: 10 * 60_000});
  try {
    await migratePostgres(pool);
    const counts = await inTransaction(pool, (client) => copyRows(source, client, target));
    io.out(
      `Copied ${source.name} to ${target}: ${Object.entries(counts)
        .map(([table, n]) => `${n} ${table}`)
        .join(', ')}.`,
    );
    const keyFile = path.join(path.dirname(source.name), 'secret.key');
    io.out(
      `Start the servers with DATABASE_URL set to it and the SECRET_KEY the SQLite database was sealed ` +
        `with${fs.existsSync(keyFile) ? ` (it is in ${keyFile})` : ''}.`,
    );
    return 0;
  } finally {
    source.close();
    await pool.end();
  }
}

/** Opens the SQLite file read-only; refuses a missing file or one whose schema is not this version's. */
function openSource(file: string): Database.Database {
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist.`);
  const db = new Database(file, {readonly: true, fileMustExist: true});
  const version = db.pragma('user_version', {simple: true}) as number;
  if (version !== MIGRATIONS.length) {
    db.close();
    throw new Error(
      `${file} is at schema version ${version}, this version's is ${MIGRATIONS.length}: start this ` +
        `version's server on it once (it upgrades the file), then copy.`,
    );
  }
  return db;
}

async function copyRows(
  source: Database.Database,
  client: pg.PoolClient,
  target: string,
): Promise<Record<string, number>> {
  // Another copy (or a server's migration) into the same database waits here until this one is done.
  await client.query('LOCK TABLE connections IN EXCLUSIVE MODE');
  for (const {name} of TABLES) {
    const {rows} = await client.query(`SELECT 1 FROM ${name} LIMIT 1`);
    if (rows.length > 0) throw new Error(`${target} is not empty (${name} has rows): copy into a new, empty database.`);
  }
  const counts: Record<string, number> = {};
  for (const {name, identity} of TABLES) {
    const columns = (source.pragma(`table_info(${name})`) as Array<{name: string}>).map((column) => column.name);
    const insert = (rows: unknown[][]) =>
      client.query(
        `INSERT INTO ${name} (${columns.join(', ')}) ${identity ? 'OVERRIDING SYSTEM VALUE ' : ''}VALUES ` +
          `${rows.map((_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ')}`,
        rows.flat(),
      );
    let batch: unknown[][] = [];
    counts[name] = 0;
    for (const row of source
      .prepare(`SELECT ${columns.join(', ')} FROM ${name}`)
      .raw()
      .iterate() as Iterable<unknown[]>) {
      batch.push(row);
      if (batch.length === BATCH_ROWS) {
        await insert(batch);
        counts[name] += batch.length;
        batch = [];
      }
    }
    if (batch.length > 0) await insert(batch);
    counts[name] += batch.length;
    // New rows continue after the copied ids.
    if (identity)
      await client.query(
        `SELECT setval(pg_get_serial_sequence('${name}', '${identity}'), COALESCE(MAX(${identity}), 0) + ` +
          `1, false) FROM ${name}`,
      );
  }
  return counts;
}
