import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {ConfigError} from './settings/config-error.ts';
import {decodeSecretKey} from './settings/setting-readers.ts';

/**
 * Returns the master key: SECRET_KEY when set, else (outside production only) the key in
 * `<data folder>/secret.key`, generated once with owner-only permissions when `generate` (the
 * server; the CLI never makes a key, which would seal into a database no server reads). Never
 * generated beside a database that already exists: that database was sealed with some other key.
 */
export function resolveSecretKey(
  secretKeyBase64: string | undefined,
  databasePath: string,
  warn: (message: string) => void,
  {generate = true}: {generate?: boolean} = {},
): Buffer {
  if (secretKeyBase64) return decodeSecretKey(secretKeyBase64);
  const dataDir = path.dirname(databasePath);
  const file = path.join(dataDir, 'secret.key');
  if (fs.existsSync(file)) return decodeSecretKey(fs.readFileSync(file, 'utf8').trim());
  if (databasePath !== ':memory:' && fs.existsSync(databasePath)) {
    throw new ConfigError(
      'SECRET_KEY',
      `is not set and ${file} does not exist, but the database ${databasePath} does: set SECRET_KEY to the ` +
        `key it was created with.`,
    );
  }
  if (!generate) {
    throw new ConfigError(
      'SECRET_KEY',
      `is not set and ${file} does not exist. Only "serve" makes a key: run this command with the ` +
        `service's settings (--env-file /etc/wecom-sp-login/env).`,
    );
  }
  fs.mkdirSync(dataDir, {recursive: true, mode: 0o700});
  const generated = randomBytes(32).toString('base64');
  // 'wx' fails if another process created the file meanwhile; then that process's key wins.
  try {
    fs.writeFileSync(file, `${generated}\n`, {mode: 0o600, flag: 'wx'});
    warn(`SECRET_KEY is not set: generated one into ${file}. Set SECRET_KEY in production.`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return decodeSecretKey(fs.readFileSync(file, 'utf8').trim());
}
