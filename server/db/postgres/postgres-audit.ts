import type pg from 'pg';
import {
  activityStartDay,
  auditValues,
  DAY_MS,
  foldActivity,
  toAuditEntry,
  toAuditPage,
  type ActivityCount,
  type AuditRow,
  type AuditStore,
} from '../audit-store.ts';

/** Creates the PostgreSQL AuditStore. */
export function createPostgresAuditStore(pool: pg.Pool, now = Date.now): AuditStore {
  return {
    async record(entry) {
      await pool.query({
        name: 'audit-insert',
        text:
          'INSERT INTO audit_log (at, event, connection_identifier, user_id, code, wecom_errcode, detail, ip) ' +
          'VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        values: auditValues(entry, now()),
      });
    },
    async activity(connection, days) {
      const time = now();
      // BIGINT division truncates, as SQLite's integer division does: the UTC day number.
      const counts = await pool.query<ActivityCount>(
        `SELECT at / ${DAY_MS} AS day, event, code, COUNT(*) AS n
        FROM audit_log WHERE connection_identifier = $1 AND at >= $2 AND event IN ('login_succeeded', 'login_failed',
          'login_refused')
        GROUP BY day, event, code`,
        [connection, activityStartDay(time, days) * DAY_MS],
      );
      const failures = await pool.query<AuditRow>(
        "SELECT * FROM audit_log WHERE connection_identifier = $1 AND event IN ('login_failed', " +
          "'login_refused') ORDER BY id DESC LIMIT 10",
        [connection],
      );
      return {days: foldActivity(counts.rows, time, days), latestFailures: failures.rows.map(toAuditEntry)};
    },
    async list({connection, event, limit, cursor}) {
      const before = cursor === undefined ? Number.MAX_SAFE_INTEGER : Number(cursor);
      const {rows} = await pool.query<AuditRow>(
        `SELECT * FROM audit_log WHERE id < $1 AND ($2::text IS NULL OR connection_identifier = $2) AND ($3::text IS ` +
          `NULL OR event = $3)
        ORDER BY id DESC LIMIT $4`,
        [before, connection ?? null, event ?? null, limit + 1],
      );
      return toAuditPage(rows, limit);
    },
  };
}
