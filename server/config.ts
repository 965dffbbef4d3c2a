import fs from 'node:fs';
import {BlockList, isIP} from 'node:net';
import path from 'node:path';
import {tokenWeakness} from './crypto/token-strength.ts';
import {LOG_LEVELS, type LogLevel} from './logger.ts';
import {addToBlockList} from './network.ts';

/** Everything the server reads from its environment, validated. */
export interface Config {
  /** TCP port to listen on. */
  port: number;
  /** Address to listen on; undefined is every interface. */
  host?: string;
  /** How many reverse proxies stand in front of the server; their X-Forwarded-* headers are trusted (0: none). */
  trustProxy: number;
  /** Public base URL of the login server, without a trailing slash: the ID token's `iss`. */
  publicUrl: string;
  /** SQLite database file (used when databaseUrl is unset). */
  databasePath: string;
  /** DATABASE_URL: the PostgreSQL database, instead of the SQLite file. Secret when it holds a password: log redactDatabaseUrl() of it. */
  databaseUrl?: string;
  /** Most PostgreSQL connections per process. */
  databasePoolSize: number;
  /** Longest a PostgreSQL statement (or the wait for a pooled connection) may take, in milliseconds. */
  databaseStatementTimeoutMs: number;
  /** Base64 of the 32-byte master key; undefined when it must be generated (never in production). Secret: never log. */
  secretKeyBase64?: string;
  /** The master key before a rotation (SECRET_KEY_PREVIOUS): still opens sealed values and session cookies. Secret. */
  previousMasterKeys: Buffer[];
  /** Bearer token of the admin API; undefined disables the admin API. Secret: never log. */
  adminToken?: string;
  /** Bearer token of /metrics; undefined: /metrics answers 404. Secret: never log. */
  metricsToken?: string;
  /** `https://qyapi.weixin.qq.com` in production; the simulator's URL in tests and the demo. */
  wecomApiBase: string;
  /** `https://open.work.weixin.qq.com` in production; the simulator's URL in tests and the demo. */
  wecomSsoBase: string;
  /** `https://login.work.weixin.qq.com` in production: WeCom's new login page (login_type=ServiceApp). */
  wecomLoginBase: string;
  /** WeCom's in-client OAuth page (oauth2/authorize), for logins inside the WeCom client. */
  wecomOauthBase: string;
  /** Time limit of every call to WeCom, in milliseconds. */
  wecomTimeoutMs: number;
  /** Most calls to WeCom in flight at once (undici's connections to WeCom's API). */
  wecomMaxConnections: number;
  /** Most calls to WeCom in flight per CorpID in one process. */
  wecomConcurrencyPerCorp: number;
  /** Most calls to WeCom per CorpID and minute in one process. */
  wecomCallsPerMinute: number;
  /** WeCom calls per connection and minute for admin-console launches, in one process. */
  launchCallsPerMinute: number;
  /** Most client connections held open at once. */
  maxConnections: number;
  /** Token-bucket size and refill per minute, per client address and login route; 0 is no limit. */
  rateLimitPerMinute: number;
  /** Addresses and CIDRs never rate-limited, as written in RATE_LIMIT_EXEMPT. */
  rateLimitExempt: string[];
  /** True when `NODE_ENV=production`. */
  production: boolean;
  /** Days audit rows and refusal counts are kept; 0 keeps them forever. */
  auditRetentionDays: number;
  /** LOG_LEVEL: info (one line per request and more), warn or error. */
  logLevel: LogLevel;
}

/** LAUNCH_CALLS_PER_MINUTE's default: far above what a provider's admins click, far below WeCom's limits. */
export const DEFAULT_LAUNCH_CALLS_PER_MINUTE = 60;

/** A configuration problem; the message names the variable to fix. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

/**
 * The secrets that may also come from a file, as container and Kubernetes secrets are mounted:
 * NAME_FILE names a file that holds NAME's value.
 */
export const FILE_VARIABLES = [
  'SECRET_KEY',
  'SECRET_KEY_PREVIOUS',
  'ADMIN_TOKEN',
  'METRICS_TOKEN',
  'DATABASE_URL',
] as const;

