import type {SqliteDatabase} from './database.ts';

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

/** Creates the WriteQueue of one database connection. */
export function createWriteQueue(db: SqliteDatabase): WriteQueue {
  let queued: QueuedWrite[] = [];
  // Each write in its own savepoint (a nested better-sqlite3 transaction), so one failure undoes only itself.
  const inSavepoint = db.transaction((write: () => unknown) => write());
  // IMMEDIATE takes the write lock up front, so two processes never deadlock upgrading a read lock.
  const commitAll = db.transaction((writes: QueuedWrite[]): Outcome[] => writes.map(({write}) => {
    try {
      return {ok: true, value: inSavepoint(write)};
    } catch (error) {
      return {ok: false, error};
    }
  }));

  function flush(): void {
    const writes = queued;
    queued = [];
    let outcomes: Outcome[];
    try {
      outcomes = commitAll.immediate(writes);
    } catch (error) {
      // BEGIN or COMMIT failed (a lock held past busy_timeout, a full disk): nothing was written.
      for (const {reject} of writes) reject(error);
      return;
    }
    outcomes.forEach((outcome, i) => (outcome.ok ? writes[i]!.resolve(outcome.value) : writes[i]!.reject(outcome.error)));
  }

  return {
    run<T>(write: () => T) {
      return new Promise<T>((resolve, reject) => {
        // setImmediate runs after this turn's I/O callbacks: every request handled in the turn joins.
        if (queued.length === 0) setImmediate(flush);
        queued.push({write, resolve: resolve as (value: unknown) => void, reject});
      });
    },
  };
}
