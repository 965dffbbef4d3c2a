import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import Database from 'better-sqlite3';
import {openDatabase, type SqliteDatabase} from '../../server/db/sqlite/sqlite-database.ts';
import {createWriteQueue} from '../../server/db/sqlite/write-queue.ts';

/** A fresh database file with one table, plus a second connection that sees only committed rows. */
function openPair(): {db: SqliteDatabase; other: SqliteDatabase; rows: () => string[]} {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-write-queue-')), 'test.db');
  const db = openDatabase(file);
  db.exec('CREATE TABLE items (name TEXT PRIMARY KEY) STRICT');
  const other = new Database(file);
  other.pragma('busy_timeout = 0');
  return {
    db,
    other,
    rows: () =>
      other
        .prepare<[], {name: string}>('SELECT name FROM items ORDER BY name')
        .all()
        .map((row) => row.name),
  };
}

/** Frames in the write-ahead log: each commit appends the pages it changed. */
function walFrames(db: SqliteDatabase): number {
  return (db.pragma('wal_checkpoint(PASSIVE)') as {log: number}[])[0]!.log;
}

describe('write queue (group commit)', () => {
  it("commits one turn's writes together, resolving each only after the commit", async () => {
    const {db, rows} = openPair();
    const queue = createWriteQueue(db);
    const insert = db.prepare('INSERT INTO items (name) VALUES (?) RETURNING name');
    db.pragma('wal_checkpoint(TRUNCATE)');
    const pending = Array.from({length: 20}, (_, i) =>
      queue.run(() => (insert.get(`item-${String(i).padStart(2, '0')}`) as {name: string}).name),
    );
    assert.deepEqual(rows(), [], 'nothing is visible before the commit');
    assert.deepEqual(
      await Promise.all(pending),
      Array.from({length: 20}, (_, i) => `item-${String(i).padStart(2, '0')}`),
    );
    assert.equal(rows().length, 20);
    // Twenty separate commits would append at least twenty frames; one commit appends the one changed page (plus the
    // schema page at most).
    assert.ok(walFrames(db) <= 2, `one commit for the whole turn, saw ${walFrames(db)} WAL frames`);
  });

  it('undoes only the write that throws and rejects its promise with its own error', async () => {
    const {db, rows} = openPair();
    const queue = createWriteQueue(db);
    const insert = db.prepare('INSERT INTO items (name) VALUES (?)');
    const first = queue.run(() => insert.run('kept'));
    const failing = queue.run(() => {
      insert.run('undone');
      insert.run('kept'); // duplicate primary key
    });
    const last = queue.run(() => insert.run('also kept'));
    await first;
    await assert.rejects(failing, (error: {code?: string}) => error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY');
    await last;
    assert.deepEqual(rows(), ['also kept', 'kept']);
  });

  it("waits for another process's write lock without stopping this one", async () => {
    const {db, other, rows} = openPair();
    const queue = createWriteQueue(db);
    const insert = db.prepare('INSERT INTO items (name) VALUES (?)');
    other.exec('BEGIN IMMEDIATE'); // another process holds the write lock
    let settled = false;
    const first = queue.run(() => insert.run('first')).finally(() => (settled = true));
    // SQLite's own busy wait would hold this process inside the flush for busy_timeout (5 s): no timer could fire.
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.ok(Date.now() - started < 1000, 'the event loop kept turning');
    assert.equal(settled, false, 'the write waits for the lock');
    const second = queue.run(() => insert.run('second'));
    other.exec('COMMIT');
    await Promise.all([first, second]);
    assert.deepEqual(rows(), ['first', 'second']);
    assert.equal(db.pragma('busy_timeout', {simple: true}), 5000, 'other statements still wait as configured');
  });

  it('rejects every write of the batch and keeps none when the lock stays taken past the wait', async () => {
    const {db, other, rows} = openPair();
    const queue = createWriteQueue(db, {lockWaitMs: 50});
    const insert = db.prepare('INSERT INTO items (name) VALUES (?)');
    other.exec('BEGIN IMMEDIATE');
    const pending = [queue.run(() => insert.run('a')), queue.run(() => insert.run('b'))];
    for (const write of pending) await assert.rejects(write, (error: {code?: string}) => error.code === 'SQLITE_BUSY');
    other.exec('ROLLBACK');
    assert.deepEqual(rows(), []);
    await queue.run(() => insert.run('after'));
    assert.deepEqual(rows(), ['after'], 'the next batch commits normally');
  });

  it('lets exactly one of two same-turn consumers take a single-use row', async () => {
    const {db} = openPair();
    const queue = createWriteQueue(db);
    db.prepare("INSERT INTO items (name) VALUES ('state')").run();
    const take = db.prepare<[string], {name: string}>('DELETE FROM items WHERE name = ? RETURNING name');
    const results = await Promise.all([
      queue.run(() => take.get('state') ?? null),
      queue.run(() => take.get('state') ?? null),
    ]);
    assert.deepEqual(results, [{name: 'state'}, null]);
  });
});
