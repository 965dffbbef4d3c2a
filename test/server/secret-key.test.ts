import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import {fileURLToPath} from 'node:url';
import {runCli} from '../../server/cli/cli.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const key = () => randomBytes(32).toString('base64');

/** Runs the CLI against `databasePath` with `secretKey` (none when undefined); returns exit code and output. */
async function cli(databasePath: string, secretKey: string | undefined, ...argv: string[]) {
  const output: string[] = [];
  let code: number;
  try {
    code = await runCli(argv, {out: (text) => output.push(text), readStdin: async () => 'a-provider-secret', env: {DATABASE_PATH: databasePath, SECRET_KEY: secretKey}});
  } catch (error) {
    output.push(String(error));
    code = 1;
  }
  return {code, output: output.join('\n')};
}

const ADD = ['connections', 'add', '--identifier', 'acme', '--display-name', 'Acme', '--corp-id', 'ww0123456789abcdef', '--provider-secret-stdin', '--allowed-origin', 'https://shop.example'];

describe('SECRET_KEY against an existing database', () => {
  it('stops the server with one JSON line naming SECRET_KEY, and no stack, when the key does not match', async () => {
    const databasePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-key-')), 'login.db');
    assert.equal((await cli(databasePath, key(), ...ADD)).code, 0);

    const server = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/main.ts')], {env: {PATH: process.env.PATH, DATABASE_PATH: databasePath, SECRET_KEY: key(), PORT: '0'}, encoding: 'utf8', timeout: 20_000});

    assert.equal(server.status, 1);
    const lines = server.stderr.trim().split('\n');
    assert.equal(lines.length, 1, server.stderr);
    const line = JSON.parse(lines[0]!);
    assert.equal(line.level, 'error');
    assert.equal(line.variable, 'SECRET_KEY');
    assert.match(line.message, /^Configuration error: SECRET_KEY: does not open the secrets/);
    assert.doesNotMatch(server.stderr, /\n\s+at |Unsupported state/);
  });

  it('stops the CLI too, naming SECRET_KEY', async () => {
    const databasePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-key-')), 'login.db');
    await cli(databasePath, key(), ...ADD);

    const wrong = await cli(databasePath, key(), 'connections', 'list');

    assert.equal(wrong.code, 1);
    assert.match(wrong.output, /SECRET_KEY: does not open the secrets/);
  });

  it('never generates a key beside a database that exists: the CLI stops, naming SECRET_KEY', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-key-'));
    const databasePath = path.join(folder, 'login.db');
    await cli(databasePath, key(), ...ADD);

    const keyless = await cli(databasePath, undefined, 'connections', 'list');

    assert.equal(keyless.code, 1);
    assert.match(keyless.output, /SECRET_KEY: is not set and .*secret\.key does not exist, but the database .* does/);
    assert.equal(fs.existsSync(path.join(folder, 'secret.key')), false);
  });
});
