import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {runCli} from '../../server/cli/cli.ts';
import {createServerDatabase} from './server-database.ts';

/**
 * The CLI on a fresh database a first `serve` made (the CLI works only on one), in a new folder:
 * `run` takes the arguments, `output` collects what it printed, `stdin` is what it reads.
 */
export function cliOnServerDatabase(stdin = '', extraEnv: Record<string, string> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-cli-'));
  const output: string[] = [];
  const env = {
    DATABASE_PATH: path.join(dir, 'db.sqlite'),
    SECRET_KEY: Buffer.alloc(32, 3).toString('base64'),
    ...extraEnv,
  };
  const created = createServerDatabase(env);
  const run = async (...argv: string[]) => {
    await created;
    return runCli(argv, {out: (text) => output.push(text), readStdin: async () => stdin, env});
  };
  return {run, output, dir, env};
}

/**
 * The CLI arguments that add the connection "acme" (secret read from stdin, one allowed origin),
 * the same in every CLI test so that each reads what it checks, not how the connection was made.
 */
export const ADD_ACME_CONNECTION: readonly string[] = addProviderConnection('acme');

/** The CLI arguments that add a connection named `identifier`, before its flow's own. */
export function addConnection(identifier: string): string[] {
  return [
    'connections',
    'add',
    '--identifier',
    identifier,
    '--display-name',
    'Acme',
    '--corp-id',
    'ww0123456789abcdef',
  ];
}

/** The arguments of a service-app connection's suite (its Secret read from stdin), without callback secrets. */
export const SERVICE_APP_SUITE: readonly string[] = [
  '--flow',
  'service-app',
  '--suite-id',
  'wwabcdef0123456789',
  '--suite-secret-stdin',
];

/** The CLI arguments that add a legacy connection (its ProviderSecret read from stdin) allowing `origin`. */
export function addProviderConnection(identifier: string, origin = 'https://shop.example'): string[] {
  return [...addConnection(identifier), '--provider-secret-stdin', '--allowed-origin', origin];
}

/**
 * The CLI arguments that add a service-app connection named `identifier` (the Secret read from stdin,
 * callback secrets generated, one allowed origin).
 */
export function addServiceAppConnection(identifier: string): string[] {
  return [
    ...addConnection(identifier),
    ...SERVICE_APP_SUITE,
    '--generate-callback-secrets',
    '--allowed-origin',
    'https://shop.example',
  ];
}
