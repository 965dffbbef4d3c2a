import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import {runCli} from '../../server/cli/cli.ts';
import {resultCode, setup} from '../helpers/login-harness.ts';

describe('wecom-sp-login backup', () => {
  it('copies the database while the server runs into one file that a fresh server, given the same key, logs in from', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-backup-'));
    const masterKey = randomBytes(32);
    const live = await setup({databasePath: path.join(folder, 'live.db'), masterKey});
    await live.login('alice');
    const output: string[] = [];
    const backupFile = path.join(folder, 'copy', 'backup.db');
    fs.mkdirSync(path.dirname(backupFile));

    const code = await runCli(['backup', backupFile], {out: (text) => output.push(text), readStdin: async () => '', env: {DATABASE_PATH: path.join(folder, 'live.db')}});
    const besideIt = fs.readdirSync(path.dirname(backupFile));
    const restored = await setup({databasePath: backupFile, masterKey, connection: null});
    const login = await restored.login('alice');

    assert.equal(code, 0);
    assert.match(output.join('\n'), /Keep SECRET_KEY/);
    assert.equal(fs.statSync(backupFile).mode & 0o777, 0o600);
    assert.deepEqual(besideIt, ['backup.db'], 'one self-contained file');
    assert.equal(resultCode(login), 'success');
    const users = (await restored.store.users.list('acme', {limit: 10})).items;
    assert.deepEqual(users.map((user) => user.userId), ['alice'], 'the restored user, not a new one');
  });

  it('refuses to overwrite an existing file', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-backup-'));
    await setup({databasePath: path.join(folder, 'live.db')});
    fs.writeFileSync(path.join(folder, 'taken.db'), 'keep me');

    await assert.rejects(runCli(['backup', path.join(folder, 'taken.db')], {out: () => {}, readStdin: async () => '', env: {DATABASE_PATH: path.join(folder, 'live.db')}}), /exists already/);
    assert.equal(fs.readFileSync(path.join(folder, 'taken.db'), 'utf8'), 'keep me');
  });
});
