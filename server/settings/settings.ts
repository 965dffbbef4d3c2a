import type {LogLevel} from '../logger.ts';
import * as read from './setting-readers.ts';
import type {SettingReader} from './setting-readers.ts';

/** The parts of deploy/wecom-sp-login.env.example, in order (settings-docs.ts gives each its heading). */
export type ExampleSection = 'production' | 'rotation' | 'postgres' | 'limits' | 'wecom';

/** One environment variable the server reads: everything any part of the project knows about it. */
export interface Setting<T> {
  /** The environment variable. */
  variable: string;
  /** The default as a reader sees it (markdown code spans allowed). */
  shownDefault: string;
  /** What it means, for `serve --help` and docs/deploy.md (markdown code spans allowed). */
  meaning: string;
  /** Reads the variable's text into the value, or the default when unset. */
  read: SettingReader<T>;
  /** Never logged or printed; may also come from a file named by `<variable>_FILE`. */
  secret?: true;
  /** How the environment example shows it; absent: left out (with the reason in its section). */
  example?: {section: ExampleSection; value: string; set?: true; note?: string};
}

function setting<T>(definition: Setting<T>): Setting<T> {
  return definition;
}

/**
 * Every setting of the server, by its name in Config. loadConfig reads them; `serve --help`,
 * docs/deploy.md's table and deploy/wecom-sp-login.env.example are written from them
 * (`npm run docs:settings`, held by a test); createLoginServer and the harnesses take their defaults
 * from defaultSettings(). A setting is added or changed here and nowhere else.
 */
