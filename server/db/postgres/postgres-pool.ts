import pg from 'pg';

/** How the server connects to PostgreSQL. */
export interface PostgresSettings {
  /**
   * `postgres://user:password@host:port/database`. Secret when it holds a password: never log it, log
   * redactDatabaseUrl(url).
   */
  url: string;
  /** Most connections this process holds (DATABASE_POOL_SIZE). */
  poolSize: number;
  /** Longest a statement may run, and longest a request waits for a free connection (DATABASE_STATEMENT_TIMEOUT_MS). */
  statementTimeoutMs: number;
  /** Told about a pooled connection the server dropped (a restart, a failover); the pool reconnects by itself. */
  onConnectionError?: (error: Error) => void;
  /**
   * False for the pool of writes whose loss in a crash only means "start the login again" (login
   * states, tickets, refusal counts, the OpenID provider's artifacts): its commits do not wait for
   * the WAL flush (`synchronous_commit = off`), a crash may lose the last fraction of a second of
   * them, and never corrupts anything. True (the default) waits, for users, audit rows, keys and
   * connections.
   */
  durable?: boolean;
}

/** A pool, or a client checked out of it for a transaction. */
export type Queryable = Pick<pg.ClientBase, 'query'>;

/**
 * Creates the connection pool. Times and identity ids are BIGINT, which pg returns as strings by
 * default; every one fits in 2^53, so they are read as numbers. A statement that hangs (a lock held
 * elsewhere, a server that stopped answering) fails after statementTimeoutMs instead of holding the
 * visitor's request, and so does waiting for a connection.
 */
export function createPostgresPool(settings: PostgresSettings): pg.Pool {
  const types = new pg.TypeOverrides();
  types.setTypeParser(pg.types.builtins.INT8, Number);
  const pool = new pg.Pool({
    connectionString: settings.url,
    max: settings.poolSize,
    types,
    statement_timeout: settings.statementTimeoutMs,
    connectionTimeoutMillis: settings.statementTimeoutMs,
    idleTimeoutMillis: 30_000,
    application_name: settings.durable === false ? 'wecom-sp-login (ephemeral)' : 'wecom-sp-login',
    ...(settings.durable === false && {options: '-c synchronous_commit=off'}),
  });
  // An idle pooled connection that the server closes (a restart) emits 'error' on the pool; without a
  // listener that would end the process. The pool drops that connection and opens a new one when needed.
  pool.on('error', (error) => settings.onConnectionError?.(error));
  return pool;
}

/** The URL with its password replaced by `***`: what logs and messages may show. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    parsed.searchParams.forEach((_value, name) => {
      if (name.toLowerCase() === 'password') parsed.searchParams.set(name, '***');
    });
    return parsed.toString();
  } catch {
    return 'postgres://(unreadable URL)';
  }
}
