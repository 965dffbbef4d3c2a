import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {startDemoStack} from '../../demo/demo-stack.ts';
import {createLogger} from '../../server/logger.ts';

function options(databasePath: string, masterKey: Buffer) {
  return {loginPort: 0, simulatorPort: 0, hostPort: 0, databasePath, masterKey, log: createLogger(() => {})};
}

describe('npm start (the demo stack)', () => {
  it('serves three origins and seeds a demo connection that allows the demo site', async () => {
    const demo = await startDemoStack(options(join(mkdtempSync(join(tmpdir(), 'demo-')), 'demo.db'), randomBytes(32)));

    const connection = await demo.store.connections.get('demo');
    const page = await fetch(`${demo.hostUrl}/`);
    const health = await fetch(`${demo.loginUrl}/healthz`);
    const simulator = await fetch(`${demo.simulatorUrl}/sim/admin-console`);
    await demo.close();

    assert.equal(new Set([demo.hostUrl, demo.loginUrl, demo.simulatorUrl].map((url) => new URL(url).origin)).size, 3);
    assert.deepEqual(connection.allowedOrigins, [demo.hostUrl]);
    assert.equal(connection.launchUrl, `${demo.hostUrl}/app`);
    assert.equal(page.headers.get('cross-origin-opener-policy'), 'same-origin-allow-popups');
    assert.match(
      await page.text(),
      new RegExp(`<script type="module" src="${demo.loginUrl}/widget/wecom-sp-login.js">`),
    );
    assert.equal(health.status, 200);
    assert.equal(simulator.status, 200);
  });

  it('reuses the data on a second start and follows the host site to a new port', async () => {
    const databasePath = join(mkdtempSync(join(tmpdir(), 'demo-')), 'demo.db');
    const masterKey = randomBytes(32);
    const first = await startDemoStack(options(databasePath, masterKey));
    await first.store.users.recordLogin(
      'demo',
      {corpId: 'wwcustomer0000001', openUserId: 'woAlice', userId: 'alice', name: 'alice', usertype: 5},
      {allowCreate: true, ip: '127.0.0.1'},
    );
    const tokenOfFirstStart = (await first.store.connections.getForExchange('demo-new')).callbackToken;
    await first.close();

    const second = await startDemoStack(options(databasePath, masterKey));
    const connections = await second.store.connections.list();
    const users = await second.store.users.list('demo', {limit: 10});
    const secondSecrets = await second.store.connections.getForExchange('demo-new');
    const urlCheck = second.simulator.ticketPusher.deliveries[0]!;
    await second.close();

    assert.deepEqual(
      connections.map((c) => c.identifier),
      ['demo', 'demo-new'],
    );
    for (const connection of connections) assert.ok(connection.allowedOrigins.includes(second.hostUrl));
    assert.equal(connections[0]!.launchUrl, `${second.hostUrl}/app`);
    assert.equal(connections[1]!.launchUrl, `${second.hostUrl}/app?flow=service-app`);
    // The new login's callback secrets are made once and kept; the simulator checks the URL with them.
    assert.equal(secondSecrets.callbackToken, tokenOfFirstStart);
    assert.deepEqual([urlCheck.kind, urlCheck.accepted], ['verify', true]);
    assert.deepEqual(
      users.items.map((u) => u.userId),
      ['alice'],
    );
  });
});
