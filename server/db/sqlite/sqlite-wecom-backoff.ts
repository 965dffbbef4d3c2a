import {FIRST_BACKOFF_MS, MAX_BACKOFF_MS, STRIKE_MEMORY_MS, type WecomBackoffStore} from '../wecom-backoff-store.ts';
import type {SqliteDatabase} from './sqlite-database.ts';

/** Creates the SQLite WecomBackoffStore. */
export function createSqliteWecomBackoffStore(db: SqliteDatabase, now = Date.now): WecomBackoffStore {
  const read = db.prepare<[string], {until: number}>('SELECT until FROM wecom_backoff WHERE corp_id = ?');
  // One statement, so two processes striking at once cannot lose a strike. In DO UPDATE, `strikes`
  // and `last_strike_at` are the old row's values.
  const strike = db.prepare<
    {corpId: string; now: number; first: number; max: number; memory: number},
    {until: number}
  >(`
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
      return strike.get({corpId, now: now(), first: FIRST_BACKOFF_MS, max: MAX_BACKOFF_MS, memory: STRIKE_MEMORY_MS})!
        .until;
    },
  };
}
