import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import {createSecretBox} from '../../server/crypto/secret-box.ts';
import {ADMIN_TOKEN, PROVIDER_SECRET, adminRequest, popupParams, setup} from '../helpers/login-harness.ts';
import {assertNoneIn} from '../helpers/absence.ts';

describe('secrets stay on the login server', () => {
  it('appear in no response, no log line and not in the database file bytes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-sp-login-'));
    const databasePath = path.join(dir, 'test.db');
    const h = await setup({databasePath});
    // Every path that touches the secret or the provider token: logins, failures, admin reads, the check.
    await h.login('alice');
    await h.login('bob', {...popupParams(), mode: 'embedded'});
    h.simulator.revokeTokens(42001);
    await h.login('carol');
    h.simulator.fail('get_login_info', {errcode: 45009});
    await h.login('alice');
    h.simulator.fail('get_provider_token', {malformed: true});
    h.simulator.revokeTokens(40014);
    await h.login('alice');
    await adminRequest(h, 'GET', '/api/connections');
    await adminRequest(h, 'GET', '/api/connections/acme');
    await adminRequest(h, 'POST', '/api/connections/acme/check');
    await adminRequest(h, 'GET', '/api/audit');
    await adminRequest(h, 'PATCH', '/api/connections/acme', {providerSecret: `${PROVIDER_SECRET}-rotated`});
    h.simulator.setIpWhitelist([]);
    await adminRequest(h, 'POST', '/api/connections/acme/check');
    const providerToken = h.simulator.issueProviderToken('wwprovider00000001').token;
    h.db.pragma('wal_checkpoint(TRUNCATE)');

    const responses = h.browser.responses.map((r) => `${[...r.headers].join('\n')}\n${r.text}`).join('\n');
    const logs = h.logs.join('\n');
    const files = fs
      .readdirSync(dir)
      .map((f) => fs.readFileSync(path.join(dir, f)).toString('latin1'))
      .join('');

    const secrets = [PROVIDER_SECRET, providerToken, ADMIN_TOKEN];
    assertNoneIn(responses, 'secretsSet', secrets, 'the responses');
    assertNoneIn(logs, '"route":"/api/connections/:identifier/check"', secrets, 'the log');
    assert.equal(files.includes(PROVIDER_SECRET), false, 'the database holds the ProviderSecret in plaintext');
    assert.equal(files.includes(providerToken), false, 'the database holds the provider token in plaintext');
    assert.ok(files.includes('acme'), 'the scan reads the real database file');
    assert.equal(/"d":"/.test(files), false, 'the database holds a private signing key in plaintext');
  });

  it('returns no stack trace or internal message when something breaks', async () => {
    const h = await setup();
    h.db.exec('DROP TABLE audit_log');

    const page = await h.login('alice');
    const api = await adminRequest(h, 'GET', '/api/audit');

    assert.equal(api.status, 500);
    assert.deepEqual(api.json, {
      error: {code: 'server_error', message: 'Something went wrong on the login server. Please try again.'},
    });
    assert.doesNotMatch(page.text + api.text, /SqliteError|no such table|at .*\.ts:\d+/);
    assert.ok(
      h.logs.some((line) => line.includes('no such table')),
      'the cause is logged for the operator',
    );
  });
});

describe('SecretBox', () => {
  const key = Buffer.alloc(32, 7);

  it('opens what it sealed', () => {
    const box = createSecretBox(key);

    assert.equal(box.open(box.seal('秘密 secret', 'ctx'), 'ctx'), '秘密 secret');
  });

  it('refuses a value moved to another context (row)', () => {
    const box = createSecretBox(key);

    assert.throws(() => box.open(box.seal('secret', 'connection:a'), 'connection:b'));
  });

  it('refuses a tampered value', () => {
    const box = createSecretBox(key);
    const sealed = box.seal('secret', 'ctx');
    // The second-to-last character: every one of its bits is data, so changing it always changes a byte.
    const tampered = `${sealed.slice(0, -2)}${sealed.at(-2) === 'A' ? 'B' : 'A'}${sealed.slice(-1)}`;

    assert.notEqual(tampered, sealed);
    assert.throws(() => box.open(tampered, 'ctx'));
  });

  it('refuses a value sealed under another master key', () => {
    assert.throws(() => createSecretBox(Buffer.alloc(32, 8)).open(createSecretBox(key).seal('secret', 'ctx'), 'ctx'));
  });
});
