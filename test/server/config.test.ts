import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import {loadConfig} from '../../server/config.ts';
import {ConfigError} from '../../server/settings/config-error.ts';
import {redactDatabaseUrl} from '../../server/db/postgres/postgres-pool.ts';
import {resolveSecretKey} from '../../server/secret-key.ts';

const KEY = Buffer.alloc(32, 1).toString('base64');

describe('loadConfig', () => {
  it('selects PostgreSQL with DATABASE_URL, and SQLite without', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://app:pa55word@db.internal:5432/login',
      SECRET_KEY: KEY,
      DATABASE_POOL_SIZE: '4',
    });

    assert.deepEqual(
      [config.databaseUrl, config.databasePoolSize, config.databaseStatementTimeoutMs],
      ['postgres://app:pa55word@db.internal:5432/login', 4, 5_000],
    );
    assert.equal(loadConfig({}).databaseUrl, undefined);
  });

  it('requires SECRET_KEY beside DATABASE_URL, naming SECRET_KEY', () => {
    assert.throws(
      () => loadConfig({DATABASE_URL: 'postgres://app@db.internal/login'}),
      (error: ConfigError) => error.variable === 'SECRET_KEY' && /DATABASE_URL/.test(error.message),
    );
  });

  it('refuses a DATABASE_URL that is not PostgreSQL without repeating it', () => {
    for (const refused of ['mysql://app:pa55word@db/login', 'pa55word']) {
      assert.throws(
        () => loadConfig({DATABASE_URL: refused, SECRET_KEY: KEY}),
        (error: ConfigError) => error.variable === 'DATABASE_URL' && !error.message.includes('pa55word'),
      );
    }
  });

  it('masks the password of a database URL wherever the URL is shown', () => {
    assert.equal(
      redactDatabaseUrl('postgres://app:pa55word@db.internal:5432/login'),
      'postgres://app:***@db.internal:5432/login',
    );
    assert.equal(
      redactDatabaseUrl('postgresql://db.internal/login?user=app&password=pa55word'),
      'postgresql://db.internal/login?user=app&password=***',
    );
    assert.equal(redactDatabaseUrl('postgres://app@db.internal/login'), 'postgres://app@db.internal/login');
    assert.doesNotMatch(redactDatabaseUrl('postgres://app:pa55 word@@'), /pa55/);
  });

  it('has working defaults with no variables at all', () => {
    const config = loadConfig({});

    assert.equal(config.port, 3000);
    assert.equal(config.publicUrl, 'http://localhost:3000');
    assert.equal(config.databasePath, path.resolve('data/wecom-sp-login.db'));
    assert.equal(config.wecomApiBase, 'https://qyapi.weixin.qq.com');
    assert.equal(config.wecomSsoBase, 'https://open.work.weixin.qq.com');
    assert.equal(config.adminToken, undefined);
  });

  it('derives PUBLIC_URL from PORT and drops a trailing slash', () => {
    assert.equal(loadConfig({PORT: '4100'}).publicUrl, 'http://localhost:4100');
    assert.equal(
      loadConfig({PUBLIC_URL: 'https://login.example.com/', TRUST_PROXY: '1'}).publicUrl,
      'https://login.example.com',
    );
  });

  it('stops at an https PUBLIC_URL without TRUST_PROXY in every mode, naming TRUST_PROXY', () => {
    for (const NODE_ENV of [undefined, 'development', 'production']) {
      assert.throws(
        () => loadConfig({NODE_ENV, SECRET_KEY: KEY, PUBLIC_URL: 'https://login.example.com'}),
        (error: unknown) => error instanceof ConfigError && error.variable === 'TRUST_PROXY',
        String(NODE_ENV),
      );
    }
    assert.equal(loadConfig({PUBLIC_URL: 'http://login.example.com'}).trustProxy, 0);
  });

  for (const [variable, value] of [
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['PUBLIC_URL', 'login.example.com'],
    ['WECOM_API_BASE', 'ftp://x'],
    ['SECRET_KEY', 'c2hvcnQ='],
    ['WECOM_TIMEOUT_MS', '0'],
    ['RATE_LIMIT_PER_MINUTE', 'lots'],
    ['TRUST_PROXY', '-1'],
    ['TRUST_PROXY', 'yes'],
    ['HOST', 'a b'],
    ['RATE_LIMIT_EXEMPT', '10.0.0.0/33'],
    ['RATE_LIMIT_EXEMPT', 'office'],
    ['MAX_CONNECTIONS', '0'],
    ['WECOM_MAX_CONNECTIONS', 'many'],
    ['DATABASE_POOL_SIZE', '0'],
    ['DATABASE_STATEMENT_TIMEOUT_MS', 'soon'],
  ]) {
    it(`stops with a message naming ${variable} for "${value}"`, () => {
      assert.throws(
        () => loadConfig({[variable!]: value}),
        (error: unknown) =>
          error instanceof ConfigError && error.variable === variable && error.message.startsWith(`${variable}:`),
      );
    });
  }

  describe('bearer tokens that must look random', () => {
    const placeholder = /^ADMIN_TOKEN=(.+)$/m.exec(
      fs.readFileSync(new URL('../../deploy/wecom-sp-login.env.example', import.meta.url), 'utf8'),
    )![1]!;
    const weak = [
      '1234567890123456',
      'password12345678',
      'changeme-changeme',
      'qwertyuiop123456',
      'Admin@1234567890',
      'aaaaaaaaaaaaaaaaaaaaaaaa',
      '1212121212121212',
      placeholder,
      // The same habits at full length.
      '1234567890123456789012345',
      'password12345678password',
      'changeme-changeme-changeme',
      'Xq9!qwertyuiop#Lm2@Zp7$',
      'Admin@1234567890Admin@12',
      'Zk3vR8wq!fedcba-Lp2xN6mT',
      'Tz8!asdfgh-Kq3vP9wx2Ln5m',
    ];
    for (const variable of ['ADMIN_TOKEN', 'METRICS_TOKEN']) {
      it(`stops at a guessable ${variable} with one line naming it and the command to make a good one`, () => {
        for (const value of weak) {
          assert.throws(
            () => loadConfig({[variable]: value}),
            (error: unknown) =>
              error instanceof ConfigError &&
              error.variable === variable &&
              error.message.startsWith(`${variable}: `) &&
              error.message.includes('openssl rand -base64 24') &&
              !error.message.includes('\n'),
            value,
          );
        }
      });
    }

    it('takes what `openssl rand -base64 24` and `openssl rand -hex 16` print', () => {
      // Outputs of those commands, and 2,000 more made the same way here.
      const printed = [
        '8529E0dzPEnhwrYGfpUKm2PdyT7JQz25',
        'wyDpCHxWfEWytTSEW2ESk/YP+BnJzf/W',
        'ec07ee068b4b87616bedc211536e347e',
        '91e5ac69a6ca3143a0b16c5d2a2d0b7d',
      ];
      const generated = Array.from({length: 2000}, () => randomBytes(24).toString('base64'));

      for (const value of [...printed, ...generated])
        assert.equal(loadConfig({ADMIN_TOKEN: value, METRICS_TOKEN: value}).adminToken, value);
    });
  });

  it('gives each client a bucket of 600 per login route by default', () => {
    assert.equal(loadConfig({}).rateLimitPerMinute, 600);
    assert.equal(loadConfig({RATE_LIMIT_PER_MINUTE: '30'}).rateLimitPerMinute, 30);
  });

  it('turns the rate limiter off with RATE_LIMIT_PER_MINUTE=0', () => {
    assert.equal(loadConfig({RATE_LIMIT_PER_MINUTE: '0'}).rateLimitPerMinute, 0);
  });

  it('reads HOST, TRUST_PROXY and the exempt addresses', () => {
    const config = loadConfig({
      HOST: '127.0.0.1',
      TRUST_PROXY: '2',
      RATE_LIMIT_EXEMPT: '203.0.113.7, 198.51.100.0/24,2001:db8::/32',
    });

    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.trustProxy, 2);
    assert.deepEqual(config.rateLimitExempt, ['203.0.113.7', '198.51.100.0/24', '2001:db8::/32']);
    assert.equal(loadConfig({}).host, undefined);
    assert.equal(loadConfig({}).trustProxy, 0);
  });

  describe('with NODE_ENV=production', () => {
    const production = {
      NODE_ENV: 'production',
      SECRET_KEY: KEY,
      PUBLIC_URL: 'https://login.example.com',
      TRUST_PROXY: '1',
    };

    it('starts with a secret key, an https PUBLIC_URL and a trusted proxy', () => {
      const config = loadConfig(production);

      assert.equal(config.production, true);
      assert.equal(config.publicUrl, 'https://login.example.com');
    });

    it('requires SECRET_KEY', () => {
      assert.throws(
        () => loadConfig({...production, SECRET_KEY: undefined}),
        /^ConfigError: SECRET_KEY: is required when NODE_ENV=production/,
      );
    });

    it('refuses a missing or plain-http PUBLIC_URL, naming PUBLIC_URL', () => {
      assert.throws(
        () => loadConfig({...production, PUBLIC_URL: undefined}),
        (error: unknown) =>
          error instanceof ConfigError && error.variable === 'PUBLIC_URL' && /https/.test(error.message),
      );
      assert.throws(
        () => loadConfig({...production, PUBLIC_URL: 'http://login.example.com'}),
        (error: unknown) => error instanceof ConfigError && error.variable === 'PUBLIC_URL',
      );
    });

    it('refuses TRUST_PROXY=0: TLS ends at a proxy that must be trusted for the scheme and the client address', () => {
      assert.throws(
        () => loadConfig({...production, TRUST_PROXY: '0'}),
        (error: unknown) => error instanceof ConfigError && error.variable === 'TRUST_PROXY',
      );
    });
  });
});

