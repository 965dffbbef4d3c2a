import type pg from 'pg';

/**
 * PostgreSQL schema migrations, applied in order and tracked in `schema_migrations`. The first is
 * the SQLite schema as of its sixth migration, translated: times are BIGINT Unix milliseconds and
 * AUTOINCREMENT keys are identity columns. Never edit a shipped entry; append a new one (and its
 * SQLite twin).
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE connections (
    identifier TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    corp_id TEXT NOT NULL,
    provider_secret_sealed TEXT NOT NULL,
    callback_url TEXT NOT NULL DEFAULT '',
    login_mode TEXT NOT NULL CHECK (login_mode IN ('login-and-register', 'login-only')),
    usertype TEXT NOT NULL CHECK (usertype IN ('member', 'admin')),
    allowed_origins TEXT NOT NULL,
    launch_url TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    allowed_corp_ids TEXT NOT NULL DEFAULT '[]'
  );

  CREATE TABLE users (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    connection_identifier TEXT NOT NULL REFERENCES connections (identifier) ON DELETE CASCADE,
    corp_id TEXT NOT NULL,
    open_userid TEXT,
    userid TEXT,
    name TEXT NOT NULL,
    avatar TEXT,
    usertype INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    last_login_at BIGINT NOT NULL,
    login_count INTEGER NOT NULL DEFAULT 1
  );
  -- A user is (corp_id, open_userid); only when WeCom sends no open_userid, (corp_id, userid).
  CREATE UNIQUE INDEX users_by_open_userid ON users (connection_identifier, corp_id, open_userid) WHERE open_userid
    IS NOT NULL;
  CREATE UNIQUE INDEX users_by_userid ON users (connection_identifier, corp_id, userid) WHERE open_userid IS NULL;

  CREATE TABLE login_transactions (
    state_hash TEXT PRIMARY KEY,
    connection_identifier TEXT NOT NULL REFERENCES connections (identifier) ON DELETE CASCADE,
    nonce TEXT NOT NULL,
    origin TEXT NOT NULL,
    mode TEXT NOT NULL,
    return_to TEXT,
    browser_binding TEXT,
    expires_at BIGINT NOT NULL,
    code_challenge TEXT
  );
  CREATE INDEX login_transactions_by_expiry ON login_transactions (expires_at);

  CREATE TABLE tickets (
    ticket_hash TEXT PRIMARY KEY,
    connection_identifier TEXT NOT NULL REFERENCES connections (identifier) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    origin TEXT NOT NULL,
    nonce TEXT,
    expires_at BIGINT NOT NULL,
    code_challenge TEXT
  );
  CREATE INDEX tickets_by_expiry ON tickets (expires_at);

  CREATE TABLE provider_tokens (
    corp_id TEXT PRIMARY KEY,
    token_sealed TEXT,
    expires_at BIGINT NOT NULL DEFAULT 0,
    refresh_lease_until BIGINT NOT NULL DEFAULT 0
  );

  CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY,
    private_jwk_sealed TEXT NOT NULL,
    public_jwk TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    signs_from BIGINT NOT NULL DEFAULT 0
  );

  CREATE TABLE audit_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    event TEXT NOT NULL,
    connection_identifier TEXT,
    user_id TEXT,
    code TEXT,
    wecom_errcode INTEGER,
    detail TEXT,
    ip TEXT
  );
  CREATE INDEX audit_by_connection ON audit_log (connection_identifier, id);
  CREATE INDEX audit_by_event ON audit_log (event, id);

  CREATE TABLE wecom_backoff (
    corp_id TEXT PRIMARY KEY,
    until BIGINT NOT NULL,
    strikes INTEGER NOT NULL,
    last_strike_at BIGINT NOT NULL
  );

  CREATE TABLE refusal_counts (
    reason TEXT NOT NULL,
    hour BIGINT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (reason, hour)
  );
  `,
  // 2: the same as SQLite's 7: WeCom's new login beside the legacy one, and its suite_tickets.
  `
  ALTER TABLE connections ADD COLUMN flow TEXT NOT NULL DEFAULT 'legacy' CHECK (flow IN ('legacy', 'service-app'));
  ALTER TABLE connections ADD COLUMN suite_id TEXT;
  ALTER TABLE connections ADD COLUMN suite_secret_sealed TEXT;
  ALTER TABLE connections ADD COLUMN callback_token_sealed TEXT;
  ALTER TABLE connections ADD COLUMN encoding_aes_key_sealed TEXT;

  CREATE TABLE suite_tickets (
    suite_id TEXT PRIMARY KEY,
    ticket_sealed TEXT NOT NULL,
    pushed_at BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    previous_ticket_sealed TEXT,
    previous_pushed_at BIGINT,
    previous_received_at BIGINT
  );
  `,
  // 3: the same as SQLite's 8 (sqlite-migrations.ts says why): logins inside the WeCom client.
  `
  ALTER TABLE connections ADD COLUMN app_suite_id TEXT;
  ALTER TABLE connections ADD COLUMN app_suite_secret_sealed TEXT;
  ALTER TABLE connections ADD COLUMN app_callback_token_sealed TEXT;
  ALTER TABLE connections ADD COLUMN app_encoding_aes_key_sealed TEXT;
  ALTER TABLE login_transactions ADD COLUMN protocol TEXT;
  ALTER TABLE tickets ADD COLUMN amr TEXT;
  -- access_tokens: a copy of provider_tokens, not a rename (SQLite's migration 8 says why).
  CREATE TABLE access_tokens (
    token_key TEXT PRIMARY KEY,
    token_sealed TEXT,
    expires_at BIGINT NOT NULL DEFAULT 0,
    refresh_lease_until BIGINT NOT NULL DEFAULT 0
  );
  INSERT INTO access_tokens (token_key, token_sealed, expires_at) SELECT corp_id, token_sealed, expires_at FROM
    provider_tokens;
  `,
  // 4: the same as SQLite's 9 (sqlite-migrations.ts says why): the OpenID provider at /oidc.
  `
  ALTER TABLE signing_keys ADD COLUMN alg TEXT NOT NULL DEFAULT 'ES256';

  CREATE TABLE oidc_clients (
    client_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    connection_identifier TEXT NOT NULL REFERENCES connections (identifier) ON DELETE CASCADE,
    redirect_uris TEXT NOT NULL,
    post_logout_redirect_uris TEXT NOT NULL,
    token_endpoint_auth_method TEXT NOT NULL,
    allowed_corp_ids TEXT NOT NULL,
    any_corp BOOLEAN NOT NULL,
    id_token_signed_response_alg TEXT NOT NULL,
    secret_sealed TEXT,
    previous_secret_sealed TEXT,
    previous_secret_expires_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
  );

  CREATE TABLE oidc_artifacts (
    id_hash TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    payload_sealed TEXT NOT NULL,
    grant_id TEXT,
    uid_hash TEXT,
    expires_at BIGINT NOT NULL,
    consumed_at BIGINT
  );
  CREATE INDEX oidc_artifacts_by_grant ON oidc_artifacts (grant_id) WHERE grant_id IS NOT NULL;
  CREATE INDEX oidc_artifacts_by_uid ON oidc_artifacts (uid_hash) WHERE uid_hash IS NOT NULL;
  CREATE INDEX oidc_artifacts_by_expiry ON oidc_artifacts (expires_at);
  `,
];

/** Any constant: the advisory lock that lets one starting server at a time migrate. */
const MIGRATION_LOCK = 7_263_541_001;

/**
 * Applies the missing migrations in one transaction under an advisory lock, so replicas starting
 * together wait for each other instead of racing (CREATE TABLE IF NOT EXISTS alone is not safe
 * under concurrency). Throws if the database is newer than this code. Returns how many ran.
 */
export async function migratePostgres(
  pool: pg.Pool,
  migrations: readonly string[] = POSTGRES_MIGRATIONS,
): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Released by COMMIT, ROLLBACK or a lost connection: a crashed migrator never leaves it held.
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT ' +
        'NULL DEFAULT now())',
    );
    const current = await schemaVersion(client);
    if (current > migrations.length) {
      throw new Error(
        `The database schema is version ${current}, newer than this server (${migrations.length}). Upgrade the server.`,
      );
    }
    for (let version = current + 1; version <= migrations.length; version++) {
      await client.query(migrations[version - 1]!);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
    }
    await client.query('COMMIT');
    return migrations.length - current;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** The schema version the database is at (0 before the first migration). */
export async function schemaVersion(db: Pick<pg.ClientBase, 'query'>): Promise<number> {
  const {rows} = await db.query<{version: number}>(
    'SELECT coalesce(max(version), 0)::int AS version FROM schema_migrations',
  );
  return rows[0]!.version;
}