/** Reads and validates the configuration from environment variables. Throws ConfigError. */
export function loadConfig(rawEnv: Record<string, string | undefined>): Config {
  const env = withFileVariables(rawEnv);
  const port = readPort(env.PORT);
  const production = env.NODE_ENV === 'production';
  const secretKeyBase64 = env.SECRET_KEY || undefined;
  if (secretKeyBase64 !== undefined) decodeSecretKey(secretKeyBase64);
  else if (production) {
    throw new ConfigError(
      'SECRET_KEY',
      'is required when NODE_ENV=production (32 random bytes, base64: `openssl rand -base64 32`).',
    );
  }
  const databaseUrl = readDatabaseUrl(env.DATABASE_URL);
  if (databaseUrl !== undefined && secretKeyBase64 === undefined) {
    // With SQLite a key can be generated beside the file; a shared database has no such place, and
    // every server on it must use the same key.
    throw new ConfigError(
      'SECRET_KEY',
      'is required with DATABASE_URL: every server sharing the database needs the same key (`openssl rand -base64 32`).',
    );
  }
  const publicUrl = readBaseUrl('PUBLIC_URL', env.PUBLIC_URL || `http://localhost:${port}`);
  const trustProxy = readWholeNumber('TRUST_PROXY', env.TRUST_PROXY, 0, 10);
  if (production) {
    // The server speaks plain http; in production TLS ends at a reverse proxy, which must be trusted
    // for the https scheme (secure cookies) and the visitor's address (rate limits, audit).
    if (!publicUrl.startsWith('https:'))
      throw new ConfigError(
        'PUBLIC_URL',
        'must be the https URL visitors use when NODE_ENV=production (TLS ends at the reverse proxy; see docs/deploy.md).',
      );
    if (trustProxy === 0)
      throw new ConfigError(
        'TRUST_PROXY',
        'must be the number of reverse proxies in front of the server (1 for one nginx or Caddy) when NODE_ENV=production.',
      );
  }
  // The server speaks plain http, so an https PUBLIC_URL means TLS ends at a proxy; without trusting
  // it the server sees every request as http and refuses its own Secure cookies (a 500 on login).
  if (publicUrl.startsWith('https:') && trustProxy === 0) {
    throw new ConfigError(
      'TRUST_PROXY',
      'must be set with an https PUBLIC_URL: TLS ends at a reverse proxy, so set TRUST_PROXY to the number of them (1 for one nginx or Caddy).',
    );
  }
  return {
    port,
    host: readHost(env.HOST),
    trustProxy,
    publicUrl,
    databasePath: path.resolve(env.DATABASE_PATH || './data/wecom-sp-login.db'),
    databaseUrl,
    databasePoolSize: readPositiveInt('DATABASE_POOL_SIZE', env.DATABASE_POOL_SIZE, 10),
    databaseStatementTimeoutMs: readPositiveInt(
      'DATABASE_STATEMENT_TIMEOUT_MS',
      env.DATABASE_STATEMENT_TIMEOUT_MS,
      5_000,
    ),
    secretKeyBase64,
    previousMasterKeys: env.SECRET_KEY_PREVIOUS
      ? [decodeSecretKey(env.SECRET_KEY_PREVIOUS, 'SECRET_KEY_PREVIOUS')]
      : [],
    adminToken: readBearerToken('ADMIN_TOKEN', env.ADMIN_TOKEN),
    metricsToken: readBearerToken('METRICS_TOKEN', env.METRICS_TOKEN),
    wecomApiBase: readBaseUrl('WECOM_API_BASE', env.WECOM_API_BASE || 'https://qyapi.weixin.qq.com'),
    wecomSsoBase: readBaseUrl('WECOM_SSO_BASE', env.WECOM_SSO_BASE || 'https://open.work.weixin.qq.com'),
    wecomLoginBase: readBaseUrl('WECOM_LOGIN_BASE', env.WECOM_LOGIN_BASE || 'https://login.work.weixin.qq.com'),
    wecomOauthBase: readBaseUrl('WECOM_OAUTH_BASE', env.WECOM_OAUTH_BASE || 'https://open.weixin.qq.com'),
    wecomTimeoutMs: readPositiveInt('WECOM_TIMEOUT_MS', env.WECOM_TIMEOUT_MS, 10_000),
    wecomMaxConnections: readPositiveInt('WECOM_MAX_CONNECTIONS', env.WECOM_MAX_CONNECTIONS, 32),
    wecomConcurrencyPerCorp: readPositiveInt('WECOM_CONCURRENCY_PER_CORP', env.WECOM_CONCURRENCY_PER_CORP, 32),
    wecomCallsPerMinute: readPositiveInt('WECOM_CALLS_PER_MINUTE', env.WECOM_CALLS_PER_MINUTE, 3000),
    launchCallsPerMinute: readPositiveInt(
      'LAUNCH_CALLS_PER_MINUTE',
      env.LAUNCH_CALLS_PER_MINUTE,
      DEFAULT_LAUNCH_CALLS_PER_MINUTE,
    ),
    maxConnections: readPositiveInt('MAX_CONNECTIONS', env.MAX_CONNECTIONS, 4096),
    rateLimitPerMinute: readWholeNumber('RATE_LIMIT_PER_MINUTE', env.RATE_LIMIT_PER_MINUTE, 600, 1_000_000),
    rateLimitExempt: readAddressList('RATE_LIMIT_EXEMPT', env.RATE_LIMIT_EXEMPT),
    production,
    logLevel: readLogLevel(env.LOG_LEVEL),
    auditRetentionDays: readWholeNumber('AUDIT_RETENTION_DAYS', env.AUDIT_RETENTION_DAYS, 180, 36_500),
  };
}

