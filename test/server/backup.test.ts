import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import {runCli} from '../../server/cli/cli.ts';
import {resultCode, setup} from '../helpers/login-harness.ts';

describe('wecom-sp-login backup', () => {
  it('copies the live database into one file a fresh server logs in from with the same key', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-backup-'));
    const masterKey = randomBytes(32);
    const live = await setup({databasePath: path.join(folder, 'live.db'), masterKey});
    await live.login('alice');
    const output: string[] = [];
    const backupFile = path.join(folder, 'copy', 'backup.db');
    fs.mkdirSync(path.dirname(backupFile));

    const code = await runCli(['backup', backupFile], {
      out: (text) => output.push(text),
      readStdin: async () => '',
      env: {DATABASE_PATH: path.join(folder, 'live.db')},
    });
    const besideIt = fs.readdirSync(path.dirname(backupFile));
    const restored = await setup({databasePath: backupFile, masterKey, connection: null});
    const login = await restored.login('alice');

    assert.equal(code, 0);
    assert.match(output.join('\n'), /Keep SECRET_KEY/);
    assert.equal(fs.statSync(backupFile).mode & 0o777, 0o600);
    assert.deepEqual(besideIt, ['backup.db'], 'one self-contained file');
    assert.equal(resultCode(login), 'success');
    const users = (await restored.store.users.list('acme', {limit: 10})).items;
    assert.deepEqual(
      users.map((user) => user.userId),
      ['alice'],
      'the restored user, not a new one',
    );
  });

  it('refuses to overwrite an existing file', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-backup-'));
    await setup({databasePath: path.join(folder, 'live.db')});
    fs.writeFileSync(path.join(folder, 'taken.db'), 'keep me');

    await assert.rejects(
      runCli(['backup', path.join(folder, 'taken.db')], {
        out: () => {},
        readStdin: async () => '',
        env: {DATABASE_PATH: path.join(folder, 'live.db')},
      }),
      /exists already/,
    );
    assert.equal(fs.readFileSync(path.join(folder, 'taken.db'), 'utf8'), 'keep me');
  });

  it('on a schedule (--dir, --keep) names copies by UTC time and keeps the newest N', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-backup-'));
    await setup({databasePath: path.join(folder, 'live.db')});
    const backups = path.join(folder, 'backups');
    fs.mkdirSync(backups);
    fs.writeFileSync(path.join(backups, 'notes.txt'), 'not a backup: never removed');
    let time = Date.UTC(2026, 11, 2, 3, 15, 0);

    for (let day = 0; day < 4; day++, time += 86_400_000) {
      const code = await runCli(['backup', '--dir', backups, '--keep', '2'], {
        out: () => {},
        readStdin: async () => '',
        env: {DATABASE_PATH: path.join(folder, 'live.db')},
        now: () => time,
      });
      assert.equal(code, 0);
    }

    assert.deepEqual(fs.readdirSync(backups).sort(), [
      'notes.txt',
      'wecom-sp-login-20261204T031500Z.db',
      'wecom-sp-login-20261205T031500Z.db',
    ]);
    assert.equal(fs.statSync(path.join(backups, 'wecom-sp-login-20261205T031500Z.db')).mode & 0o777, 0o600);
  });
});
