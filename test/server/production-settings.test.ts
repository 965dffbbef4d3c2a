import {addProviderConnection, cliOnServerDatabase} from '../helpers/cli-arguments.ts';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import {runCli} from '../../server/cli/cli.ts';
import {openDatabase} from '../../server/db/sqlite/sqlite-database.ts';
import {environmentExample, environmentTable, environmentVariables} from '../../server/settings/settings-docs.ts';
import {adminRequest, popupParams, readResult, setup} from '../helpers/login-harness.ts';

const PUBLIC_URL = 'https://login.example.test';
const FROM_PROXY = {'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.4'};

describe('behind a TLS proxy (TRUST_PROXY=1, https PUBLIC_URL)', () => {
  it('sets the session cookie with Secure on a popup authorize that came in over https', async () => {
    const {baseUrl} = await setup({publicUrl: PUBLIC_URL, trustProxy: 1});

    const response = await fetch(`${baseUrl}/connections/acme/authorize?${new URLSearchParams(popupParams())}`, {
      headers: FROM_PROXY,
    });

    assert.equal(response.status, 200);
    const cookies = response.headers.getSetCookie();
    assert.ok(cookies.length > 0);
    for (const cookie of cookies) assert.match(cookie, /; secure/i);
  });

  it('sends HSTS on every answer: pages, JSON, errors', async () => {
    const {baseUrl} = await setup({publicUrl: PUBLIC_URL, trustProxy: 1});

    const answers = await Promise.all(
      ['/healthz', '/.well-known/jwks.json', '/nowhere', `/connections/acme/authorize?mode=nope`].map((route) =>
        fetch(`${baseUrl}${route}`, {headers: FROM_PROXY}),
      ),
    );

    assert.deepEqual(
      answers.map((answer) => answer.status),
      [200, 200, 404, 400],
    );
    for (const answer of answers) assert.equal(answer.headers.get('strict-transport-security'), 'max-age=31536000');
  });

  it('sends no HSTS on an http PUBLIC_URL (the demo, a development machine)', async () => {
    const {baseUrl} = await setup();

    const answer = await fetch(`${baseUrl}/healthz`);

    assert.equal(answer.headers.get('strict-transport-security'), null);
  });

  it('sends no Cross-Origin-Opener-Policy on result pages, which must reach their opener', async () => {
    const h = await setup();

    const result = await h.login('alice');

    assert.equal(readResult(result).type, 'wecom-sp-login:success');
    assert.equal(result.headers.get('cross-origin-opener-policy'), null);
  });
});

describe('connections under NODE_ENV=production', () => {
  const connection = (allowedOrigins: string[], launchUrl: string | null = null) => ({
    identifier: 'shop',
    displayName: 'Shop',
    corpId: 'ww0123456789abcdef',
    providerSecret: 'secret-value-1',
    allowedOrigins,
    launchUrl,
  });

  it('refuses a plain-http allowed origin in the admin API, storing nothing', async () => {
    const h = await setup({production: true});

    const refused = await adminRequest(h, 'POST', '/api/connections', connection(['http://shop.example']));
    const listed = await adminRequest(h, 'GET', '/api/connections');

    assert.equal(refused.status, 400);
    assert.equal(refused.json.error.field, 'allowedOrigins');
    assert.match(refused.json.error.message, /NODE_ENV=production/);
    assert.deepEqual(
      listed.json.items.map((item: {identifier: string}) => item.identifier),
      ['acme'],
    );
  });

  it('refuses a plain-http launch URL on update, naming launchUrl', async () => {
    const h = await setup({
      production: true,
      connection: {allowedOrigins: ['https://shop.example'], launchUrl: 'https://shop.example/app'},
    });

    const refused = await adminRequest(h, 'PATCH', '/api/connections/acme', {launchUrl: 'http://shop.example/app'});
    const kept = await adminRequest(h, 'GET', '/api/connections/acme');

    assert.equal(refused.status, 400);
    assert.equal(refused.json.error.field, 'launchUrl');
    assert.equal(kept.json.launchUrl, 'https://shop.example/app');
  });

  it('accepts https sites and plain http on this machine (localhost, 127.0.0.1)', async () => {
    const h = await setup({production: true});

    const created = await adminRequest(
      h,
      'POST',
      '/api/connections',
      connection(
        ['https://shop.example', 'http://localhost:8080', 'http://127.0.0.1:9000'],
        'https://shop.example/app',
      ),
    );

    assert.equal(created.status, 201);
  });

  it('refuses a plain-http origin in the CLI too', async () => {
    const {run} = cliOnServerDatabase('cli-secret', {NODE_ENV: 'production', PUBLIC_URL, TRUST_PROXY: '1'});

    await assert.rejects(
      run(...addProviderConnection('shop', 'http://shop.example')),
      (error: {field?: string}) => error.field === 'allowedOrigins',
    );
  });
});

