/**
 * Schema migrations, applied in order and tracked with `PRAGMA user_version`.
 * Never edit a shipped entry; append a new one. Times are Unix milliseconds.
 */
export const MIGRATIONS: readonly string[] = [
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
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE users (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    connection_identifier TEXT NOT NULL REFERENCES connections (identifier) ON DELETE CASCADE,
    corp_id TEXT NOT NULL,
    open_userid TEXT,
    userid TEXT,
    name TEXT NOT NULL,
    avatar TEXT,
    usertype INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    last_login_at INTEGER NOT NULL,
    login_count INTEGER NOT NULL DEFAULT 1
  ) STRICT;
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
    expires_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX login_transactions_by_expiry ON login_transactions (expires_at);

  CREATE TABLE tickets (
    ticket_hash TEXT PRIMARY KEY,
    connection_identifier TEXT NOT NULL REFERENCES connections (identifier) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    origin TEXT NOT NULL,
    nonce TEXT,
    expires_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX tickets_by_expiry ON tickets (expires_at);

  CREATE TABLE provider_tokens (
    corp_id TEXT PRIMARY KEY,
    token_sealed TEXT,
    expires_at INTEGER NOT NULL DEFAULT 0,
    refresh_lease_until INTEGER NOT NULL DEFAULT 0
  ) STRICT;

  CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY,
    private_jwk_sealed TEXT NOT NULL,
    public_jwk TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    event TEXT NOT NULL,
    connection_identifier TEXT,
    user_id TEXT,
    code TEXT,
    wecom_errcode INTEGER,
    detail TEXT,
    ip TEXT
  ) STRICT;
  CREATE INDEX audit_by_connection ON audit_log (connection_identifier, id);
  CREATE INDEX audit_by_event ON audit_log (event, id);
  `,
  // 2: redirect logins are bound PKCE-style to the browser that started them (the ticket keeps the challenge).
  `
  ALTER TABLE login_transactions ADD COLUMN code_challenge TEXT;
  ALTER TABLE tickets ADD COLUMN code_challenge TEXT;
  `,
  // 3: after WeCom's 45009/45033, every process holds back calls for that CorpID until `until`.
  `
  CREATE TABLE wecom_backoff (
    corp_id TEXT PRIMARY KEY,
    until INTEGER NOT NULL,
    strikes INTEGER NOT NULL,
    last_strike_at INTEGER NOT NULL
  ) STRICT;
  `,
  // 4: requests refused before any WeCom call are counted per reason and hour, not logged one by one.
  `
  CREATE TABLE refusal_counts (
    reason TEXT NOT NULL,
    hour INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (reason, hour)
  ) STRICT;
  `,
  // 5: the enterprises a connection admits (a JSON list of CorpIDs; empty admits any).
  `
  ALTER TABLE connections ADD COLUMN allowed_corp_ids TEXT NOT NULL DEFAULT '[]';
  `,
  // 6: a rotated signing key is published first and signs only from signs_from on.
  `
  ALTER TABLE signing_keys ADD COLUMN signs_from INTEGER NOT NULL DEFAULT 0;
  `,
  // 7: WeCom's new login (login_type=ServiceApp) beside the legacy one, and the suite_tickets WeCom
  // pushes for it. A service-app connection may have no ProviderSecret: provider_secret_sealed is ''.
  `
  ALTER TABLE connections ADD COLUMN flow TEXT NOT NULL DEFAULT 'legacy' CHECK (flow IN ('legacy', 'service-app'));
  ALTER TABLE connections ADD COLUMN suite_id TEXT;
  ALTER TABLE connections ADD COLUMN suite_secret_sealed TEXT;
  ALTER TABLE connections ADD COLUMN callback_token_sealed TEXT;
  ALTER TABLE connections ADD COLUMN encoding_aes_key_sealed TEXT;

  -- The newest suite_ticket of each suite and the one before it (WeCom: "always use the newest";
  -- the previous still works for a while). Times in ms; pushed_at is WeCom's TimeStamp.
  CREATE TABLE suite_tickets (
    suite_id TEXT PRIMARY KEY,
    ticket_sealed TEXT NOT NULL,
    pushed_at INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    previous_ticket_sealed TEXT,
    previous_pushed_at INTEGER,
    previous_received_at INTEGER
  ) STRICT;
  `,
  // 8: logins inside the WeCom client: a connection's optional app suite (its SuiteID and sealed
  // secrets; its suite_tickets go to suite_tickets under its own SuiteID), the protocol that started
  // each login (null: a row of an older release, which meant the connection's flow), and the way a
  // ticket's user logged in, for its token's amr (null: an older release's, qr or launch by nonce).
  // No CHECK on protocol or amr: the protocol catalogue is the list, and a new protocol needs no migration.
  `
  ALTER TABLE connections ADD COLUMN app_suite_id TEXT;
  ALTER TABLE connections ADD COLUMN app_suite_secret_sealed TEXT;
  ALTER TABLE connections ADD COLUMN app_callback_token_sealed TEXT;
  ALTER TABLE connections ADD COLUMN app_encoding_aes_key_sealed TEXT;
  ALTER TABLE login_transactions ADD COLUMN protocol TEXT;
  ALTER TABLE tickets ADD COLUMN amr TEXT;
  -- The token cache holds suite_access_tokens too (keys "suite:<SuiteID>"), so it is named for what
  -- it holds. A copy, not a rename: processes of the release before, still running during a rolling
  -- upgrade, keep reading provider_tokens (two caches for a few minutes cost a token fetch or two).
  -- provider_tokens goes in a later release.
  CREATE TABLE access_tokens (
    token_key TEXT PRIMARY KEY,
    token_sealed TEXT,
    expires_at INTEGER NOT NULL DEFAULT 0,
    refresh_lease_until INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  INSERT INTO access_tokens (token_key, token_sealed, expires_at) SELECT corp_id, token_sealed, expires_at FROM
    provider_tokens;
  `,
  // 9: the OpenID provider at /oidc: its relying parties (clients, with the secret sealed and, for a
  // day after a rotation, the previous one), the artifacts oidc-provider keeps (sessions,
  // interactions, codes, access tokens, grants: keyed by a hash of their id, payload sealed, so the
  // database alone hands out no token), and each signing key's algorithm (ES256 signs the element's
  // tokens; RS256, which every relying party must accept, the provider's).
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
    any_corp INTEGER NOT NULL,
    id_token_signed_response_alg TEXT NOT NULL,
    secret_sealed TEXT,
    previous_secret_sealed TEXT,
    previous_secret_expires_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE oidc_artifacts (
    id_hash TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    payload_sealed TEXT NOT NULL,
    grant_id TEXT,
    uid_hash TEXT,
    expires_at INTEGER NOT NULL,
    consumed_at INTEGER
  ) STRICT;
  CREATE INDEX oidc_artifacts_by_grant ON oidc_artifacts (grant_id) WHERE grant_id IS NOT NULL;
  CREATE INDEX oidc_artifacts_by_uid ON oidc_artifacts (uid_hash) WHERE uid_hash IS NOT NULL;
  CREATE INDEX oidc_artifacts_by_expiry ON oidc_artifacts (expires_at);
  `,
];
