import type {SqliteDatabase} from './database.ts';
import type {WriteQueue} from './write-queue.ts';

/** What the audit log records: one row per login attempt, plus every admin change and check. */
export type AuditEvent =
  | 'login_succeeded'
  | 'login_failed'
  | 'login_refused'
  | 'connection_created'
  | 'connection_updated'
  | 'connection_deleted'
  | 'credentials_checked'
  | 'admin_auth_failed';

/** An audit entry as written. */
export interface AuditEntryInput {
  event: AuditEvent;
  connection?: string | null;
  userId?: string | null;
  /** Our error code, for failures. */
  code?: string | null;
  /** WeCom's errcode, when WeCom answered with one. */
  wecomErrcode?: number | null;
  /** Human detail for admins (WeCom's errmsg, what changed). Never a secret. */
  detail?: string | null;
  ip?: string | null;
}

/** An audit entry as read back. */
export interface AuditEntry extends Required<AuditEntryInput> {
  id: number;
  at: number;
}

/** A page of newest-first results and the cursor of the next page (null at the end). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** One day of a connection's logins: successes, and failures by error code. */
export interface ActivityDay {
  /** The day (UTC), as YYYY-MM-DD. */
  day: string;
  succeeded: number;
  failed: Record<string, number>;
}

/** A connection's login activity: the last `days` days, oldest first, and its latest failures. */
export interface Activity {
  days: ActivityDay[];
  latestFailures: AuditEntry[];
}

/** The append-only audit log. */
export interface AuditStore {
  record(entry: AuditEntryInput): Promise<void>;
  /** Logins per day (UTC) over the last `days` days with failures by code, and the latest ten failures. */
  activity(connection: string, days: number): Promise<Activity>;
  /** Newest first, optionally filtered; `cursor` comes from a previous page. */
  list(query: {connection?: string; event?: string; limit: number; cursor?: string}): Promise<Page<AuditEntry>>;
}

interface AuditRow {
  id: number;
  at: number;
  event: AuditEvent;
  connection_identifier: string | null;
  user_id: string | null;
  code: string | null;
  wecom_errcode: number | null;
  detail: string | null;
  ip: string | null;
}

const DAY_MS = 24 * 60 * 60_000;

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    event: row.event,
    connection: row.connection_identifier,
    userId: row.user_id,
    code: row.code,
    wecomErrcode: row.wecom_errcode,
    detail: row.detail,
    ip: row.ip,
  };
}

/** Prepares the insert used by every writer of the audit log, including inside other stores' transactions. */
export function prepareAuditInsert(db: SqliteDatabase, now = Date.now): (entry: AuditEntryInput) => void {
  const insert = db.prepare(`INSERT INTO audit_log (at, event, connection_identifier, user_id, code, wecom_errcode, detail, ip)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  return (entry) => {
    // The connection may come from an untrusted URL path (a forged callback): bound what it can store.
    insert.run(now(), entry.event, entry.connection?.slice(0, 64) ?? null, entry.userId ?? null, entry.code ?? null, entry.wecomErrcode ?? null, entry.detail?.slice(0, 1000) ?? null, entry.ip ?? null);
  };
}

/** Creates the SQLite AuditStore. */
export function createAuditStore(db: SqliteDatabase, writes: WriteQueue, now = Date.now): AuditStore {
  const insert = prepareAuditInsert(db, now);
  return {
    async record(entry) {
      await writes.run(() => insert(entry));
    },
    async activity(connection, days) {
      const today = Math.floor(now() / DAY_MS);
      const rows = db.prepare<[string, number], {day: number; event: AuditEvent; code: string | null; n: number}>(`SELECT at / ${DAY_MS} AS day, event, code, COUNT(*) AS n
        FROM audit_log WHERE connection_identifier = ? AND at >= ? AND event IN ('login_succeeded', 'login_failed', 'login_refused')
        GROUP BY day, event, code`).all(connection, (today - days + 1) * DAY_MS);
      const byDay = new Map(Array.from({length: days}, (_, i) => [today - days + 1 + i, {day: new Date((today - days + 1 + i) * DAY_MS).toISOString().slice(0, 10), succeeded: 0, failed: {} as Record<string, number>}]));
      for (const row of rows) {
        const entry = byDay.get(row.day);
        if (!entry) continue;
        if (row.event === 'login_succeeded') entry.succeeded += row.n;
        else entry.failed[row.code ?? 'server_error'] = (entry.failed[row.code ?? 'server_error'] ?? 0) + row.n;
      }
      const failures = db.prepare<[string], AuditRow>("SELECT * FROM audit_log WHERE connection_identifier = ? AND event IN ('login_failed', 'login_refused') ORDER BY id DESC LIMIT 10").all(connection);
      return {days: [...byDay.values()], latestFailures: failures.map(toEntry)};
    },
    async list({connection, event, limit, cursor}) {
      const before = cursor === undefined ? Number.MAX_SAFE_INTEGER : Number(cursor);
      const rows = db
        .prepare<unknown[], AuditRow>(`SELECT * FROM audit_log WHERE id < ? AND (? IS NULL OR connection_identifier = ?) AND (? IS NULL OR event = ?)
          ORDER BY id DESC LIMIT ?`)
        .all(before, connection ?? null, connection ?? null, event ?? null, event ?? null, limit + 1);
      const items = rows.slice(0, limit).map(toEntry);
      return {items, nextCursor: rows.length > limit ? String(items[items.length - 1]!.id) : null};
    },
  };
}
