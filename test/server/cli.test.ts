import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import {runCli} from '../../server/cli/cli.ts';
import {readEnvironmentFile} from '../../server/cli/env-file.ts';
import {
  ADD_ACME_CONNECTION,
  addConnection,
  addServiceAppConnection,
  cliOnServerDatabase,
  SERVICE_APP_SUITE,
} from '../helpers/cli-arguments.ts';
import {assertNoneIn} from '../helpers/absence.ts';
import {createServerDatabase} from '../helpers/server-database.ts';

const cli = cliOnServerDatabase;

describe('wecom-sp-login CLI', () => {
  it('adds a connection and lists it, tab-separated', async () => {
    const {run, output} = cli('cli-provider-secret\n');

    assert.equal(await run(...ADD_ACME_CONNECTION), 0);
    assert.equal(await run('connections', 'list'), 0);

    assert.match(output.at(-1)!, /^acme\tAcme\tww0123456789abcdef\tlogin-and-register$/);
  });

  it('updates a connection, which shows changed', async () => {
    const {run, output} = cli('cli-provider-secret\n');
    await run(...ADD_ACME_CONNECTION);

    assert.equal(await run('connections', 'update', 'acme', '--login-mode', 'login-only'), 0);
    assert.equal(await run('connections', 'show', 'acme', '--json'), 0);

    assert.equal(JSON.parse(output.at(-1)!).loginMode, 'login-only');
  });

  it('removes a connection', async () => {
    const {run, output} = cli('cli-provider-secret\n');
    await run(...ADD_ACME_CONNECTION);

    assert.equal(await run('connections', 'remove', 'acme', '--yes'), 0);
    await run('connections', 'list');

    assert.doesNotMatch(output.at(-1)!, /^acme\t/m);
  });

  it('never prints the secret it read', async () => {
    const {run, output} = cli('cli-provider-secret\n');

    await run(...ADD_ACME_CONNECTION);
    await run('connections', 'show', 'acme', '--json');
    await run('connections', 'list');

    assertNoneIn(output.join('\n'), '"identifier": "acme"', ['cli-provider-secret'], 'the output');
  });

  it('keeps the secret out of the database file bytes', async () => {
    const {run, dir} = cli('cli-provider-secret');

    await run(...ADD_ACME_CONNECTION);
    const bytes = fs
      .readdirSync(dir)
      .map((f) => fs.readFileSync(path.join(dir, f)).toString('latin1'))
      .join('');

    assert.equal(bytes.includes('cli-provider-secret'), false);
    assert.equal(bytes.includes('ww0123456789abcdef'), true);
  });

  it('applies the same validation as the admin API', async () => {
    const {run} = cli('secret');

    await assert.rejects(
      run(
        'connections',
        'add',
        '--identifier',
        'Not_Valid',
        '--display-name',
        'x',
        '--corp-id',
        'ww0123456789abcdef',
        '--provider-secret-stdin',
      ),
      /identifier must be/,
    );
  });

  it('asks for --yes before removing', async () => {
    const {run, output} = cli('secret');
    await run(...ADD_ACME_CONNECTION);

    assert.equal(await run('connections', 'remove', 'acme'), 1);
    assert.match(output.at(-1)!, /--yes/);
  });

  it('prints help for every command', async () => {
    const {run, output} = cli();

    for (const args of [
      ['--help'],
      ['serve', '--help'],
      ['connections', '--help'],
      ...['add', 'list', 'show', 'update', 'remove'].map((c) => ['connections', c, '--help']),
    ]) {
      assert.equal(await run(...args), 0, args.join(' '));
      assert.match(output.at(-1)!, /^Usage: wecom-sp-login/);
    }
  });
});

