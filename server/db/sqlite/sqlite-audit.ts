import {
  activityStartDay,
  auditValues,
  DAY_MS,
  foldActivity,
  toAuditEntry,
  toAuditPage,
  type ActivityCount,
  type AuditEntryInput,
  type AuditRow,
  type AuditStore,
} from '../audit-store.ts';
import type {SqliteDatabase} from './sqlite-database.ts';
import type {WriteQueue} from './write-queue.ts';

/** Prepares the insert used by every writer of the audit log, including inside other stores' transactions. */
export function prepareAuditInsert(db: SqliteDatabase, now = Date.now): (entry: AuditEntryInput) => void {
  const insert =
    db.prepare(`INSERT INTO audit_log (at, event, connection_identifier, user_id, code, wecom_errcode, detail, ip)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  return (entry) => {
    insert.run(...auditValues(entry, now()));
  };
}

/** Creates the SQLite AuditStore. */
export function createSqliteAuditStore(db: SqliteDatabase, writes: WriteQueue, now = Date.now): AuditStore {
  const insert = prepareAuditInsert(db, now);
  const counts = db.prepare<[string, number], ActivityCount>(`SELECT at / ${DAY_MS} AS day, event, code, COUNT(*) AS n
    FROM audit_log WHERE connection_identifier = ? AND at >= ? AND event IN ('login_succeeded', 'login_failed',
      'login_refused')
    GROUP BY day, event, code`);
  const failures = db.prepare<[string], AuditRow>(
    "SELECT * FROM audit_log WHERE connection_identifier = ? AND event IN ('login_failed', 'login_refused') " +
      'ORDER BY id DESC LIMIT 10',
  );
  const page = db.prepare<
    unknown[],
    AuditRow
  >(`SELECT * FROM audit_log WHERE id < ? AND (? IS NULL OR connection_identifier = ?) AND (? IS NULL OR event = ?)
    ORDER BY id DESC LIMIT ?`);
  return {
    async record(entry) {
      await writes.run(() => insert(entry));
    },
    async activity(connection, days) {
      const time = now();
      const rows = counts.all(connection, activityStartDay(time, days) * DAY_MS);
      return {days: foldActivity(rows, time, days), latestFailures: failures.all(connection).map(toAuditEntry)};
    },
    async list({connection, event, limit, cursor}) {
      const before = cursor === undefined ? Number.MAX_SAFE_INTEGER : Number(cursor);
      return toAuditPage(
        page.all(before, connection ?? null, connection ?? null, event ?? null, event ?? null, limit + 1),
        limit,
      );
    },
  };
}