describe('the data folder', () => {
  it('is created 0700, with the database and its WAL files 0600', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-data-')), 'data');
    const file = path.join(dir, 'wecom-sp-login.db');

    const db = openDatabase(file);
    db.prepare('CREATE TABLE IF NOT EXISTS probe (x)').run();
    const modes = Object.fromEntries(
      fs.readdirSync(dir).map((name) => [name, fs.statSync(path.join(dir, name)).mode & 0o777]),
    );
    db.close();

    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    assert.deepEqual(modes, {
      'wecom-sp-login.db': 0o600,
      'wecom-sp-login.db-shm': 0o600,
      'wecom-sp-login.db-wal': 0o600,
    });
  });

  it('makes an existing world-readable database file 0600', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-data-'));
    const file = path.join(dir, 'old.db');
    fs.writeFileSync(file, '', {mode: 0o644});

    openDatabase(file).close();

    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  });
});

describe('the environment variables', () => {
  const example = fs.readFileSync(new URL('../../deploy/wecom-sp-login.env.example', import.meta.url), 'utf8');
  const settings = environmentVariables().map((variable) => variable.name);

  it('are written to the example environment file from the settings table, word for word', () => {
    assert.equal(example, environmentExample(), 'deploy/wecom-sp-login.env.example is stale: npm run docs:settings');
  });

  it("are all named in the example environment file but PORT, the unit's, and it names nothing else", () => {
    const named = [...example.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]!);

    assert.deepEqual(
      settings.filter((name) => !named.includes(name)),
      ['PORT'],
    );
    assert.deepEqual(
      named.filter((name) => !settings.includes(name)),
      [],
    );
  });

  it('are set in the example environment file to what production needs', () => {
    for (const production of [
      'NODE_ENV=production',
      'PUBLIC_URL=https://',
      'TRUST_PROXY=1',
      'HOST=127.0.0.1',
      'DATABASE_PATH=/var/lib/wecom-sp-login/',
      'SECRET_KEY=replace-with-',
      'ADMIN_TOKEN=replace-with-',
    ])
      assert.match(example, new RegExp(`^${production}`, 'm'));
  });

  it('are left to the example environment file by the systemd unit, which sets only the port', () => {
    const unit = fs.readFileSync(new URL('../../deploy/systemd/wecom-sp-login@.service', import.meta.url), 'utf8');

    assert.deepEqual(
      [...unit.matchAll(/^Environment=([A-Z_]+)=/gm)].map((match) => match[1]),
      ['PORT'],
    );
    assert.match(unit, /^EnvironmentFile=\/etc\/wecom-sp-login\/env$/m);
  });

  it('are all described by `wecom-sp-login serve --help`', async () => {
    const output: string[] = [];

    const code = await runCli(['serve', '--help'], {
      out: (text) => output.push(text),
      readStdin: async () => '',
      env: {},
    });

    assert.equal(code, 0);
    assert.ok(settings.length > 30, `${settings.length} variables`);
    for (const name of settings) assert.match(output.join('\n'), new RegExp(`^  ${name} `, 'm'));
  });

  it("are docs/deploy.md's table, word for word", () => {
    const readme = fs.readFileSync(new URL('../../docs/deploy.md', import.meta.url), 'utf8');

    assert.ok(
      readme.includes(environmentTable()),
      "docs/deploy.md's environment table is stale: npm run docs:settings",
    );
  });
});
