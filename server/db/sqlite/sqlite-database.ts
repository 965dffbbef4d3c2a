import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {MIGRATIONS} from './sqlite-migrations.ts';

/** An open better-sqlite3 database. */
export type SqliteDatabase = Database.Database;

/**
 * Opens (creating if needed) the database file, sets the pragmas and applies migrations. A folder it
 * creates is the owner's alone (0700) and the file is 0600: the rows hold users' identities and
 * sealed secrets. SQLite creates the -wal and -shm files with the database file's permissions.
 */
export function openDatabase(file: string, onMigrated?: (from: number, to: number) => void): SqliteDatabase {
  if (file !== ':memory:') {
    fs.mkdirSync(path.dirname(file), {recursive: true, mode: 0o700});
    fs.closeSync(fs.openSync(file, 'a', 0o600));
    fs.chmodSync(file, 0o600);
  }
  const db = new Database(file);
  // A new file gives freed pages back to the file system on request (maintenance). This takes effect
  // only before the file is first written (WAL mode writes it); an older file keeps auto_vacuum off.
  if (db.pragma('user_version', {simple: true}) === 0) db.pragma('auto_vacuum = INCREMENTAL');
  // WAL lets readers run beside the writer and several processes share the file;
  // synchronous=NORMAL in WAL mode survives a process crash (not a power cut) without an fsync per commit.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // A second process holding the write lock makes us wait, not fail with SQLITE_BUSY.
  db.pragma('busy_timeout = 5000');
  const from = migrate(db);
  if (from < MIGRATIONS.length) onMigrated?.(from, MIGRATIONS.length);
  return db;
}

/**
 * Applies the missing migrations in one transaction and returns the version the file was at. Throws
 * if the file is newer than this code.
 */
export function migrate(db: SqliteDatabase): number {
  return db
    .transaction(() => {
      const version = db.pragma('user_version', {simple: true}) as number;
      if (version > MIGRATIONS.length) {
        throw new Error(
          `The database schema is version ${version}, newer than this server (${MIGRATIONS.length}). ` +
            `Upgrade the server.`,
        );
      }
      for (const sql of MIGRATIONS.slice(version)) db.exec(sql);
      db.pragma(`user_version = ${MIGRATIONS.length}`);
      return version;
    })
    .immediate();
}