describe('wecom-sp-login CLI, service-app connections', () => {
  it('adds one with the Secret from stdin, never printing it', async () => {
    const {run, output} = cli('suite-secret-from-stdin\n');

    assert.equal(await run(...addServiceAppConnection('acme-sa')), 0);

    const printed = output.join('\n');
    assert.match(
      printed,
      /flow {12}service-app\nsuiteId {9}wwabcdef0123456789\nsecrets {9}suiteSecret callbackToken encodingAesKey \(set; never shown\)/,
    );
    assertNoneIn(printed, 'acme-sa', ['suite-secret-from-stdin'], 'the output');
  });

  it('shows the generated callback secrets once, never again', async () => {
    const {run, output} = cli('suite-secret-from-stdin\n');
    await run(...addServiceAppConnection('acme-sa'));
    const [, token, key] = /Token {11}([A-Za-z0-9]{32})\n {2}EncodingAESKey {2}([A-Za-z0-9]{43})/.exec(
      output.join('\n'),
    )!;

    assert.equal(await run('connections', 'show', 'acme-sa'), 0);

    assert.ok(token && key);
    assertNoneIn(output.at(-1)!, 'acme-sa', [token!, key!], 'connections show');
  });

  it('refuses one without callback secrets', async () => {
    await assert.rejects(
      cli('s').run(...addConnection('half'), ...SERVICE_APP_SUITE),
      /callbackToken is required for a service-app connection/,
    );
  });

  it('refuses one with a launch URL and no ProviderSecret', async () => {
    await assert.rejects(
      cli('s').run(...addServiceAppConnection('launching'), '--launch-url', 'https://shop.example/app'),
      /providerSecret is required for a service-app connection with a launchUrl/,
    );
  });

  it('refuses two secrets from standard input', async () => {
    await assert.rejects(
      cli('s').run(...addConnection('both'), '--provider-secret-stdin', '--suite-secret-stdin'),
      /Only one secret can come from standard input/,
    );
  });

  it('clears the suite_ticket of a connection, saying there was none, and wants the connection named', async () => {
    const {run, output} = cli('suite-secret-from-stdin\n');
    await run(...addServiceAppConnection('acme-sa'));

    assert.equal(await run('suite-ticket', 'clear', 'acme-sa'), 0);
    assert.match(output.at(-1)!, /had no suite_ticket stored/);
    assert.equal(await run('suite-ticket', 'clear'), 1);
  });
});

describe('wecom-sp-login CLI, the app suite (logins inside the WeCom client)', () => {
  it('adds it to a connection, all or nothing, showing its callback secrets once', async () => {
    const {run, dir} = cli('cli-provider-secret\n');
    assert.equal(await run(...ADD_ACME_CONNECTION), 0);
    // The same database, with the app suite's Secret on standard input this time.
    const output: string[] = [];
    const env = {DATABASE_PATH: path.join(dir, 'db.sqlite'), SECRET_KEY: Buffer.alloc(32, 3).toString('base64')};
    const update = (...extra: string[]) =>
      runCli(['connections', 'update', 'acme', ...extra], {
        out: (text) => output.push(text),
        readStdin: async () => 'app-suite-secret-from-stdin\n',
        env,
      });

    await assert.rejects(
      update('--app-suite-id', 'wwfedcba9876543210', '--app-suite-secret-stdin'),
      /appCallbackToken is required with the other app suite fields/,
    );
    await assert.rejects(
      update('--provider-secret-stdin', '--app-suite-secret-stdin'),
      /Only one secret can come from standard input/,
    );
    assert.equal(
      await update(
        '--app-suite-id',
        'wwfedcba9876543210',
        '--app-suite-secret-stdin',
        '--generate-app-callback-secrets',
      ),
      0,
    );

    const printed = output.join('\n');
    assert.match(
      printed,
      /secrets {9}providerSecret appSuiteSecret appCallbackToken appEncodingAesKey \(set; never shown\)\nappSuiteId {6}wwfedcba9876543210/,
    );
    assert.match(
      printed,
      /网页应用 → 开发信息, for both 指令回调 and 数据回调[^\n]*\n {2}Token {11}[A-Za-z0-9]{32}\n {2}EncodingAESKey {2}[A-Za-z0-9]{43}/,
    );
    assert.equal(printed.includes('app-suite-secret-from-stdin'), false);
  });
});

