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

describe('wecom-sp-login CLI, service-app connections', () => {
  it('adds one with the Secret from stdin and generated callback secrets shown once, and refuses one without them', async () => {
    const {run, output} = cli('suite-secret-from-stdin\n');
    assert.equal(await run('connections', 'add', '--identifier', 'acme-sa', '--display-name', 'Acme', '--corp-id', 'ww0123456789abcdef', '--flow', 'service-app', '--suite-id', 'wwabcdef0123456789', '--suite-secret-stdin', '--generate-callback-secrets', '--allowed-origin', 'https://shop.example'), 0);
    const printed = output.join('\n');
    assert.match(printed, /flow {12}service-app\nsuiteId {9}wwabcdef0123456789\nsecrets {9}suiteSecret callbackToken encodingAesKey \(set; never shown\)/);
    const [, token, key] = /Token {11}([A-Za-z0-9]{32})\n {2}EncodingAESKey {2}([A-Za-z0-9]{43})/.exec(printed)!;
    assert.ok(token && key);
    assert.equal(printed.includes('suite-secret-from-stdin'), false);
    assert.equal(await run('connections', 'show', 'acme-sa'), 0);
    assert.equal(output.at(-1)!.includes(token!), false, 'shown once, never again');

    await assert.rejects(cli('s').run('connections', 'add', '--identifier', 'half', '--display-name', 'Half', '--corp-id', 'ww0123456789abcdef', '--flow', 'service-app', '--suite-id', 'wwabcdef0123456789', '--suite-secret-stdin'), /callbackToken is required for a service-app connection/);
    assert.equal(await run('suite-ticket', 'clear', 'acme-sa'), 0);
    assert.match(output.at(-1)!, /had no suite_ticket stored/);
    assert.equal(await run('suite-ticket', 'clear'), 1);
    await assert.rejects(cli('s').run('connections', 'add', '--identifier', 'launching', '--display-name', 'Launching', '--corp-id', 'ww0123456789abcdef', '--flow', 'service-app', '--suite-id', 'wwabcdef0123456789', '--suite-secret-stdin', '--generate-callback-secrets', '--allowed-origin', 'https://shop.example', '--launch-url', 'https://shop.example/app'), /providerSecret is required for a service-app connection with a launchUrl/);
    await assert.rejects(cli('s').run('connections', 'add', '--identifier', 'both', '--display-name', 'Both', '--corp-id', 'ww0123456789abcdef', '--provider-secret-stdin', '--suite-secret-stdin'), /Only one secret can come from standard input/);
  });
});

describe('wecom-sp-login CLI, the app suite (logins inside the WeCom client)', () => {
  it('adds it to a connection with its Secret from stdin and generated callback secrets shown once, all or nothing', async () => {
    const {run, dir} = cli('cli-provider-secret\n');
    assert.equal(await run(...ADD), 0);
    // The same database, with the app suite's Secret on standard input this time.
    const output: string[] = [];
    const env = {DATABASE_PATH: path.join(dir, 'db.sqlite'), SECRET_KEY: Buffer.alloc(32, 3).toString('base64')};
    const update = (...extra: string[]) => runCli(['connections', 'update', 'acme', ...extra], {out: (text) => output.push(text), readStdin: async () => 'app-suite-secret-from-stdin\n', env});

    await assert.rejects(update('--app-suite-id', 'wwfedcba9876543210', '--app-suite-secret-stdin'), /appCallbackToken is required with the other app suite fields/);
    await assert.rejects(update('--provider-secret-stdin', '--app-suite-secret-stdin'), /Only one secret can come from standard input/);
    assert.equal(await update('--app-suite-id', 'wwfedcba9876543210', '--app-suite-secret-stdin', '--generate-app-callback-secrets'), 0);

    const printed = output.join('\n');
    assert.match(printed, /secrets {9}providerSecret appSuiteSecret appCallbackToken appEncodingAesKey \(set; never shown\)\nappSuiteId {6}wwfedcba9876543210/);
    assert.match(printed, /网页应用 → 开发信息, for both 指令回调 and 数据回调[^\n]*\n {2}Token {11}[A-Za-z0-9]{32}\n {2}EncodingAESKey {2}[A-Za-z0-9]{43}/);
    assert.equal(printed.includes('app-suite-secret-from-stdin'), false);
  });
});
