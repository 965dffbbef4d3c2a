import type {SecretBox} from '../crypto/secret-box.ts';
import {createAuditStore, type AuditStore} from './audit-store.ts';
import {cacheConnectionReads} from './connection-cache.ts';
import {createConnectionStore, type ConnectionStore} from './connection-store.ts';
import type {SqliteDatabase} from './database.ts';
import {createLoginStateStore, type LoginStateStore} from './login-state-store.ts';
import {createRefusalStore, type RefusalStore} from './refusal-store.ts';
import {createSigningKeyStore, type SigningKeyStore} from './signing-key-store.ts';
import {createTokenCacheStore, type TokenCacheStore} from './token-cache-store.ts';
import {createUserStore, type UserStore} from './user-store.ts';
import {createWecomBackoffStore, type WecomBackoffStore} from './wecom-backoff-store.ts';
import {MIGRATIONS} from './migrations.ts';
import {createWriteQueue} from './write-queue.ts';

/**
 * Everything the server keeps. Routes see only these interfaces, so another database (PostgreSQL)
 * can be added without touching them. All login state lives here, never in process memory, so any
 * number of processes can share one database. (Connection settings are cached for a second per
 * process, and each process keeps the provider token it last saw; neither is login state.)
 */
export interface Store {
  connections: ConnectionStore;
  users: UserStore;
  loginStates: LoginStateStore;
  providerTokens: TokenCacheStore;
  wecomBackoff: WecomBackoffStore;
  signingKeys: SigningKeyStore;
  audit: AuditStore;
  refusals: RefusalStore;
  /** Resolves when the database answers (health check). */
  ping(): Promise<void>;
  /** Null when the database answers and its schema is this code's; else why not (readiness). */
  unreadiness(): Promise<string | null>;
}

/** Creates the SQLite implementation of Store over an open database. */
export function createSqliteStore(db: SqliteDatabase, box: SecretBox, now = Date.now): Store {
  // One queue for every hot-path write of this connection, so concurrent logins share commits.
  const writes = createWriteQueue(db);
  return {
    connections: cacheConnectionReads(createConnectionStore(db, box, now), {now}),
    users: createUserStore(db, writes, now),
    loginStates: createLoginStateStore(db, writes, now),
    providerTokens: createTokenCacheStore(db, box, now),
    wecomBackoff: createWecomBackoffStore(db, now),
    signingKeys: createSigningKeyStore(db, box),
    audit: createAuditStore(db, writes, now),
    refusals: createRefusalStore(db),
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
      return version === MIGRATIONS.length ? null : `the database schema is version ${version}, this server's is ${MIGRATIONS.length}`;
    },
  };
}
