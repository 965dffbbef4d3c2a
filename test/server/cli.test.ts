import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import {runCli} from '../../server/cli/cli.ts';

function cli(stdin = '') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-cli-'));
  const output: string[] = [];
  const env = {DATABASE_PATH: path.join(dir, 'db.sqlite'), SECRET_KEY: Buffer.alloc(32, 3).toString('base64')};
  const run = (...argv: string[]) => runCli(argv, {out: (text) => output.push(text), readStdin: async () => stdin, env});
  return {run, output, dir};
}

const ADD = ['connections', 'add', '--identifier', 'acme', '--display-name', 'Acme', '--corp-id', 'ww0123456789abcdef', '--provider-secret-stdin', '--allowed-origin', 'https://shop.example'];

describe('wecom-sp-login CLI', () => {
  it('adds, lists, shows, updates and removes a connection in the database file', async () => {
    const {run, output} = cli('cli-provider-secret\n');

    assert.equal(await run(...ADD), 0);
    assert.equal(await run('connections', 'update', 'acme', '--login-mode', 'login-only'), 0);
    assert.equal(await run('connections', 'show', 'acme', '--json'), 0);
    const shown = JSON.parse(output.at(-1)!);
    assert.equal(await run('connections', 'list'), 0);
    const listed = output.at(-1)!;
    assert.equal(await run('connections', 'remove', 'acme', '--yes'), 0);

    assert.equal(shown.loginMode, 'login-only');
    assert.match(listed, /^acme\tAcme\tww0123456789abcdef\tlogin-only$/);
    assert.equal(output.join('\n').includes('cli-provider-secret'), false);
  });

  it('keeps the secret out of the database file bytes', async () => {
    const {run, dir} = cli('cli-provider-secret');

    await run(...ADD);
    const bytes = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f)).toString('latin1')).join('');

    assert.equal(bytes.includes('cli-provider-secret'), false);
    assert.equal(bytes.includes('ww0123456789abcdef'), true);
  });

  it('applies the same validation as the admin API', async () => {
    const {run} = cli('secret');

    await assert.rejects(run('connections', 'add', '--identifier', 'Not_Valid', '--display-name', 'x', '--corp-id', 'ww0123456789abcdef', '--provider-secret-stdin'), /identifier must be/);
  });

  it('asks for --yes before removing', async () => {
    const {run, output} = cli('secret');
    await run(...ADD);

    assert.equal(await run('connections', 'remove', 'acme'), 1);
    assert.match(output.at(-1)!, /--yes/);
  });

  it('prints help for every command', async () => {
    const {run, output} = cli();

    for (const args of [['--help'], ['serve', '--help'], ['connections', '--help'], ...['add', 'list', 'show', 'update', 'remove'].map((c) => ['connections', c, '--help'])]) {
      assert.equal(await run(...args), 0, args.join(' '));
      assert.match(output.at(-1)!, /^Usage: wecom-sp-login/);
    }
  });
});