describe('wecom-sp-login CLI, run as the service runs it', () => {
  const settings = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-cli-'));
    return {
      dir,
      env: {DATABASE_PATH: path.join(dir, 'data', 'login.db'), SECRET_KEY: Buffer.alloc(32, 5).toString('base64')},
    };
  };
  const runWith = async (env: Record<string, string | undefined>, ...argv: string[]) => {
    const output: string[] = [];
    const notes: string[] = [];
    const code = await runCli(argv, {
      out: (text) => output.push(text),
      note: (text) => notes.push(text),
      readStdin: async () => 'cli-provider-secret',
      env,
    }).catch((error: Error) => (output.push(`${error.name}: ${error.message}`), 1));
    return {code, output: output.join('\n'), notes};
  };

  it("creates no database and no key: without the service's settings it stops, naming what is missing", async () => {
    const {dir, env} = settings();
    const noDatabase = await runWith(env, ...ADD_ACME_CONNECTION);
    const noKey = await runWith({DATABASE_PATH: env.DATABASE_PATH}, 'connections', 'list');

    assert.equal(noDatabase.code, 1);
    assert.match(
      noDatabase.output,
      /DATABASE_PATH: there is no database at .*login\.db\. Only "serve" creates one: .*--env-file/,
    );
    assert.equal(noKey.code, 1);
    assert.match(noKey.output, /SECRET_KEY: is not set and .*secret\.key does not exist\. Only "serve" makes a key/);
    assert.deepEqual(fs.readdirSync(dir), [], 'no data folder, no database, no key');
  });

  it('reads --env-file as systemd reads EnvironmentFile=, saying which database it used', async () => {
    const {dir, env} = settings();
    await createServerDatabase(env);
    const file = path.join(dir, 'env');
    fs.writeFileSync(
      file,
      `# the service's settings\n; also a comment\n\nDATABASE_PATH="${env.DATABASE_PATH}"\n  SECRET_KEY = ` +
        `'${env.SECRET_KEY}'  \nLOG_LEVEL=warn\n`,
    );

    const added = await runWith({}, '--env-file', file, ...ADD_ACME_CONNECTION);
    const listed = await runWith({DATABASE_PATH: '/nowhere/else.db'}, `--env-file=${file}`, 'connections', 'list');
    const broken = path.join(dir, 'broken');
    fs.writeFileSync(broken, 'DATABASE_PATH\n');

    assert.equal(added.code, 0, added.output);
    assert.deepEqual(added.notes, [`database: ${env.DATABASE_PATH}`]);
    assert.match(listed.output, /^acme\tAcme/, "the file wins over the shell, as the unit's EnvironmentFile does");
    assert.deepEqual(readEnvironmentFile(file).LOG_LEVEL, 'warn');
    fs.writeFileSync(broken, 'PUBLIC_URL=http://localhost:$PORT\n');
    assert.equal(readEnvironmentFile(broken).PUBLIC_URL, 'http://localhost:$PORT', 'no $ expansion');
    fs.writeFileSync(broken, 'DATABASE_PATH\n');
    await assert.rejects(
      runCli(['--env-file', broken, 'connections', 'list'], {out: () => {}, readStdin: async () => '', env: {}}),
      /--env-file: .*broken line 1 is not NAME=value/,
    );
    await assert.rejects(
      runCli(['--env-file', path.join(dir, 'missing'), 'connections', 'list'], {
        out: () => {},
        readStdin: async () => '',
        env: {},
      }),
      /--env-file: .*missing could not be read \(ENOENT\)/,
    );
  });

  it('prints its version', async () => {
    const version = await runWith({}, '--version');

    const manifest = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    assert.equal(version.output, `wecom-sp-login ${manifest.version}`);
  });

  it('checks a configuration without starting or writing anything, saying what serve will find', async () => {
    const {dir, env} = settings();

    const fresh = await runWith(env, 'config', 'check');
    await createServerDatabase(env);
    const created = await runWith(env, 'config', 'check');

    assert.equal(fresh.code, 0);
    assert.match(
      fresh.output,
      /the settings are valid[\s\S]*database {7}SQLite .*login\.db: none yet \("serve" creates it/,
    );
    assert.match(created.output, /database {7}SQLite .*login\.db: schema \d+, this release's/);
    assert.deepEqual(
      fs.readdirSync(path.join(dir, 'data')).sort(),
      ['login.db', 'login.db-shm', 'login.db-wal'].filter((file) => fs.existsSync(path.join(dir, 'data', file))),
    );
  });

  it('fails a configuration check on a bad value, naming the variable', async () => {
    const {env} = settings();

    const bad = await runWith({...env, PORT: 'eighty'}, 'config', 'check');

    assert.equal(bad.code, 1);
    assert.match(bad.output, /PORT/);
  });
});