describe('resolveSecretKey', () => {
  it('generates a key once into the data folder, warns, and reuses it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-key-'));
    const warnings: string[] = [];

    const first = resolveSecretKey(undefined, path.join(dir, 'db.sqlite'), (m) => warnings.push(m));
    const second = resolveSecretKey(undefined, path.join(dir, 'db.sqlite'), (m) => warnings.push(m));

    assert.equal(first.length, 32);
    assert.deepEqual(first, second);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /SECRET_KEY is not set/);
    assert.equal(fs.statSync(path.join(dir, 'secret.key')).mode & 0o777, 0o600);
  });

  it('prefers SECRET_KEY when set', () => {
    assert.deepEqual(
      resolveSecretKey(KEY, '/nonexistent', () => assert.fail('no warning expected')),
      Buffer.alloc(32, 1),
    );
  });
});

describe('secrets from files (*_FILE), as container and Kubernetes secrets are mounted', () => {
  it("reads each secret's _FILE, dropping the final line break", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-files-'));
    const write = (name: string, value: string) => {
      fs.writeFileSync(path.join(dir, name), value, {mode: 0o600});
      return path.join(dir, name);
    };
    const key = Buffer.alloc(32, 7).toString('base64');

    const config = loadConfig({
      SECRET_KEY_FILE: write('secret-key', `${key}\n`),
      ADMIN_TOKEN_FILE: write('admin-token', 'Qm7vXc2LpR9tWz4KfJ8sNd3H\n'),
      METRICS_TOKEN_FILE: write('metrics-token', 'Gt5nYb8RkW2qLx7VmC4pZs9E'),
      DATABASE_URL_FILE: write('database-url', 'postgres://login:pw@db.internal:5432/login\r\n'),
    });

    assert.equal(config.secretKeyBase64, key);
    assert.equal(config.adminToken, 'Qm7vXc2LpR9tWz4KfJ8sNd3H');
    assert.equal(config.metricsToken, 'Gt5nYb8RkW2qLx7VmC4pZs9E');
    assert.equal(config.databaseUrl, 'postgres://login:pw@db.internal:5432/login');
  });

  it('refuses a variable given both ways, naming its _FILE', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-files-'));
    fs.writeFileSync(path.join(dir, 'token'), 'Qm7vXc2LpR9tWz4KfJ8sNd3H');

    assert.throws(
      () => loadConfig({ADMIN_TOKEN: 'Qm7vXc2LpR9tWz4KfJ8sNd3H', ADMIN_TOKEN_FILE: path.join(dir, 'token')}),
      /ADMIN_TOKEN_FILE: and ADMIN_TOKEN are both set/,
    );
  });

  it('refuses a file it cannot read, naming the _FILE variable', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-files-'));
    assert.throws(
      () => loadConfig({SECRET_KEY_FILE: path.join(dir, 'missing')}),
      /SECRET_KEY_FILE: .*missing could not be read \(ENOENT\)/,
    );
  });

  it("checks a file's value as the variable's own, naming the variable", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-files-'));
    fs.writeFileSync(path.join(dir, 'token'), 'Qm7vXc2LpR9tWz4KfJ8sNd3H');

    assert.throws(
      () => loadConfig({ADMIN_TOKEN_FILE: path.join(dir, 'token'), SECRET_KEY_FILE: path.join(dir, 'token')}),
      /SECRET_KEY: must be 32 random bytes/,
    );
  });
});
