import {DAY_MS} from '../audit-store.ts';
import type {MaintenanceResult} from '../store.ts';
import type {SqliteDatabase} from './sqlite-database.ts';

/**
 * Keeps the database from growing forever: audit rows and refusal counts older than the retention
 * go, so do expired login states, tickets and OpenID artifacts, and the pages they held are given back to the file
 * system (incremental vacuum, in small steps, so the write lock is held briefly). Users stay.
 */
export function runSqliteMaintenance(
  db: SqliteDatabase,
  {auditRetentionDays, now = Date.now}: {auditRetentionDays: number; now?: () => number},
): MaintenanceResult {
  const time = now();
  const cutoff = time - auditRetentionDays * DAY_MS;
  const removed = db
    .transaction(() => ({
      auditRows: auditRetentionDays > 0 ? db.prepare('DELETE FROM audit_log WHERE at < ?').run(cutoff).changes : 0,
      refusalRows:
        auditRetentionDays > 0 ? db.prepare('DELETE FROM refusal_counts WHERE hour < ?').run(cutoff).changes : 0,
      transactions: db.prepare('DELETE FROM login_transactions WHERE expires_at < ?').run(time).changes,
      tickets: db.prepare('DELETE FROM tickets WHERE expires_at < ?').run(time).changes,
      oidcArtifacts: db.prepare('DELETE FROM oidc_artifacts WHERE expires_at < ?').run(time).changes,
    }))
    .immediate();
  let pagesFreed = 0;
  if (db.pragma('auto_vacuum', {simple: true}) === 2) {
    for (
      let free = db.pragma('freelist_count', {simple: true}) as number;
      free > 0;
      free = db.pragma('freelist_count', {simple: true}) as number
    ) {
      db.pragma('incremental_vacuum(500)');
      pagesFreed += Math.min(free, 500);
    }
  }
  return {...removed, pagesFreed};
}
