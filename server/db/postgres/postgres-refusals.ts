import type pg from 'pg';
import type {RefusalCount, RefusalStore} from '../refusal-store.ts';

/** Creates the PostgreSQL RefusalStore. */
export function createPostgresRefusalStore(pool: pg.Pool): RefusalStore {
  return {
    async add(hour, counts) {
      if (counts.size === 0) return;
      // Every reason in one statement: no transaction to hold open.
      await pool.query(
        `INSERT INTO refusal_counts (reason, hour, count) SELECT reason, $1, count FROM unnest($2::text[], ` +
          `$3::bigint[]) AS c (reason, count)
        ON CONFLICT (reason, hour) DO UPDATE SET count = refusal_counts.count + EXCLUDED.count`,
        [hour, [...counts.keys()], [...counts.values()]],
      );
    },
    async list(sinceHour) {
      const {rows} = await pool.query<RefusalCount>(
        'SELECT reason, hour, count FROM refusal_counts WHERE hour >= $1 ORDER BY hour DESC, reason COLLATE "C"',
        [sinceHour],
      );
      return rows;
    },
  };
}