/** Decodes SECRET_KEY (or `variable`); throws ConfigError unless it is base64 of exactly 32 bytes. */
export function decodeSecretKey(value: string, variable = 'SECRET_KEY'): Buffer {
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32 || key.toString('base64') !== value.trim()) {
    throw new ConfigError(variable, 'must be 32 random bytes in base64 (44 characters; `openssl rand -base64 32`).');
  }
  return key;
}

function readPort(value: string | undefined): number {
  if (value === undefined || value === '') return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError('PORT', `"${value}" is not a port number.`);
  return port;
}

function readPositiveInt(variable: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(variable, `"${value}" is not a positive whole number.`);
  return n;
}

function readWholeNumber(variable: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || n > max)
    throw new ConfigError(variable, `"${value}" is not a whole number from 0 to ${max}.`);
  return n;
}

function readDatabaseUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    // Falls through: the message below must not repeat a value that may hold a password.
  }
  if (url?.protocol !== 'postgres:' && url?.protocol !== 'postgresql:') {
    throw new ConfigError(
      'DATABASE_URL',
      'must be a PostgreSQL URL: postgres://user:password@host:5432/database (unset it to use the SQLite file at DATABASE_PATH).',
    );
  }
  return value;
}

function readLogLevel(value: string | undefined): LogLevel {
  if (value === undefined || value === '') return 'info';
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  throw new ConfigError('LOG_LEVEL', `"${value}" is not one of ${LOG_LEVELS.join(', ')}.`);
}

function readHost(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (isIP(value) || /^[A-Za-z0-9.-]{1,253}$/.test(value)) return value;
  throw new ConfigError('HOST', `"${value}" is not an IP address or host name.`);
}

function readAddressList(variable: string, value: string | undefined): string[] {
  const entries = (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    try {
      addToBlockList(new BlockList(), entry);
    } catch {
      throw new ConfigError(variable, `"${entry}" is not an IP address or CIDR such as 203.0.113.0/24.`);
    }
  }
  return entries;
}

function readBaseUrl(variable: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(variable, `"${value}" is not an absolute URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError(variable, 'must be an http or https URL.');
  if (url.search || url.hash) throw new ConfigError(variable, 'must not have a query or fragment.');
  return trimTrailingSlashes(url.href);
}

/** `value` without trailing slashes, by a scan: /\/+$/ backtracks quadratically on a long run of them. */
function trimTrailingSlashes(value: string): string {
  let end = value.length;
  while (end > 0 && value[end - 1] === '/') end--;
  return value.slice(0, end);
}

function readBearerToken(variable: string, value: string | undefined): string | undefined {
  if (!value) return undefined;
  // Guessing is throttled, but a token a person picked falls in a handful of guesses.
  const weakness = tokenWeakness(value);
  if (weakness !== null)
    throw new ConfigError(
      variable,
      `${weakness}: use a random one, such as the output of \`openssl rand -base64 24\`.`,
    );
  return value;
}

/** `env` with each NAME_FILE of FILE_VARIABLES read into NAME (its final line break dropped). Both set is an error. */
function withFileVariables(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const resolved = {...env};
  for (const name of FILE_VARIABLES) {
    const file = env[`${name}_FILE`];
    if (!file) continue;
    if (env[name]) throw new ConfigError(`${name}_FILE`, `and ${name} are both set: give the value one way.`);
    try {
      resolved[name] = fs.readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      throw new ConfigError(
        `${name}_FILE`,
        `${file} could not be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
      );
    }
  }
  return resolved;
}
