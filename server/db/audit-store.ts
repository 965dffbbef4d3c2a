/** What the audit log records: one row per login attempt, plus every admin change and check. */
export type AuditEvent =
  | 'login_succeeded'
  | 'login_failed'
  | 'login_refused'
  | 'connection_created'
  | 'connection_updated'
  | 'connection_deleted'
  | 'credentials_checked'
  | 'suite_ticket_cleared'
  | 'admin_auth_failed'
  | 'oidc_client_created'
  | 'oidc_client_updated'
  | 'oidc_client_deleted'
  | 'oidc_client_secret_rotated'
  | 'oidc_login';

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

/** An `audit_log` row, the same in every database. */
export interface AuditRow {
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

/** One day's count of one event and code, as the activity query groups them. */
export interface ActivityCount {
  day: number;
  event: AuditEvent;
  code: string | null;
  n: number;
}

/** A day in milliseconds: activity days are `at / DAY_MS`, in UTC. */
export const DAY_MS = 24 * 60 * 60_000;

/** The values an audit row stores: the connection (which may come from a forged URL) and the detail bounded. */
export function auditValues(
  entry: AuditEntryInput,
  time: number,
): [number, AuditEvent, string | null, string | null, string | null, number | null, string | null, string | null] {
  return [
    time,
    entry.event,
    entry.connection?.slice(0, 64) ?? null,
    entry.userId ?? null,
    entry.code ?? null,
    entry.wecomErrcode ?? null,
    entry.detail?.slice(0, 1000) ?? null,
    entry.ip ?? null,
  ];
}

/** The first day of an activity window of `days` days ending today. */
export const activityStartDay = (time: number, days: number): number => Math.floor(time / DAY_MS) - days + 1;

/** Folds grouped counts into `days` days ending today, oldest first, with empty days present. */
export function foldActivity(counts: readonly ActivityCount[], time: number, days: number): ActivityDay[] {
  const first = activityStartDay(time, days);
  const byDay = new Map(
    Array.from({length: days}, (_, i) => [
      first + i,
      {
        day: new Date((first + i) * DAY_MS).toISOString().slice(0, 10),
        succeeded: 0,
        failed: {} as Record<string, number>,
      },
    ]),
  );
  for (const row of counts) {
    const entry = byDay.get(row.day);
    if (!entry) continue;
    if (row.event === 'login_succeeded') entry.succeeded += row.n;
    else entry.failed[row.code ?? 'server_error'] = (entry.failed[row.code ?? 'server_error'] ?? 0) + row.n;
  }
  return [...byDay.values()];
}

/** A page of `limit` entries from a query that fetched `limit + 1` rows, newest first. */
export function toAuditPage(rows: AuditRow[], limit: number): Page<AuditEntry> {
  const items = rows.slice(0, limit).map(toAuditEntry);
  return {items, nextCursor: rows.length > limit ? String(items[items.length - 1]!.id) : null};
}

/** Reads a row. */
export function toAuditEntry(row: AuditRow): AuditEntry {
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
