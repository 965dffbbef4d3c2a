import assert from 'node:assert/strict';
import {POSTGRES_MIGRATIONS} from '../../server/db/postgres/postgres-migrations.ts';
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {createLocalJWKSet, jwtVerify} from 'jose';
import pg from 'pg';
import {runCli} from '../../server/cli/cli.ts';
import {ADD_ACME_CONNECTION} from '../helpers/cli-arguments.ts';
import {createServerDatabase} from '../helpers/server-database.ts';
import {createSecretBox} from '../../server/crypto/secret-box.ts';
import {openStore} from '../../server/db/open-store.ts';
import {createPostgresPool} from '../../server/db/postgres/postgres-pool.ts';
import {openDatabase} from '../../server/db/sqlite/sqlite-database.ts';
import {adminRequest, HOST_ORIGIN, readResult, redirectParams, setup, type Harness} from '../helpers/login-harness.ts';
import {startPostgres, type ThrowAwayPostgres} from '../helpers/postgres-server.ts';

// The login server, its admin API and its CLI on PostgreSQL: the same behaviour the SQLite suites
// test, end to end, plus moving a SQLite deployment with `store copy`.

let postgres: ThrowAwayPostgres;
before(async () => {
  postgres = await startPostgres();
});
after(() => postgres?.stop());

async function redeem(h: Harness, ticket: string, verifier?: string) {
  const response = await h.browser.request(`${h.baseUrl}/connections/acme/tickets`, {
    method: 'POST',
    headers: {'content-type': 'application/json', origin: HOST_ORIGIN},
    body: JSON.stringify({ticket, code_verifier: verifier}),
  });
  return {status: response.status, json: JSON.parse(response.text)};
}

const ticketIn = (location: string) => new URLSearchParams(new URL(location).hash.slice(1)).get('wecom_sp_login')!;

describe('the login server on PostgreSQL', () => {
  it('logs in by popup twice as one user, with a token its JWKS verifies', async () => {
    const h = await setup({databaseUrl: await postgres.createDatabase()});

    const first = readResult(await h.login('alice'));
    const second = readResult(await h.login('alice'));

    assert.equal(first.type, 'wecom-sp-login:success');
    assert.equal(
      second.type === 'wecom-sp-login:success' && second.user.id,
      first.type === 'wecom-sp-login:success' && first.user.id,
    );
    const jwks = createLocalJWKSet(await (await fetch(`${h.baseUrl}/.well-known/jwks.json`)).json());
    if (second.type !== 'wecom-sp-login:success') throw new Error('no token');
    const {payload} = await jwtVerify(second.idToken, jwks, {issuer: h.baseUrl, audience: 'acme'});
    assert.equal(payload.sub, second.user.id);
  });

  it('writes login states without waiting for the WAL flush, and users waiting for it', async () => {
    const url = await postgres.createDatabase();
    const h = await setup({databaseUrl: url});
    const {state} = await h.openQrPage();
    const client = new pg.Client(url);
    await client.connect();
    // Each pooled connection's last statement, and whether that connection's commits wait for the disk.
    const lastStatements = async () =>
      (
        await client.query<{application_name: string; query: string}>(
          "SELECT application_name, query FROM pg_stat_activity WHERE application_name LIKE 'wecom-sp-login%'",
        )
      ).rows;
    const ephemeral = await lastStatements();
    await h.scan((await h.openQrPage()).qrPage, 'alice');
    const afterLogin = await lastStatements();
    await client.end();

    assert.ok(state);
    assert.ok(
      ephemeral.some(
        (row) => row.application_name === 'wecom-sp-login (ephemeral)' && row.query.includes('login_transactions'),
      ),
      JSON.stringify(ephemeral),
    );
    assert.ok(
      afterLogin.some((row) => row.application_name === 'wecom-sp-login' && row.query.includes('users')),
      JSON.stringify(afterLogin),
    );
    const settingOf = async (durable: boolean) => {
      const pool = createPostgresPool({url, poolSize: 1, statementTimeoutMs: 5_000, durable});
      const {rows} = await pool.query<{synchronous_commit: string}>('SHOW synchronous_commit');
      await pool.end();
      return rows[0]!.synchronous_commit;
    };
    assert.deepEqual([await settingOf(false), await settingOf(true)], ['off', 'on']);
  });

  it('shows the logins in the admin API: the user, searched, and the audit', async () => {
    const h = await setup({databaseUrl: await postgres.createDatabase()});
    await h.login('alice');
    await h.login('alice');

    const users = await adminRequest(h, 'GET', '/api/connections/acme/users?q=ALICE');
    assert.deepEqual(
      users.json.items.map((user: {loginCount: number}) => user.loginCount),
      [2],
    );
    const audit = await adminRequest(h, 'GET', '/api/audit?event=login_succeeded');
    assert.equal(audit.json.items.length, 2);
  });

  it('redirects with a ticket that redeems once', async () => {
    const h = await setup({databaseUrl: await postgres.createDatabase()});
    const {params, verifier} = redirectParams();
    const {qrPage} = await h.openQrPage(params);
    const back = await h.scan(qrPage, 'alice');
    const ticket = ticketIn(back.headers.get('location')!);

    assert.equal((await redeem(h, ticket, verifier)).status, 200);
    assert.equal((await redeem(h, ticket, verifier)).status, 400);
  });

  it('launches from the admin console', async () => {
    const h = await setup({databaseUrl: await postgres.createDatabase()});
    const consolePage = await h.browser.get(`${h.simulatorUrl}/sim/admin-console`);
    const href = /href="([^"]+as=bob)"/.exec(consolePage.text)![1]!.replaceAll('&amp;', '&');
    const toProvider = await h.browser.get(`${h.simulatorUrl}${href}`, consolePage);
    const landing = await h.browser.get(toProvider.headers.get('location')!, toProvider);
    const launched = await redeem(h, ticketIn(landing.headers.get('location')!));
    assert.equal(launched.status, 200);
    assert.equal(launched.json.user.userId, 'bob');
  });
});

