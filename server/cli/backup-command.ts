import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type {Config} from '../config.ts';
import type {CliIo} from './connection-commands.ts';

/** Help text of `wecom-sp-login backup`. */
export const BACKUP_HELP = `Usage: wecom-sp-login backup FILE
       wecom-sp-login backup --dir FOLDER --keep N

Copies the database (DATABASE_PATH) to FILE while the server runs: SQLite's online backup, one
self-contained file with every committed change (no -wal file needed beside it), mode 0600.
FILE must not exist yet. With --dir, the copy is FOLDER/wecom-sp-login-<UTC time>.db, and only the
newest N such copies are kept (the schedule in deploy/systemd/wecom-sp-login-backup.timer).

Keep SECRET_KEY (or the data folder's secret.key) with the backup: the ProviderSecrets and signing
keys in it are sealed with that key, and the copy is useless without it. To restore, stop the
servers, put the file at DATABASE_PATH (removing any -wal and -shm beside it) and start them with
the same SECRET_KEY.`;

/** A scheduled copy's name: sorting by name is sorting by time. */
const SCHEDULED = /^wecom-sp-login-\d{8}T\d{6}Z\.db$/;

/** Runs `backup FILE` or `backup --dir FOLDER --keep N` on the SQLite database of `config`; returns the exit code. */
export async function runBackup(
  args: string[],
  config: Pick<Config, 'databasePath' | 'databaseUrl'>,
  io: CliIo,
): Promise<number> {
  const scheduled =
    args[0] === '--dir' && args[2] === '--keep' && args.length === 4 && /^[1-9]\d{0,3}$/.test(args[3]!)
      ? {dir: path.resolve(args[1]!), keep: Number(args[3])}
      : null;
  if (!scheduled && (args.length !== 1 || args[0]!.startsWith('-'))) {
    io.out(BACKUP_HELP);
    return args[0] === '--help' || args[0] === '-h' ? 0 : 1;
  }
  if (config.databaseUrl) {
    io.out(
      'backup copies the SQLite file; with DATABASE_URL the data is in PostgreSQL: back it up with pg_dump ' +
        "(or your provider's backups), and keep SECRET_KEY with it. See docs/deploy.md, Backups and upgrades.",
    );
    return 1;
  }
  const {databasePath} = config;
  if (scheduled) fs.mkdirSync(scheduled.dir, {recursive: true, mode: 0o700});
  const target = scheduled
    ? path.join(
        scheduled.dir,
        `wecom-sp-login-${new Date((io.now ?? Date.now)())
          .toISOString()
          .replace(/[-:]/g, '')
          .replace(/\.\d+Z$/, 'Z')}.db`,
      )
    : path.resolve(args[0]!);
  if (fs.existsSync(target)) throw new Error(`${target} exists already; choose a new file.`);
  // Read-only, and no migrations: a backup copies the database as it is, beside running servers.
  const db = new Database(databasePath, {readonly: true, fileMustExist: true});
  try {
    // Created first with owner-only permissions: the copy holds what the database holds.
    fs.closeSync(fs.openSync(target, 'wx', 0o600));
    await db.backup(target);
  } finally {
    db.close();
  }
  // The copy is a complete database: switch it out of WAL mode so it needs no files beside it.
  const copy = new Database(target);
  copy.pragma('journal_mode = DELETE');
  copy.close();
  io.out(
    `Backed up ${databasePath} to ${target} (${fs.statSync(target).size} bytes).\nKeep SECRET_KEY (or ` +
      `secret.key) with it: the secrets inside are sealed with that key.`,
  );
  if (scheduled) {
    // Only this schedule's own copies are counted and removed, oldest first.
    const copies = fs
      .readdirSync(scheduled.dir)
      .filter((name) => SCHEDULED.test(name))
      .sort();
    for (const old of copies.slice(0, Math.max(0, copies.length - scheduled.keep))) {
      fs.rmSync(path.join(scheduled.dir, old));
      io.out(`Removed ${path.join(scheduled.dir, old)} (keeping the newest ${scheduled.keep}).`);
    }
  }
  return 0;
}
