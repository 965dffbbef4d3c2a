import fs from 'node:fs';
import {ConfigError} from './settings/config-error.ts';
import {fileVariables, readSettings, type Settings} from './settings/settings.ts';

/** Everything the server reads from its environment, validated: server/settings/settings.ts describes each. */
export interface Config extends Settings {
  /** PUBLIC_URL, or `http://localhost:$PORT` when unset. */
  publicUrl: string;
}

/** Reads and validates the configuration from environment variables. Throws ConfigError. */
export function loadConfig(rawEnv: Record<string, string | undefined>): Config {
  const settings = readSettings(withFileVariables(rawEnv));
  const config = {...settings, publicUrl: settings.publicUrl ?? `http://localhost:${settings.port}`};
  checkCombinations(config);
  return config;
}

/** The rules that tie settings together; each message names the variable to change. */
function checkCombinations(config: Config): void {
  if (config.secretKeyBase64 === undefined && config.production) {
    throw new ConfigError(
      'SECRET_KEY',
      'is required when NODE_ENV=production (32 random bytes, base64: `openssl rand -base64 32`).',
    );
  }
  if (config.databaseUrl !== undefined && config.secretKeyBase64 === undefined) {
    // With SQLite a key can be generated beside the file; a shared database has no such place, and
    // every server on it must use the same key.
    throw new ConfigError(
      'SECRET_KEY',
      'is required with DATABASE_URL: every server sharing the database needs the same key ' +
        '(`openssl rand -base64 32`).',
    );
  }
  const https = config.publicUrl.startsWith('https:');
  // The server speaks plain http; in production TLS ends at a reverse proxy, which must be trusted
  // for the https scheme (secure cookies) and the visitor's address (rate limits, audit).
  if (config.production && !https)
    throw new ConfigError(
      'PUBLIC_URL',
      'must be the https URL visitors use when NODE_ENV=production ' +
        '(TLS ends at the reverse proxy; see docs/deploy.md).',
    );
  if (config.production && config.trustProxy === 0)
    throw new ConfigError(
      'TRUST_PROXY',
      'must be the number of reverse proxies in front of the server (1 for one nginx or Caddy) when ' +
        'NODE_ENV=production.',
    );
  // An https PUBLIC_URL means TLS ends at a proxy; without trusting it the server sees every request
  // as http and refuses its own Secure cookies (a 500 on login).
  if (https && config.trustProxy === 0) {
    throw new ConfigError(
      'TRUST_PROXY',
      'must be set with an https PUBLIC_URL: TLS ends at a reverse proxy, so set TRUST_PROXY to the number ' +
        'of them (1 for one nginx or Caddy).',
    );
  }
}

/**
 * `env` with each NAME_FILE of a secret setting read into NAME (its final line break dropped). Both set is an error.
 */
function withFileVariables(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const resolved = {...env};
  for (const name of fileVariables()) {
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
