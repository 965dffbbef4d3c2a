import type pg from 'pg';
import {FIRST_BACKOFF_MS, MAX_BACKOFF_MS, STRIKE_MEMORY_MS, type WecomBackoffStore} from '../wecom-backoff-store.ts';

/** Creates the PostgreSQL WecomBackoffStore. */
export function createPostgresWecomBackoffStore(pool: pg.Pool, now = Date.now): WecomBackoffStore {
  return {
    async until(corpId) {
      const {rows} = await pool.query<{until: number}>({
        name: 'backoff-read',
        text: 'SELECT until FROM wecom_backoff WHERE corp_id = $1',
        values: [corpId],
      });
      return rows[0]?.until ?? 0;
    },
    async strike(corpId) {
      // One statement, so two processes striking at once cannot lose a strike. In DO UPDATE, the
      // unqualified columns are the old row's values.
      const {rows} = await pool.query<{until: number}>(
        `
        INSERT INTO wecom_backoff AS b (corp_id, until, strikes, last_strike_at) VALUES ($1, $2::bigint + $3::bigint,
          1, $2)
        ON CONFLICT (corp_id) DO UPDATE SET
          strikes = CASE WHEN b.last_strike_at > $2::bigint - $5::bigint THEN b.strikes + 1 ELSE 1 END,
          until = $2::bigint + LEAST($3::bigint << CASE WHEN b.last_strike_at > $2::bigint - $5::bigint THEN
            LEAST(b.strikes, 10) ELSE 0 END, $4::bigint),
          last_strike_at = $2
        RETURNING until`,
        [corpId, now(), FIRST_BACKOFF_MS, MAX_BACKOFF_MS, STRIKE_MEMORY_MS],
      );
      return rows[0]!.until;
    },
  };
}