describe('migrations on PostgreSQL', () => {
  it("end with the same tables and columns as SQLite's", async () => {
    const sqlite = openDatabase(':memory:');
    const tables = (
      sqlite
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .all() as Array<{name: string}>
    ).map((row) => row.name);
    const sqliteSchema = tables.map(
      (table) =>
        `${table}(${(sqlite.pragma(`table_info(${table})`) as Array<{name: string}>)
          .map((column) => column.name)
          .sort()
          .join(', ')})`,
    );
    const url = await postgres.createDatabase();
    await (
      await openStore(
        {databasePath: '', databaseUrl: url, databasePoolSize: 2, databaseStatementTimeoutMs: 5_000},
        createSecretBox(randomBytes(32)),
      )
    ).close();
    const client = new pg.Client(url);
    await client.connect();
    const {rows} = await client.query<{
      table_name: string;
      columns: string;
    }>(
      `SELECT table_name, string_agg(column_name::text, ', ' ORDER BY column_name::text) AS columns
      FROM information_schema.columns WHERE table_schema = current_schema() AND table_name <> 'schema_migrations' ` +
        `GROUP BY table_name ORDER BY table_name`,
    );
    await client.end();

    assert.ok(sqliteSchema.length >= 10, sqliteSchema.join('\n'));
    assert.deepEqual(
      rows.map((row) => `${row.table_name}(${row.columns})`),
      sqliteSchema,
    );
  });

  it('lets 8 servers starting together migrate one fresh database once, then refuses one newer than them', async () => {
    const settings = {
      databasePath: '',
      databaseUrl: await postgres.createDatabase(),
      databasePoolSize: 2,
      databaseStatementTimeoutMs: 5_000,
    };
    const box = createSecretBox(randomBytes(32));
    const stores = await Promise.all(Array.from({length: 8}, () => openStore(settings, box)));
    const client = new pg.Client(settings.databaseUrl);
    await client.connect();
    try {
      assert.deepEqual(
        (await client.query('SELECT version FROM schema_migrations ORDER BY version')).rows,
        POSTGRES_MIGRATIONS.map((_, index) => ({version: index + 1})),
      );
      assert.equal(await stores[0]!.unreadiness(), null);
      await client.query('INSERT INTO schema_migrations (version) VALUES (99)');
      assert.match(
        (await stores[0]!.unreadiness())!,
        new RegExp(`schema is version 99, this server's is ${POSTGRES_MIGRATIONS.length}`),
      );
      await assert.rejects(
        openStore(settings, box),
        /DATABASE_URL: postgres:\/\/postgres@127\.0\.0\.1:\d+\/test_\w+: The database schema is version 99, newer than this server \(4\)/,
      );
    } finally {
      await client.end();
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('stops with a message naming DATABASE_URL, password masked, when PostgreSQL cannot be reached', async () => {
    const settings = {
      databasePath: '',
      databaseUrl: 'postgres://app:hunter2hunter2@127.0.0.1:1/none',
      databasePoolSize: 2,
      databaseStatementTimeoutMs: 2_000,
    };
    await assert.rejects(
      openStore(settings, createSecretBox(randomBytes(32))),
      (error: Error) =>
        /^DATABASE_URL: postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/none: /.test(error.message) &&
        !error.message.includes('hunter2'),
    );
  });
});

describe('the CLI on PostgreSQL', () => {
  function cli(databaseUrl: string, secretKey = Buffer.alloc(32, 3).toString('base64'), previous?: string) {
    const output: string[] = [];
    const env = {DATABASE_URL: databaseUrl, SECRET_KEY: secretKey, ...(previous && {SECRET_KEY_PREVIOUS: previous})};
    // The schema a first `serve` made: the CLI gives none to an empty database.
    const created = createServerDatabase(env);
    const run = async (...argv: string[]) => {
      await created;
      return runCli(argv, {out: (text) => output.push(text), readStdin: async () => 'pg-cli-provider-secret\n', env});
    };
    return {run, output};
  }

  it('manages connections and keys, re-seals under a new SECRET_KEY, and sends backups to pg_dump', async () => {
    const url = await postgres.createDatabase();
    const {run, output} = cli(url);
    assert.equal(await run(...ADD_ACME_CONNECTION), 0);
    assert.equal(await run('connections', 'list'), 0);
    assert.match(output.at(-1)!, /^acme\tAcme\tww0123456789abcdef\tlogin-and-register$/);
    assert.equal(await run('keys', 'rotate'), 0);
    assert.equal(await run('keys', 'list'), 0);
    assert.match(output.at(-1)!, /^[A-Za-z0-9_-]{43}\t(ES256|RS256)\t(signing|signs from)/);
    assert.equal(await run('backup', '/tmp/never-written.db'), 1);
    assert.match(output.at(-1)!, /pg_dump/);
    assert.equal(fs.existsSync('/tmp/never-written.db'), false);
    assert.equal(output.join('\n').includes('pg-cli-provider-secret'), false);

    const newKey = randomBytes(32).toString('base64');
    await assert.rejects(
      cli(url, newKey).run('connections', 'list'),
      /SECRET_KEY: does not open the secrets in postgres:\/\/postgres@127\.0\.0\.1/,
    );
    const rotating = cli(url, newKey, Buffer.alloc(32, 3).toString('base64'));
    assert.equal(await rotating.run('secrets', 'reseal'), 0);
    assert.match(
      rotating.output.at(-1)!,
      new RegExp(
        'Re-sealed under SECRET_KEY: 1 in connections, 2 in signing_keys, 0 in access_tokens, 0 in suite_tickets, ' +
          '0 in oidc_clients, 0 in oidc_artifacts',
      ),
    );
    assert.equal(await cli(url, newKey).run('connections', 'show', 'acme'), 0);
  });
});

describe('wecom-sp-login store copy', () => {
  it('moves a SQLite deployment into PostgreSQL: the same users, the same keys', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-copy-'));
    const databasePath = path.join(folder, 'login.db');
    const masterKey = randomBytes(32);
    const before = await setup({databasePath, masterKey});
    const alice = readResult(await before.login('alice'));
    readResult(await before.login('carol'));
    if (alice.type !== 'wecom-sp-login:success') throw new Error('no login');
    const sqliteJwks = await (await fetch(`${before.baseUrl}/.well-known/jwks.json`)).json();

    const url = await postgres.createDatabase();
    const output: string[] = [];
    const copy = (env: Record<string, string>, ...argv: string[]) =>
      runCli(['store', 'copy', ...argv], {
        out: (text) => output.push(text),
        readStdin: async () => `${env.STDIN ?? ''}\n`,
        env,
      });
    // The target's URL holds its password: never an argument.
    await assert.rejects(copy({}, '--from', databasePath, '--to', url), /never from an argument/);
    await assert.rejects(copy({}, '--from', databasePath, `--to=${url}`), /never from an argument/);
    await assert.rejects(copy({}, '--from', databasePath), /needs the target in DATABASE_URL/);
    assert.equal(await copy({DATABASE_URL: url}, '--from', databasePath), 0);
    assert.match(output.join('\n'), /1 connections, 0 oidc_clients, 2 users, .*2 signing_keys, 2 audit_log/);
    await assert.rejects(
      copy({STDIN: url}, '--from', databasePath, '--to-stdin'),
      /is not empty \(connections has rows\)/,
    );
    await assert.rejects(
      copy({DATABASE_URL: await postgres.createDatabase()}, '--from', path.join(folder, 'missing.db')),
      /does not exist/,
    );

    const moved = await setup({databaseUrl: url, masterKey, connection: null});
    assert.deepEqual(await (await fetch(`${moved.baseUrl}/.well-known/jwks.json`)).json(), sqliteJwks);
    const again = readResult(await moved.login('alice'));
    assert.equal(again.type === 'wecom-sp-login:success' && again.user.id, alice.user.id);
    const stored = await moved.store.users.get(alice.user.id);
    assert.equal(stored!.loginCount, 2);
    const newcomer = readResult(await moved.login('bob'));
    assert.equal(newcomer.type, 'wecom-sp-login:success');
    // New rows continue after the copied ids (an upsert that updates still draws a number, so there may be gaps).
    const client = new pg.Client(url);
    await client.connect();
    const seqs = (await client.query<{seq: string}>('SELECT seq FROM users ORDER BY seq')).rows.map((row) =>
      Number(row.seq),
    );
    await client.end();
    assert.deepEqual(seqs.slice(0, 2), [1, 2]);
    assert.ok(seqs[2]! > 2);
    assert.equal(
      (await moved.store.users.list('acme', {limit: 1})).items[0]!.userId,
      'bob',
      'the newcomer pages first',
    );
    assert.equal((await moved.store.audit.list({limit: 10})).items.length, 4);
  });
});

describe("the tests' throw-away PostgreSQL", () => {
  it("counts its backends' CPU for the bench, and keeps a backend's when it has ended", async () => {
    const client = new pg.Client(postgres.url());
    await client.connect();
    const {rows} = await client.query<{pid: number}>('SELECT pg_backend_pid() AS pid');
    const before = postgres.cpuSeconds();
    // About half a second of one backend's CPU on any recent machine, however busy the others are.
    await client.query('SELECT count(*) FROM generate_series(1, 5000000)');
    const whileOpen = postgres.cpuSeconds();
    await client.end();
    // Gone from /proc once the postmaster has reaped it: its time is then in the postmaster's cutime.
    while (fs.existsSync(`/proc/${rows[0]!.pid}`)) await new Promise((resolve) => setTimeout(resolve, 20));
    const afterEnd = postgres.cpuSeconds();
    assert.ok(whileOpen - before >= 0.2, `the query's backend used ${whileOpen - before} s`);
    assert.ok(afterEnd >= whileOpen, `${afterEnd} s after the backend ended, ${whileOpen} s before`);
  });
});
