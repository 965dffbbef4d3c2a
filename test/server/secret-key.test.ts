import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import {fileURLToPath} from 'node:url';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {runCli} from '../../server/cli/cli.ts';
import {openDatabase} from '../../server/db/sqlite/sqlite-database.ts';
import {createSqliteStore} from '../../server/db/sqlite/sqlite-store.ts';
import {createSealer} from '../../server/db/sealed-columns.ts';
import {createSecretBox} from '../../server/crypto/secret-box.ts';
import {createLogger} from '../../server/logger.ts';
import {createLoginServer} from '../../server/login-server.ts';
import {resultCode, setup} from '../helpers/login-harness.ts';
import {ADD_ACME_CONNECTION} from '../helpers/cli-arguments.ts';
import {createServerDatabase} from '../helpers/server-database.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const key = () => randomBytes(32).toString('base64');

/** Runs the CLI against `databasePath` with `secretKey` (none when undefined); returns exit code and output. */
async function cli(databasePath: string, secretKey: string | undefined, ...argv: string[]) {
  const output: string[] = [];
  let code: number;
  try {
    code = await runCli(argv, {
      out: (text) => output.push(text),
      readStdin: async () => 'a-provider-secret',
      env: {DATABASE_PATH: databasePath, SECRET_KEY: secretKey},
    });
  } catch (error) {
    output.push(String(error));
    code = 1;
  }
  return {code, output: output.join('\n')};
}

/** As cli(), on a database that a first server start has created with `secretKey`. */
async function cliOnNewDatabase(databasePath: string, secretKey: string, ...argv: string[]) {
  await createServerDatabase({DATABASE_PATH: databasePath, SECRET_KEY: secretKey});
  return cli(databasePath, secretKey, ...argv);
}

describe('SECRET_KEY against an existing database', () => {
  it('stops the server with one JSON line naming SECRET_KEY, and no stack, when the key does not match', async () => {
    const databasePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-key-')), 'login.db');
    assert.equal((await cliOnNewDatabase(databasePath, key(), ...ADD_ACME_CONNECTION)).code, 0);

    const server = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/main.ts')], {
      env: {PATH: process.env.PATH, DATABASE_PATH: databasePath, SECRET_KEY: key(), PORT: '0'},
      encoding: 'utf8',
      timeout: 20_000,
    });

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
    await cliOnNewDatabase(databasePath, key(), ...ADD_ACME_CONNECTION);

    const wrong = await cli(databasePath, key(), 'connections', 'list');

    assert.equal(wrong.code, 1);
    assert.match(wrong.output, /SECRET_KEY: does not open the secrets/);
  });

  it('never generates a key beside a database that exists: the CLI stops, naming SECRET_KEY', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-key-'));
    const databasePath = path.join(folder, 'login.db');
    await cliOnNewDatabase(databasePath, key(), ...ADD_ACME_CONNECTION);

    const keyless = await cli(databasePath, undefined, 'connections', 'list');

    assert.equal(keyless.code, 1);
    assert.match(keyless.output, /SECRET_KEY: is not set and .*secret\.key does not exist, but the database .* does/);
    assert.equal(fs.existsSync(path.join(folder, 'secret.key')), false);
  });
});

describe('rotating SECRET_KEY (SECRET_KEY_PREVIOUS, secrets reseal)', () => {
  async function rotatingCli(databasePath: string, current: string, previous?: string, ...argv: string[]) {
    const output: string[] = [];
    const env = {DATABASE_PATH: databasePath, SECRET_KEY: current, ...(previous && {SECRET_KEY_PREVIOUS: previous})};
    const code = await runCli(argv, {out: (text) => output.push(text), readStdin: async () => '', env}).catch(
      (error: Error) => (output.push(error.message), 1),
    );
    return {code, output: output.join('\n')};
  }

  it("re-seals the old key's secrets, after which the new key alone opens the database", async () => {
    const databasePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-key-')), 'login.db');
    const [oldKey, newKey] = [key(), key()];
    await cliOnNewDatabase(databasePath, oldKey, ...ADD_ACME_CONNECTION);

    const newAlone = await rotatingCli(databasePath, newKey, undefined, 'connections', 'list');
    const both = await rotatingCli(databasePath, newKey, oldKey, 'connections', 'list');
    const resealed = await rotatingCli(databasePath, newKey, oldKey, 'secrets', 'reseal');
    const newAfter = await rotatingCli(databasePath, newKey, undefined, 'connections', 'show', 'acme', '--json');
    const oldAfter = await rotatingCli(databasePath, oldKey, undefined, 'connections', 'list');

    assert.equal(newAlone.code, 1);
    assert.match(newAlone.output, /SECRET_KEY: does not open/);
    assert.equal(both.code, 0);
    assert.equal(resealed.code, 0);
    assert.match(resealed.output, /Re-sealed under SECRET_KEY: 1 in connections/);
    assert.equal(newAfter.code, 0);
    assert.equal(oldAfter.code, 1);
  });

  it('finishes a login started under the old key with the new one and SECRET_KEY_PREVIOUS', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-key-'));
    const oldKey = randomBytes(32);
    const h = await setup({databasePath: path.join(folder, 'login.db'), masterKey: oldKey});
    // The login starts on the old-key server: its session cookie is signed with the old key.
    const {qrPage, authorize} = await h.openQrPage();
    const cookie = authorize.headers
      .getSetCookie()
      .map((set) => set.split(';')[0])
      .join('; ');
    const newKey = randomBytes(32);
    const store = createSqliteStore(
      openDatabase(path.join(folder, 'login.db')),
      createSealer(createSecretBox(newKey, [oldKey])),
    );
    const rotated = await createLoginServer({
      store,
      masterKey: newKey,
      previousMasterKeys: [oldKey],
      publicUrl: h.baseUrl,
      wecomApiBase: h.simulatorUrl,
      wecomSsoBase: h.simulatorUrl,
      wecomTimeoutMs: 2_000,
      log: createLogger(() => {}),
    });
    const server = http.createServer(rotated.app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

    // WeCom sends the browser back; this time the callback reaches the rotated server.
    const scanned = await h.browser.get(
      `${h.simulatorUrl}/wwopen/sso/sim/scan?key=${/key=([0-9a-f]+)/.exec(qrPage.text)![1]}&as=alice`,
      qrPage,
    );
    const callback = new URL(scanned.headers.get('location')!);
    const page = await fetch(
      `http://127.0.0.1:${(server.address() as AddressInfo).port}${callback.pathname}${callback.search}`,
      {headers: {cookie}},
    );
    server.close();

    assert.equal(resultCode({status: page.status, headers: page.headers, text: await page.text(), url: ''}), 'success');
  });
});
