import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import Database from 'better-sqlite3';
import {ADD_ACME_CONNECTION, cliOnServerDatabase} from '../helpers/cli-arguments.ts';

const ADD_GRAFANA = [
  'oidc-clients',
  'add',
  '--client-id',
  'grafana',
  '--name',
  'Grafana',
  '--connection',
  'acme',
  '--redirect-uri',
  'https://grafana.example.com/login/generic_oauth',
  '--allowed-corp-id',
  'wwcustomer0000001',
];

describe('wecom-sp-login oidc-clients', () => {
  it('adds a client, printing its secret this once, then lists and shows it without', async () => {
    const {run, output} = cliOnServerDatabase('cli-provider-secret\n');
    await run(...ADD_ACME_CONNECTION);

    assert.equal(await run(...ADD_GRAFANA, '--json'), 0);
    const added = JSON.parse(output.at(-1)!) as {clientSecret: string; clientId: string};
    assert.equal(await run('oidc-clients', 'list'), 0);
    const listed = output.at(-1)!;
    assert.equal(await run('oidc-clients', 'show', 'grafana'), 0);
    const shown = output.at(-1)!;

    assert.match(added.clientSecret, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(listed, 'grafana\tGrafana\tacme');
    assert.match(shown, /^enterprises: +wwcustomer0000001$/m);
    for (const text of [listed, shown]) assert.equal(text.includes(added.clientSecret), false);
  });

  it('rotates a secret and removes a client, each audited', async () => {
    const {run, output, env} = cliOnServerDatabase('cli-provider-secret\n');
    await run(...ADD_ACME_CONNECTION);
    await run(...ADD_GRAFANA);
    const firstSecret = /^client secret: +(\S+)$/m.exec(output.at(-1)!)![1];

    assert.equal(await run('oidc-clients', 'rotate-secret', 'grafana'), 0);
    const secondSecret = /^client secret: +(\S+)$/m.exec(output.at(-1)!)![1];
    assert.equal(await run('oidc-clients', 'remove', 'grafana'), 0);
    const missing = await run('oidc-clients', 'show', 'grafana').catch((error: Error) => error.message);

    assert.notEqual(secondSecret, firstSecret);
    assert.match(String(missing), /No OpenID client has this id/);
    const db = new Database(env.DATABASE_PATH, {readonly: true});
    const audited = db.prepare("SELECT event, detail FROM audit_log WHERE event LIKE 'oidc_client%' ORDER BY id").all();
    db.close();
    assert.deepEqual(audited, [
      {event: 'oidc_client_created', detail: 'client: grafana (via CLI)'},
      {event: 'oidc_client_secret_rotated', detail: 'client: grafana (via CLI)'},
      {event: 'oidc_client_deleted', detail: 'client: grafana (via CLI)'},
    ]);
  });

  it('refuses a client the API would refuse, naming the field', async () => {
    const {run} = cliOnServerDatabase('cli-provider-secret\n');
    await run(...ADD_ACME_CONNECTION);

    const refused = await run(...ADD_GRAFANA, '--redirect-uri', 'javascript:alert(1)').catch(
      (error: Error) => error.message,
    );

    assert.match(String(refused), /javascript:alert\(1\)/);
  });

  it('prints its help for no subcommand, and with --help', async () => {
    const {run, output} = cliOnServerDatabase();

    assert.equal(await run('oidc-clients'), 1);
    assert.equal(await run('oidc-clients', 'add', '--help'), 0);

    assert.match(output.at(-1)!, /^Usage: wecom-sp-login oidc-clients/);
  });
});
