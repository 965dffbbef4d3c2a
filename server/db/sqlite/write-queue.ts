import type {SqliteDatabase} from './sqlite-database.ts';

/**
 * Group commit for the login path's writes. Every commit costs SQLite a WAL append, its locks and
 * their system calls, which on a busy server is most of the cost of a small write; the writes that
 * concurrent logins queue during one turn of the event loop are committed together instead.
 */
export interface WriteQueue {
  /**
   * Runs `write` (synchronous better-sqlite3 work) in the next shared transaction and resolves with
   * its result once that transaction has committed, so a caller never answers a visitor on the
   * strength of a write that a crash could still lose. If `write` throws, only its own changes are
   * undone (it runs in a savepoint) and the promise rejects with its error.
   */
  run<T>(write: () => T): Promise<T>;
}

interface QueuedWrite {
  write: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = {ok: true; value: unknown} | {ok: false; error: unknown};

/**
 * How long a batch waits for another process's write lock before its writes fail with SQLITE_BUSY:
 * the same five seconds as the connection's busy_timeout.
 */
export const LOCK_WAIT_MS = 5000;

/** The longest pause between two tries for the write lock. */
const MAX_RETRY_DELAY_MS = 16;

/** Creates the WriteQueue of one database connection. */
export function createWriteQueue(
  db: SqliteDatabase,
  {lockWaitMs = LOCK_WAIT_MS}: {lockWaitMs?: number} = {},
): WriteQueue {
  let queued: QueuedWrite[] = [];
  let flushScheduled = false;
  // Set while the current batch finds the write lock held by another process.
  let lockedSince: number | null = null;
  let retryDelayMs = 1;
  // Each write in its own savepoint (a nested better-sqlite3 transaction), so one failure undoes only itself.
  const inSavepoint = db.transaction((write: () => unknown) => write());
  // IMMEDIATE takes the write lock up front, so two processes never deadlock upgrading a read lock.
  const commitAll = db.transaction((writes: QueuedWrite[]): Outcome[] =>
    writes.map(({write}) => {
      try {
        return {ok: true, value: inSavepoint(write)};
      } catch (error) {
        return {ok: false, error};
      }
    }),
  );
  // SQLite's busy handler waits for a lock by sleeping, and better-sqlite3 calls it synchronously:
  // the whole process would stop for up to 100 ms at a time while the other process commits. The
  // batch's BEGIN gives up at once instead, and flush tries again from a timer.
  // (db.pragma each time: SQLite applies this pragma when it compiles the statement, so a prepared
  // one would not set it again when run.)
  const busyTimeoutMs = Number(db.pragma('busy_timeout', {simple: true}));

  function schedule(delayMs: number): void {
    flushScheduled = true;
    // setImmediate runs after this turn's I/O callbacks: every request handled in the turn joins.
    if (delayMs === 0) setImmediate(flush);
    else setTimeout(flush, delayMs);
  }

  function flush(): void {
    flushScheduled = false;
    const writes = queued;
    let outcomes: Outcome[];
    db.pragma('busy_timeout = 0');
    try {
      outcomes = commitAll.immediate(writes);
    } catch (error) {
      if (isBusy(error) && Date.now() - (lockedSince ??= Date.now()) < lockWaitMs) {
        // Nothing was written. Writes queued meanwhile join this batch.
        schedule(retryDelayMs);
        retryDelayMs = Math.min(retryDelayMs * 2, MAX_RETRY_DELAY_MS);
        return;
      }
      // The lock stayed taken past lockWaitMs, or BEGIN or COMMIT failed otherwise (a full disk): nothing was written.
      outcomes = writes.map(() => ({ok: false, error}));
    } finally {
      db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    }
    // The batch is over: the next write starts a new one.
    queued = [];
    lockedSince = null;
    retryDelayMs = 1;
    outcomes.forEach((outcome, i) =>
      outcome.ok ? writes[i]!.resolve(outcome.value) : writes[i]!.reject(outcome.error),
    );
  }

  return {
    run<T>(write: () => T) {
      return new Promise<T>((resolve, reject) => {
        queued.push({write, resolve: resolve as (value: unknown) => void, reject});
        if (!flushScheduled) schedule(0);
      });
    },
  };
}

function isBusy(error: unknown): boolean {
  return String((error as {code?: unknown}).code).startsWith('SQLITE_BUSY');
}
