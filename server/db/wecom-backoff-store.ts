import type {SqliteDatabase} from './database.ts';

/** The first hold after a WeCom rate limit: WeCom itself blocks a CorpID for 60 s after a minute's excess. */
export const FIRST_BACKOFF_MS = 60_000;
/** The longest hold, reached after repeated strikes. */
export const MAX_BACKOFF_MS = 30 * 60_000;
/** Strikes further apart than this start over at FIRST_BACKOFF_MS. */
const STRIKE_MEMORY_MS = 15 * 60_000;

/**
 * When each CorpID may call WeCom again, shared by every process on the database (like the token
 * lease), so one process's 45009 stops all of them.
 */
export interface WecomBackoffStore {
  /** The time before which no call for `corpId` may be made; 0 when there is none. */
  until(corpId: string): Promise<number>;
  /** Records a rate-limit answer: holds calls for 60 s, doubling on repeats up to 30 min. Returns the new `until`. */
  strike(corpId: string): Promise<number>;
}

/** Creates the SQLite WecomBackoffStore. */
export function createWecomBackoffStore(db: SqliteDatabase, now = Date.now): WecomBackoffStore {
  const read = db.prepare<[string], {until: number}>('SELECT until FROM wecom_backoff WHERE corp_id = ?');
  // One statement, so two processes striking at once cannot lose a strike. In DO UPDATE, `strikes`
  // and `last_strike_at` are the old row's values.
  const strike = db.prepare<{corpId: string; now: number; first: number; max: number; memory: number}, {until: number}>(`
    INSERT INTO wecom_backoff (corp_id, until, strikes, last_strike_at) VALUES (:corpId, :now + :first, 1, :now)
    ON CONFLICT (corp_id) DO UPDATE SET
      strikes = CASE WHEN last_strike_at > :now - :memory THEN strikes + 1 ELSE 1 END,
      until = :now + min(:first << CASE WHEN last_strike_at > :now - :memory THEN min(strikes, 10) ELSE 0 END, :max),
      last_strike_at = :now
    RETURNING until`);
  return {
    async until(corpId) {
      return read.get(corpId)?.until ?? 0;
    },
    async strike(corpId) {
      return strike.get({corpId, now: now(), first: FIRST_BACKOFF_MS, max: MAX_BACKOFF_MS, memory: STRIKE_MEMORY_MS})!.until;
    },
  };
}
