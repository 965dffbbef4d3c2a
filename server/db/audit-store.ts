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

/** The append-only audit log. */
export interface AuditStore {
  record(entry: AuditEntryInput): Promise<void>;
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
    async list({connection, event, limit, cursor}) {
      const before = cursor === undefined ? Number.MAX_SAFE_INTEGER : Number(cursor);
      const rows = db
        .prepare<unknown[], AuditRow>(`SELECT * FROM audit_log WHERE id < ? AND (? IS NULL OR connection_identifier = ?) AND (? IS NULL OR event = ?)
          ORDER BY id DESC LIMIT ?`)
        .all(before, connection ?? null, connection ?? null, event ?? null, event ?? null, limit + 1);
      const items = rows.slice(0, limit).map((row) => ({
        id: row.id,
        at: row.at,
        event: row.event,
        connection: row.connection_identifier,
        userId: row.user_id,
        code: row.code,
        wecomErrcode: row.wecom_errcode,
        detail: row.detail,
        ip: row.ip,
      }));
      return {items, nextCursor: rows.length > limit ? String(items[items.length - 1]!.id) : null};
    },
  };
}
