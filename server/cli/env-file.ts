import fs from 'node:fs';
import {ConfigError} from '../settings/config-error.ts';

/** A variable name as systemd and a shell accept it. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Reads an environment file the way systemd's EnvironmentFile= reads it, so that the CLI run with
 * `--env-file /etc/wecom-sp-login/env` sees what the service sees: `NAME=value` lines, blank lines
 * and lines starting with `#` or `;` skipped, white space around the value dropped, and one pair of
 * matching quotes around it removed. No `$` expansion, as in systemd. A line it cannot read is an
 * error naming its number, not a setting silently lost.
 */
export function readEnvironmentFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      '--env-file',
      `${file} could not be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
    );
  }
  const variables: Record<string, string> = {};
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const equals = line.indexOf('=');
    const name = equals > 0 ? line.slice(0, equals).trim() : '';
    if (!NAME.test(name)) throw new ConfigError('--env-file', `${file} line ${index + 1} is not NAME=value.`);
    let value = line.slice(equals + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0])
      value = value.slice(1, -1);
    variables[name] = value;
  }
  return variables;
}
