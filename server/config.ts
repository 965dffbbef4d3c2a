import path from 'node:path';

/** Everything the server reads from its environment, validated. */
export interface Config {
  /** TCP port to listen on. */
  port: number;
  /** Public base URL of the login server, without a trailing slash: the ID token's `iss`. */
  publicUrl: string;
  /** SQLite database file. */
  databasePath: string;
  /** Base64 of the 32-byte master key; undefined when it must be generated (never in production). Secret: never log. */
  secretKeyBase64?: string;
  /** Bearer token of the admin API; undefined disables the admin API. Secret: never log. */
  adminToken?: string;
  /** `https://qyapi.weixin.qq.com` in production; the simulator's URL in tests and the demo. */
  wecomApiBase: string;
  /** `https://open.work.weixin.qq.com` in production; the simulator's URL in tests and the demo. */
  wecomSsoBase: string;
  /** Time limit of every call to WeCom, in milliseconds. */
  wecomTimeoutMs: number;
  /** Requests per minute and IP on each login route (authorize, callback, launch, tickets); 0 is no limit. */
  rateLimitPerMinute: number;
  /** True when `NODE_ENV=production`. */
  production: boolean;
}

/** A configuration problem; the message names the variable to fix. */
export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration from environment variables. Throws ConfigError. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const port = readPort(env.PORT);
  const production = env.NODE_ENV === 'production';
  const secretKeyBase64 = env.SECRET_KEY || undefined;
  if (secretKeyBase64 !== undefined) decodeSecretKey(secretKeyBase64);
  else if (production) {
    throw new ConfigError('SECRET_KEY', 'is required when NODE_ENV=production (32 random bytes, base64: `openssl rand -base64 32`).');
  }
  return {
    port,
    publicUrl: readBaseUrl('PUBLIC_URL', env.PUBLIC_URL ?? `http://localhost:${port}`),
    databasePath: path.resolve(env.DATABASE_PATH || './data/wecom-sp-login.db'),
    secretKeyBase64,
    adminToken: readAdminToken(env.ADMIN_TOKEN),
    wecomApiBase: readBaseUrl('WECOM_API_BASE', env.WECOM_API_BASE || 'https://qyapi.weixin.qq.com'),
    wecomSsoBase: readBaseUrl('WECOM_SSO_BASE', env.WECOM_SSO_BASE || 'https://open.work.weixin.qq.com'),
    wecomTimeoutMs: readPositiveInt('WECOM_TIMEOUT_MS', env.WECOM_TIMEOUT_MS, 10_000),
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE === '0' ? 0 : readPositiveInt('RATE_LIMIT_PER_MINUTE', env.RATE_LIMIT_PER_MINUTE, 120),
    production,
  };
}

/** Decodes SECRET_KEY; throws ConfigError unless it is base64 of exactly 32 bytes. */
export function decodeSecretKey(value: string): Buffer {
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32 || key.toString('base64') !== value.trim()) {
    throw new ConfigError('SECRET_KEY', 'must be 32 random bytes in base64 (44 characters; `openssl rand -base64 32`).');
  }
  return key;
}

function readPort(value: string | undefined): number {
  if (value === undefined || value === '') return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('PORT', `"${value}" is not a port number.`);
  return port;
}

function readPositiveInt(variable: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(variable, `"${value}" is not a positive whole number.`);
  return n;
}

function readBaseUrl(variable: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(variable, `"${value}" is not an absolute URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(variable, 'must be an http or https URL.');
  if (url.search || url.hash) throw new ConfigError(variable, 'must not have a query or fragment.');
  return url.href.replace(/\/+$/, '');
}

function readAdminToken(value: string | undefined): string | undefined {
  if (!value) return undefined;
  // A short bearer token can be guessed online; demand the strength of a random 128-bit value.
  if (value.length < 16) throw new ConfigError('ADMIN_TOKEN', 'must be at least 16 characters (`openssl rand -base64 24`).');
  return value;
}