export const SETTINGS = {
  production: setting<boolean>({
    variable: 'NODE_ENV',
    shownDefault: 'unset',
    meaning:
      '`production` requires `SECRET_KEY`, an https `PUBLIC_URL`, `TRUST_PROXY` ≥ 1, and https allowed ' +
      'origins and launch URLs (localhost aside)',
    read: read.productionFlag,
    example: {section: 'production', value: 'production', set: true},
  }),
  publicUrl: setting<string | undefined>({
    variable: 'PUBLIC_URL',
    shownDefault: '`http://localhost:$PORT`',
    meaning: 'the public base URL visitors and WeCom use: the token issuer and the host of `redirect_uri`',
    read: read.baseUrl(undefined),
    example: {section: 'production', value: 'https://login.example.com', set: true},
  }),
  port: setting<number>({
    variable: 'PORT',
    shownDefault: '`3000`',
    meaning: 'the port to listen on',
    read: read.port(3000),
  }),
  trustProxy: setting<number>({
    variable: 'TRUST_PROXY',
    shownDefault: '`0`',
    meaning:
      'the number of reverse proxies in front of the server: `X-Forwarded-Proto`, `-Host` and `-For` are ' +
      'trusted from that many hops only; required with an https `PUBLIC_URL`',
    read: read.wholeNumber(0, 10),
    example: {
      section: 'production',
      value: '1',
      set: true,
      note: 'One reverse proxy (nginx) in front, on this machine: trust its X-Forwarded-* and listen only locally.',
    },
  }),
  host: setting<string | undefined>({
    variable: 'HOST',
    shownDefault: 'every interface',
    meaning: 'the address to listen on; `127.0.0.1` behind a proxy on the same machine',
    read: read.listenHost,
    example: {section: 'production', value: '127.0.0.1', set: true},
  }),
  databasePath: setting<string>({
    variable: 'DATABASE_PATH',
    shownDefault: '`./data/wecom-sp-login.db`',
    meaning:
      'the SQLite file (WAL mode; several processes may share it); its folder is created `0700`, its files `0600`',
    read: read.filePath('./data/wecom-sp-login.db'),
    example: {section: 'production', value: '/var/lib/wecom-sp-login/wecom-sp-login.db', set: true},
  }),
  secretKeyBase64: setting<string | undefined>({
    variable: 'SECRET_KEY',
    shownDefault: 'generated into the data folder, with a warning (SQLite only)',
    meaning:
      '32 random bytes, base64: encrypts secrets at rest and keys the session cookie; back it up with the database',
    read: read.secretKey,
    secret: true,
    example: {section: 'production', value: 'replace-with-the-output-of-openssl-rand-base64-32', set: true},
  }),
  adminToken: setting<string | undefined>({
    variable: 'ADMIN_TOKEN',
    shownDefault: 'unset: the admin API answers 503',
    meaning:
      'the bearer token of the admin API and console; it must look random (22+ characters, 10+ different ' +
      'ones, no run of 6 repeated, ascending or keyboard characters): `openssl rand -base64 24`',
    read: read.bearerToken,
    secret: true,
    example: {
      section: 'production',
      value: 'replace-with-the-output-of-openssl-rand-base64-24',
      set: true,
      note:
        'The server refuses to start while a token holds its replace-with… placeholder,\nor any value that ' +
        'looks chosen rather than random.',
    },
  }),
  metricsToken: setting<string | undefined>({
    variable: 'METRICS_TOKEN',
    shownDefault: 'unset: `/metrics` answers 404',
    meaning: 'the bearer token Prometheus sends to `/metrics`, as random as `ADMIN_TOKEN`: `openssl rand -base64 24`',
    read: read.bearerToken,
    secret: true,
    example: {section: 'production', value: 'replace-with-the-output-of-openssl-rand-base64-24'},
  }),
  previousMasterKeys: setting<Buffer[]>({
    variable: 'SECRET_KEY_PREVIOUS',
    shownDefault: 'unset',
    meaning:
      'the key before a `SECRET_KEY` rotation: values sealed under it and session cookies signed with it ' +
      'are still accepted until `wecom-sp-login secrets reseal` has run',
    read: read.previousSecretKeys,
    secret: true,
    example: {section: 'rotation', value: ''},
  }),
  databaseUrl: setting<string | undefined>({
    variable: 'DATABASE_URL',
    shownDefault: 'unset: SQLite at `DATABASE_PATH`',
    meaning:
      'a PostgreSQL database (`postgres://user:password@host:5432/db`) for servers on several machines; ' +
      'requires `SECRET_KEY`; logged with its password masked',
    read: read.databaseUrl,
    secret: true,
    example: {section: 'postgres', value: 'postgres://login:replace-with-the-role-password@db.internal:5432/login'},
  }),
  databasePoolSize: setting<number>({
    variable: 'DATABASE_POOL_SIZE',
    shownDefault: '`10`',
    meaning: 'the most PostgreSQL connections each server process holds',
    read: read.positiveInteger(10),
    example: {section: 'postgres', value: '10'},
  }),
  databaseStatementTimeoutMs: setting<number>({
    variable: 'DATABASE_STATEMENT_TIMEOUT_MS',
    shownDefault: '`5000`',
    meaning:
      'the longest a PostgreSQL statement, or the wait for a pooled connection, may take before the request fails',
    read: read.positiveInteger(5_000),
    example: {section: 'postgres', value: '5000'},
  }),
  auditRetentionDays: setting<number>({
    variable: 'AUDIT_RETENTION_DAYS',
    shownDefault: '`180`',
    meaning:
      'days the audit log and refusal counts are kept; older rows, expired logins and tickets are purged ' +
      'hourly and their space given back; `0` keeps the audit forever (users always stay)',
    read: read.wholeNumber(180, 36_500),
    example: {section: 'limits', value: '180'},
  }),
  rateLimitPerMinute: setting<number>({
    variable: 'RATE_LIMIT_PER_MINUTE',
    shownDefault: '`600`',
    meaning:
      'the token bucket per client address and login route (authorize, callback, launch, tickets): that ' +
      'many requests at once, refilled at that many a minute; `0` turns it off',
    read: read.wholeNumber(600, 1_000_000),
    example: {section: 'limits', value: '600'},
  }),
  rateLimitExempt: setting<string[]>({
    variable: 'RATE_LIMIT_EXEMPT',
    shownDefault: 'none',
    meaning: 'comma-separated addresses or CIDRs that are never rate-limited (e.g. a company egress you trust)',
    read: read.addressList,
    example: {section: 'limits', value: '203.0.113.0/24'},
  }),
  launchCallsPerMinute: setting<number>({
    variable: 'LAUNCH_CALLS_PER_MINUTE',
    shownDefault: '`60`',
    meaning:
      'the most WeCom calls per connection and minute in one process for admin-console launches, which ' +
      'carry no state anyone vouches for; beyond it a launch answers `wecom_unavailable` without calling, ' +
      'and logins started with a state never draw on it',
    // Far above what a provider's admins click, far below WeCom's limits.
    read: read.positiveInteger(60),
    example: {section: 'limits', value: '60'},
  }),
  maxConnections: setting<number>({
    variable: 'MAX_CONNECTIONS',
    shownDefault: '`4096`',
    meaning: 'the most client connections the server holds open; further ones are refused',
    read: read.positiveInteger(4096),
    example: {section: 'limits', value: '4096'},
  }),
  logLevel: setting<LogLevel>({
    variable: 'LOG_LEVEL',
    shownDefault: '`info`',
    meaning:
      '`info` logs one line per request (method, route pattern, status, duration, request id; never the ' +
      'query) and everything below; `warn`; `error`',
    read: read.logLevel,
    example: {section: 'limits', value: 'info'},
  }),
  wecomApiBase: setting<string>({
    variable: 'WECOM_API_BASE',
    shownDefault: '`https://qyapi.weixin.qq.com`',
    meaning: "WeCom's API (the simulator's URL in tests and the demo)",
    read: read.baseUrl('https://qyapi.weixin.qq.com'),
    example: {section: 'wecom', value: 'https://qyapi.weixin.qq.com'},
  }),
  wecomSsoBase: setting<string>({
    variable: 'WECOM_SSO_BASE',
    shownDefault: '`https://open.work.weixin.qq.com`',
    meaning: "WeCom's QR-login pages",
    read: read.baseUrl('https://open.work.weixin.qq.com'),
    example: {section: 'wecom', value: 'https://open.work.weixin.qq.com'},
  }),
  wecomLoginBase: setting<string>({
    variable: 'WECOM_LOGIN_BASE',
    shownDefault: '`https://login.work.weixin.qq.com`',
    meaning: "WeCom's new login page (`/wwlogin/sso/login`, service-app connections)",
    read: read.baseUrl('https://login.work.weixin.qq.com'),
    example: {section: 'wecom', value: 'https://login.work.weixin.qq.com'},
  }),
  wecomOauthBase: setting<string>({
    variable: 'WECOM_OAUTH_BASE',
    shownDefault: '`https://open.weixin.qq.com`',
    meaning: "WeCom's in-client authorization (`/connect/oauth2/authorize`, logins inside the WeCom client)",
    read: read.baseUrl('https://open.weixin.qq.com'),
    example: {section: 'wecom', value: 'https://open.weixin.qq.com'},
  }),
  wecomTimeoutMs: setting<number>({
    variable: 'WECOM_TIMEOUT_MS',
    shownDefault: '`10000`',
    meaning: 'the time limit of every WeCom call',
    read: read.positiveInteger(10_000),
    example: {section: 'wecom', value: '10000'},
  }),
  wecomMaxConnections: setting<number>({
    variable: 'WECOM_MAX_CONNECTIONS',
    shownDefault: '`32`',
    meaning: 'the most calls to WeCom in flight at once; further calls wait for a connection',
    read: read.positiveInteger(32),
    example: {section: 'wecom', value: '32'},
  }),
  wecomConcurrencyPerCorp: setting<number>({
    variable: 'WECOM_CONCURRENCY_PER_CORP',
    shownDefault: '`32`',
    meaning:
      'the most WeCom calls in flight per CorpID in one process; more wait their turn (up to ' +
      '`WECOM_TIMEOUT_MS`), then answer `wecom_unavailable` without calling',
    read: read.positiveInteger(32),
    example: {section: 'wecom', value: '32'},
  }),
  wecomCallsPerMinute: setting<number>({
    variable: 'WECOM_CALLS_PER_MINUTE',
    shownDefault: '`3000`',
    meaning:
      "the most WeCom calls per CorpID and minute in one process (WeCom's own limit is 10,000 per API); " +
      'beyond it, `wecom_unavailable` without calling',
    read: read.positiveInteger(3000),
    example: {section: 'wecom', value: '3000'},
  }),
} as const;

