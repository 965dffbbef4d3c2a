import {cacheConnectionReads} from '../connection-cache.ts';
import {cacheBackoffReads} from '../wecom-backoff-cache.ts';
import {createSqliteSuiteTicketStore} from './sqlite-suite-tickets.ts';
import {SEALED_COLUMNS, type Sealer, type SealedValue} from '../sealed-columns.ts';
import type {Store} from '../store.ts';
import {createSqliteAuditStore} from './sqlite-audit.ts';
import {createSqliteConnectionStore} from './sqlite-connections.ts';
import type {SqliteDatabase} from './sqlite-database.ts';
import {createSqliteLoginStateStore} from './sqlite-login-states.ts';
import {runSqliteMaintenance} from './sqlite-maintenance.ts';
import {MIGRATIONS} from './sqlite-migrations.ts';
import {createSqliteOidcArtifactStore} from './sqlite-oidc-artifacts.ts';
import {createSqliteOidcClientStore} from './sqlite-oidc-clients.ts';
import {createSqliteRefusalStore} from './sqlite-refusals.ts';
import {createSqliteSigningKeyStore} from './sqlite-signing-keys.ts';
import {createSqliteAccessTokenStore} from './sqlite-access-tokens.ts';
import {createSqliteUserStore} from './sqlite-users.ts';
import {createSqliteWecomBackoffStore} from './sqlite-wecom-backoff.ts';
import {createWriteQueue} from './write-queue.ts';

/** Creates the SQLite implementation of Store over an open database, which close() closes. */
export function createSqliteStore(db: SqliteDatabase, sealer: Sealer, now = Date.now): Store {
  // One queue for every hot-path write of this connection, so concurrent logins share commits.
  const writes = createWriteQueue(db);
  const sealedRows = (column: (typeof SEALED_COLUMNS)[number], limit: number) =>
    db
      .prepare<[number], {key: string; sealed: string}>(
        `SELECT ${column.key} AS key, ${column.column} AS sealed FROM ${column.table} WHERE ` +
          `${column.column} IS NOT NULL AND ${column.column} <> '' LIMIT ?`,
      )
      .all(limit);
  return {
    connections: cacheConnectionReads(createSqliteConnectionStore(db, sealer, now), {now}),
    users: createSqliteUserStore(db, writes, now),
    loginStates: createSqliteLoginStateStore(db, writes, now),
    accessTokens: createSqliteAccessTokenStore(db, sealer, now),
    wecomBackoff: cacheBackoffReads(createSqliteWecomBackoffStore(db, now), {now}),
    signingKeys: createSqliteSigningKeyStore(db, sealer),
    audit: createSqliteAuditStore(db, writes, now),
    refusals: createSqliteRefusalStore(db),
    suiteTickets: createSqliteSuiteTicketStore(db, sealer, now),
    oidcClients: createSqliteOidcClientStore(db, sealer),
    oidcArtifacts: createSqliteOidcArtifactStore(db, sealer, now),
    location: db.name,
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async unreadiness() {
      let version: number;
      try {
        version = db.pragma('user_version', {simple: true}) as number;
      } catch {
        return 'the database does not answer';
      }
      return version === MIGRATIONS.length
        ? null
        : `the database schema is version ${version}, this server's is ${MIGRATIONS.length}`;
    },
    async sampleSealed() {
      return SEALED_COLUMNS.flatMap((column): SealedValue[] => sealedRows(column, 1).map((row) => ({column, ...row})));
    },
    async resealAll(rewrite) {
      // One transaction that takes the write lock up front: either every value is rewritten, or none.
      return db
        .transaction(() => {
          const counts: Record<string, number> = {};
          for (const column of SEALED_COLUMNS) {
            const rows = sealedRows(column, -1);
            const update = db.prepare(`UPDATE ${column.table} SET ${column.column} = ? WHERE ${column.key} = ?`);
            for (const row of rows) update.run(rewrite({column, ...row}), row.key);
            counts[column.table] = (counts[column.table] ?? 0) + rows.length;
          }
          return counts;
        })
        .immediate();
    },
    async maintain({auditRetentionDays, now: clock = now}) {
      return runSqliteMaintenance(db, {auditRetentionDays, now: clock});
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
