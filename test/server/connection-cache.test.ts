import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import {createSecretBox} from '../../server/crypto/secret-box.ts';
import {CONNECTION_CACHE_TTL_MS} from '../../server/db/connection-cache.ts';
import {openDatabase} from '../../server/db/sqlite/sqlite-database.ts';
import {createSealer} from '../../server/db/sealed-columns.ts';
import {createSqliteStore} from '../../server/db/sqlite/sqlite-store.ts';
import {UnknownConnection} from '../../server/errors.ts';

const INPUT = {
  identifier: 'acme',
  displayName: 'Acme',
  corpId: 'wwprovider00000001',
  providerSecret: 'secret-one',
  callbackUrl: '',
  loginMode: 'login-and-register',
  usertype: 'member',
  allowedOrigins: ['https://shop.example'],
  launchUrl: null,
} as const;

/** Two stores on one database file, as two server processes have; both on one fake clock. */
function twoProcesses() {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-connection-cache-')), 'test.db');
  const box = createSecretBox(randomBytes(32));
  const clock = {time: 1_000_000};
  const now = () => clock.time;
  return {
    clock,
    here: createSqliteStore(openDatabase(file), createSealer(box), now),
    there: createSqliteStore(openDatabase(file), createSealer(box), now),
  };
}

describe('connection reads cache', () => {
  it('applies a change made through this store at once', async () => {
    const {here} = twoProcesses();
    await here.connections.create({...INPUT, allowedOrigins: [...INPUT.allowedOrigins]});
    assert.deepEqual((await here.connections.get('acme')).allowedOrigins, ['https://shop.example']);

    await here.connections.update('acme', {allowedOrigins: ['https://other.example'], providerSecret: 'secret-two'});

    assert.deepEqual((await here.connections.get('acme')).allowedOrigins, ['https://other.example']);
    assert.equal((await here.connections.getForExchange('acme')).providerSecret, 'secret-two');
    await here.connections.remove('acme');
    await assert.rejects(here.connections.get('acme'), UnknownConnection);
  });

  it("applies another process's change within the cache lifetime, not after it", async () => {
    const {clock, here, there} = twoProcesses();
    await here.connections.create({...INPUT, allowedOrigins: [...INPUT.allowedOrigins]});
    await here.connections.get('acme');

    await there.connections.update('acme', {allowedOrigins: ['https://other.example']});
    clock.time += CONNECTION_CACHE_TTL_MS - 1;
    assert.deepEqual((await here.connections.get('acme')).allowedOrigins, ['https://shop.example'], 'still cached');
    clock.time += 1;
    assert.deepEqual((await here.connections.get('acme')).allowedOrigins, ['https://other.example']);

    await there.connections.remove('acme');
    clock.time += CONNECTION_CACHE_TTL_MS;
    await assert.rejects(here.connections.getForExchange('acme'), UnknownConnection);
  });

  it('never caches an unknown connection, and hands out read-only copies', async () => {
    const {here, there} = twoProcesses();
    await assert.rejects(here.connections.get('acme'), UnknownConnection);
    await there.connections.create({...INPUT, allowedOrigins: [...INPUT.allowedOrigins]});
    const connection = await here.connections.get('acme');
    assert.equal(connection.identifier, 'acme', 'created elsewhere, seen at once');
    assert.equal('providerSecret' in connection, false, 'get never carries the secret');
    assert.throws(() => (connection.allowedOrigins as string[]).push('https://evil.example'));
    assert.deepEqual((await here.connections.get('acme')).allowedOrigins, ['https://shop.example']);
  });
});
