import type pg from 'pg';
import {DAY_MS} from '../audit-store.ts';
import {cacheConnectionReads} from '../connection-cache.ts';
import {cacheBackoffReads} from '../wecom-backoff-cache.ts';
import {createPostgresSuiteTicketStore} from './postgres-suite-tickets.ts';
import {SEALED_COLUMNS, type Sealer, type SealedValue} from '../sealed-columns.ts';
import type {Store} from '../store.ts';
import {createPostgresAuditStore} from './postgres-audit.ts';
import {createPostgresConnectionStore} from './postgres-connections.ts';
import {createPostgresLoginStateStore} from './postgres-login-states.ts';
import {POSTGRES_MIGRATIONS, schemaVersion} from './postgres-migrations.ts';
import {redactDatabaseUrl, type Queryable} from './postgres-pool.ts';
import {createPostgresOidcArtifactStore} from './postgres-oidc-artifacts.ts';
import {createPostgresOidcClientStore} from './postgres-oidc-clients.ts';
import {createPostgresRefusalStore} from './postgres-refusals.ts';
import {createPostgresSigningKeyStore} from './postgres-signing-keys.ts';
import {createPostgresAccessTokenStore} from './postgres-access-tokens.ts';
import {inTransaction} from './postgres-transaction.ts';
import {createPostgresUserStore} from './postgres-users.ts';
import {createPostgresWecomBackoffStore} from './postgres-wecom-backoff.ts';

/**
 * Creates the PostgreSQL implementation of Store over a migrated database's two pools, which close()
 * ends: `durable` for what must survive a crash, `ephemeral` (synchronous_commit off) for what a
 * crash may lose at the cost of a login started again.
 */
export function createPostgresStore(
  {durable: pool, ephemeral}: {durable: pg.Pool; ephemeral: pg.Pool},
  url: string,
  sealer: Sealer,
  now = Date.now,
): Store {
  const sealedRows = async (db: Queryable, column: SealedValue['column'], limit: number | null) => {
    const {rows} = await db.query<{key: string; sealed: string}>(
      `SELECT ${column.key} AS key, ${column.column} AS sealed FROM ${column.table} WHERE ${column.column} ` +
        `IS NOT NULL AND ${column.column} <> '' LIMIT $1`,
      [limit],
    );
    return rows.map((row): SealedValue => ({column, ...row}));
  };
  let closed = false;
  return {
    connections: cacheConnectionReads(createPostgresConnectionStore(pool, sealer, now), {now}),
    users: createPostgresUserStore(pool, now),
    loginStates: createPostgresLoginStateStore(ephemeral, now),
    accessTokens: createPostgresAccessTokenStore(pool, sealer, now),
    wecomBackoff: cacheBackoffReads(createPostgresWecomBackoffStore(pool, now), {now}),
    signingKeys: createPostgresSigningKeyStore(pool, sealer),
    audit: createPostgresAuditStore(pool, now),
    refusals: createPostgresRefusalStore(ephemeral),
    suiteTickets: createPostgresSuiteTicketStore(pool, sealer, now),
    oidcClients: createPostgresOidcClientStore(pool, sealer),
    oidcArtifacts: createPostgresOidcArtifactStore(ephemeral, sealer, now),
    location: redactDatabaseUrl(url),
    async ping() {
      await pool.query('SELECT 1');
    },
    async unreadiness() {
      let version: number;
      try {
        version = await schemaVersion(pool);
      } catch {
        return 'the database does not answer';
      }
      return version === POSTGRES_MIGRATIONS.length
        ? null
        : `the database schema is version ${version}, this server's is ${POSTGRES_MIGRATIONS.length}`;
    },
    async sampleSealed() {
      // One column after another: in parallel, a store opening would take a pool connection per
      // sealed column, and many processes starting at once would pass max_connections.
      const sample: SealedValue[] = [];
      for (const column of SEALED_COLUMNS) sample.push(...(await sealedRows(pool, column, 1)));
      return sample;
    },
    async resealAll(rewrite) {
      // One transaction; the rows are locked as they are read, so a server writing a fresh provider
      // token meanwhile waits, and its value is not overwritten with an older one.
      return inTransaction(pool, async (client) => {
        const counts: Record<string, number> = {};
        for (const column of SEALED_COLUMNS) {
          const {rows} = await client.query<{key: string; sealed: string}>(
            `SELECT ${column.key} AS key, ${column.column} AS sealed FROM ${column.table} WHERE ` +
              `${column.column} IS NOT NULL AND ${column.column} <> '' FOR UPDATE`,
          );
          for (const row of rows)
            await client.query(`UPDATE ${column.table} SET ${column.column} = $1 WHERE ${column.key} = $2`, [
              rewrite({column, ...row}),
              row.key,
            ]);
          counts[column.table] = (counts[column.table] ?? 0) + rows.length;
        }
        return counts;
      });
    },
    async maintain({auditRetentionDays, now: clock = now}) {
      const time = clock();
      const cutoff = time - auditRetentionDays * DAY_MS;
      const deleted = async (text: string, value: number) => (await pool.query(text, [value])).rowCount ?? 0;
      // Each DELETE on its own: none holds locks the login path waits on for long. PostgreSQL's
      // autovacuum reclaims the space, so nothing is given back here.
      return {
        auditRows: auditRetentionDays > 0 ? await deleted('DELETE FROM audit_log WHERE at < $1', cutoff) : 0,
        refusalRows: auditRetentionDays > 0 ? await deleted('DELETE FROM refusal_counts WHERE hour < $1', cutoff) : 0,
        transactions: await deleted('DELETE FROM login_transactions WHERE expires_at < $1', time),
        tickets: await deleted('DELETE FROM tickets WHERE expires_at < $1', time),
        oidcArtifacts: await deleted('DELETE FROM oidc_artifacts WHERE expires_at < $1', time),
        pagesFreed: 0,
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([pool.end(), ephemeral.end()]);
    },
  };
}
