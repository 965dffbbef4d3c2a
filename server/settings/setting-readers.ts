import {BlockList, isIP} from 'node:net';
import path from 'node:path';
import {tokenWeakness} from '../crypto/token-strength.ts';
import {LOG_LEVELS, type LogLevel} from '../logger.ts';
import {addToBlockList} from '../network.ts';
import {ConfigError} from './config-error.ts';

/**
 * Reads one variable's text into its value; `text` is undefined when the variable is unset or empty.
 * Throws ConfigError naming `variable`.
 */
export type SettingReader<T> = (text: string | undefined, variable: string) => T;

/** A whole number from 1 up, `fallback` when unset. */
export function positiveInteger(fallback: number): SettingReader<number> {
  return (text, variable) => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n <= 0) throw new ConfigError(variable, `"${text}" is not a positive whole number.`);
    return n;
  };
}

/** A whole number from 0 to `max`, `fallback` when unset. */
export function wholeNumber(fallback: number, max: number): SettingReader<number> {
  return (text, variable) => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!/^[0-9]+$/.test(text) || n > max)
      throw new ConfigError(variable, `"${text}" is not a whole number from 0 to ${max}.`);
    return n;
  };
}

/** A TCP port (0 picks a free one), `fallback` when unset. */
export function port(fallback: number): SettingReader<number> {
  return (text, variable) => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(variable, `"${text}" is not a port number.`);
    return n;
  };
}

/** An http(s) base URL without query, fragment or trailing slash; `fallback` when unset. */
export function baseUrl<T extends string | undefined>(fallback: T): SettingReader<string | T> {
  return (text, variable) => (text === undefined ? fallback : readBaseUrl(variable, text));
}

/** A file path, resolved against the working directory. */
export function filePath(fallback: string): SettingReader<string> {
  return (text) => path.resolve(text ?? fallback);
}

/** An IP address or host name to listen on; undefined (every interface) when unset. */
export const listenHost: SettingReader<string | undefined> = (text, variable) => {
  if (text === undefined) return undefined;
  if (isIP(text) || /^[A-Za-z0-9.-]{1,253}$/.test(text)) return text;
  throw new ConfigError(variable, `"${text}" is not an IP address or host name.`);
};

/** Comma-separated addresses and CIDRs. */
export const addressList: SettingReader<string[]> = (text, variable) => {
  const entries = (text ?? '')
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
};

/** LOG_LEVEL: one of LOG_LEVELS, `info` when unset. */
export const logLevel: SettingReader<LogLevel> = (text, variable) => {
  if (text === undefined) return 'info';
  if ((LOG_LEVELS as readonly string[]).includes(text)) return text as LogLevel;
  throw new ConfigError(variable, `"${text}" is not one of ${LOG_LEVELS.join(', ')}.`);
};

/** A bearer token that must look random; undefined when unset. */
export const bearerToken: SettingReader<string | undefined> = (text, variable) => {
  if (text === undefined) return undefined;
  // Guessing is throttled, but a token a person picked falls in a handful of guesses.
  const weakness = tokenWeakness(text);
  if (weakness !== null)
    throw new ConfigError(
      variable,
      `${weakness}: use a random one, such as the output of \`openssl rand -base64 24\`.`,
    );
  return text;
};

/** SECRET_KEY: kept as its base64 text once checked; undefined when unset. */
export const secretKey: SettingReader<string | undefined> = (text, variable) => {
  if (text !== undefined) decodeSecretKey(text, variable);
  return text;
};

/** SECRET_KEY_PREVIOUS: the decoded key before a rotation, as a list (empty when unset). */
export const previousSecretKeys: SettingReader<Buffer[]> = (text, variable) =>
  text === undefined ? [] : [decodeSecretKey(text, variable)];

/** DATABASE_URL: a postgres: or postgresql: URL; undefined when unset. */
export const databaseUrl: SettingReader<string | undefined> = (text, variable) => {
  if (text === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    // Falls through: the message below must not repeat a value that may hold a password.
  }
  if (url?.protocol !== 'postgres:' && url?.protocol !== 'postgresql:') {
    throw new ConfigError(
      variable,
      'must be a PostgreSQL URL: postgres://user:password@host:5432/database (unset it to use the SQLite ' +
        'file at DATABASE_PATH).',
    );
  }
  return text;
};

/** NODE_ENV: true when it is `production`. */
export const productionFlag: SettingReader<boolean> = (text) => text === 'production';

/** Decodes SECRET_KEY (or `variable`); throws ConfigError unless it is base64 of exactly 32 bytes. */
export function decodeSecretKey(value: string, variable = 'SECRET_KEY'): Buffer {
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32 || key.toString('base64') !== value.trim()) {
    throw new ConfigError(variable, 'must be 32 random bytes in base64 (44 characters; `openssl rand -base64 32`).');
  }
  return key;
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