/** The name of a setting in Config. */
export type SettingName = keyof typeof SETTINGS;

/** Every setting's value, as loadConfig reads them. */
export type Settings = {[Name in SettingName]: (typeof SETTINGS)[Name] extends Setting<infer T> ? T : never};

/** The settings createLoginServer uses; loadConfig's Config holds them all. */
export const LOGIN_SERVER_SETTINGS = [
  'production',
  'publicUrl',
  'trustProxy',
  'adminToken',
  'metricsToken',
  'previousMasterKeys',
  'rateLimitPerMinute',
  'rateLimitExempt',
  'launchCallsPerMinute',
  'wecomApiBase',
  'wecomSsoBase',
  'wecomLoginBase',
  'wecomOauthBase',
  'wecomTimeoutMs',
  'wecomMaxConnections',
  'wecomConcurrencyPerCorp',
  'wecomCallsPerMinute',
] as const satisfies readonly SettingName[];

/** The settings createLoginServer uses, by name. */
export type LoginServerSettings = Pick<Settings, (typeof LOGIN_SERVER_SETTINGS)[number]>;

/** Every setting at its default, as a server with an empty environment reads it. */
export function defaultSettings(): Settings {
  return readSettings({});
}

/** Reads every setting from `env` (an empty string is unset). Throws ConfigError naming the variable. */
export function readSettings(env: Record<string, string | undefined>): Settings {
  const entries = Object.entries(SETTINGS).map(([name, {variable, read}]) => [
    name,
    (read as SettingReader<unknown>)(env[variable] || undefined, variable),
  ]);
  return Object.fromEntries(entries) as Settings;
}

/** The variables that may come from a file instead, as container and Kubernetes secrets are mounted. */
export function fileVariables(): string[] {
  return Object.values(SETTINGS).flatMap((entry: Setting<unknown>) => (entry.secret ? [entry.variable] : []));
}

/**
 * `values` with every setting given and not undefined laid over `defaults`: options spelled
 * `{rateLimitPerMinute: options.rateLimitPerMinute}` leave the default in place when unset.
 */
export function withDefaults<T extends object>(defaults: T, values: Partial<T>): T {
  const given = Object.entries(values).filter(([name, value]) => value !== undefined && name in defaults);
  return {...defaults, ...Object.fromEntries(given)};
}
