import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import {ConfigError, loadConfig} from '../../server/config.ts';
import {resolveSecretKey} from '../../server/secret-key.ts';

const KEY = Buffer.alloc(32, 1).toString('base64');

describe('loadConfig', () => {
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
    assert.equal(loadConfig({PUBLIC_URL: 'https://login.example.com/'}).publicUrl, 'https://login.example.com');
  });

  for (const [variable, value] of [['PORT', 'eighty'], ['PORT', '70000'], ['PUBLIC_URL', 'login.example.com'], ['WECOM_API_BASE', 'ftp://x'], ['SECRET_KEY', 'c2hvcnQ='], ['ADMIN_TOKEN', 'short'], ['WECOM_TIMEOUT_MS', '0'], ['RATE_LIMIT_PER_MINUTE', 'lots']]) {
    it(`stops with a message naming ${variable} for "${value}"`, () => {
      assert.throws(() => loadConfig({[variable!]: value}), (error: unknown) => error instanceof ConfigError && error.variable === variable && error.message.startsWith(`${variable}:`));
    });
  }

  it('limits each login route to 120 requests a minute per IP by default, and 0 turns it off', () => {
    assert.equal(loadConfig({}).rateLimitPerMinute, 120);
    assert.equal(loadConfig({RATE_LIMIT_PER_MINUTE: '30'}).rateLimitPerMinute, 30);
    assert.equal(loadConfig({RATE_LIMIT_PER_MINUTE: '0'}).rateLimitPerMinute, 0);
  });

  it('requires SECRET_KEY in production', () => {
    assert.throws(() => loadConfig({NODE_ENV: 'production'}), /SECRET_KEY: is required when NODE_ENV=production/);
    assert.equal(loadConfig({NODE_ENV: 'production', SECRET_KEY: KEY}).production, true);
  });
});

describe('resolveSecretKey', () => {
  it('generates a key once into the data folder, warns, and reuses it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-key-'));
    const warnings: string[] = [];

    const first = resolveSecretKey(undefined, dir, (m) => warnings.push(m));
    const second = resolveSecretKey(undefined, dir, (m) => warnings.push(m));

    assert.equal(first.length, 32);
    assert.deepEqual(first, second);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /SECRET_KEY is not set/);
    assert.equal(fs.statSync(path.join(dir, 'secret.key')).mode & 0o777, 0o600);
  });

  it('prefers SECRET_KEY when set', () => {
    assert.deepEqual(resolveSecretKey(KEY, '/nonexistent', () => assert.fail('no warning expected')), Buffer.alloc(32, 1));
  });
});
