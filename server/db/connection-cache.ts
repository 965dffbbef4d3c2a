import type {Connection, ConnectionWithSecret} from '../connections/connection.ts';
import type {ConnectionStore} from './connection-store.ts';

/** How long another process's change to a connection may take to reach this one. */
export const CONNECTION_CACHE_TTL_MS = 1_000;

/**
 * Serves the login path's connection reads (two per login) from memory for `ttlMs`. A change made
 * through this store applies at once; a change made by another process sharing the database (a
 * second server, the CLI) applies within `ttlMs`. Errors (an unknown connection) are never cached.
 */
export function cacheConnectionReads(
  store: ConnectionStore,
  {ttlMs = CONNECTION_CACHE_TTL_MS, now = Date.now}: {ttlMs?: number; now?: () => number} = {},
): ConnectionStore {
  // The decrypted secret stays in this process's memory, where every exchange puts it anyway.
  const cached = new Map<string, {connection: ConnectionWithSecret; until: number}>();

  async function read(identifier: string): Promise<ConnectionWithSecret> {
    const hit = cached.get(identifier);
    if (hit && hit.until > now()) return hit.connection;
    // Frozen: every caller shares this object until it expires.
    const connection = Object.freeze({...(await store.getForExchange(identifier))});
    Object.freeze(connection.allowedOrigins);
    Object.freeze(connection.secretsSet);
    cached.set(identifier, {connection, until: now() + ttlMs});
    return connection;
  }

  /** Drops the cached copy once a change has been made (or refused), so the next read sees the database. */
  async function forgetAfter<T>(identifier: string, change: Promise<T>): Promise<T> {
    try {
      return await change;
    } finally {
      cached.delete(identifier);
    }
  }

  return {
    create: (input) => forgetAfter(input.identifier, store.create(input)),
    update: (identifier, patch, check) => forgetAfter(identifier, store.update(identifier, patch, check)),
    remove: (identifier) => forgetAfter(identifier, store.remove(identifier)),
    async get(identifier) {
      return withoutSecret(await read(identifier));
    },
    list: () => store.list(),
    getForExchange: read,
  };
}

function withoutSecret({
  providerSecret: _p,
  suiteSecret: _s,
  callbackToken: _c,
  encodingAesKey: _e,
  ...connection
}: ConnectionWithSecret): Connection {
  return connection;
}
