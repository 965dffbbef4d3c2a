import {addProviderConnection, cliOnServerDatabase} from '../helpers/cli-arguments.ts';
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {adminRequest, resultCode, setup} from '../helpers/login-harness.ts';

// The simulator's users all belong to this enterprise.
const CUSTOMER = 'wwcustomer0000001';
const OTHER = 'wwothercustomer01';

describe('allowedCorpIds: which enterprises may log in', () => {
  it('admits any enterprise when empty, as before', async () => {
    const h = await setup();

    assert.equal(resultCode(await h.login('alice')), 'success');
  });

  it('refuses a user of another enterprise with login_not_allowed, writing no user, in the QR login', async () => {
    const h = await setup({connection: {allowedCorpIds: [OTHER]}});

    const page = await h.login('alice');

    assert.equal(resultCode(page), 'login_not_allowed');
    assert.equal((await h.store.users.list('acme', {limit: 10})).items.length, 0);
  });

  it('refuses them in the admin-console launch too', async () => {
    const h = await setup({connection: {allowedCorpIds: [OTHER]}});

    const landing = await h.browser.get(
      `${h.baseUrl}/connections/acme/launch?auth_code=${h.simulator.issueAuthCode('bob')}`,
    );

    assert.match(landing.headers.get('location')!, /#wecom_sp_login_error=login_not_allowed$/);
    assert.equal((await h.store.users.list('acme', {limit: 10})).items.length, 0);
  });

  it('admits a user of a listed enterprise', async () => {
    const h = await setup({connection: {allowedCorpIds: [OTHER, CUSTOMER]}});

    assert.equal(resultCode(await h.login('alice')), 'success');
  });

  it('is set and validated through the admin API', async () => {
    const h = await setup();

    const bad = await adminRequest(h, 'PATCH', '/api/connections/acme', {allowedCorpIds: ['not a corp id']});
    const good = await adminRequest(h, 'PATCH', '/api/connections/acme', {allowedCorpIds: [CUSTOMER, CUSTOMER]});
    const cleared = await adminRequest(h, 'PATCH', '/api/connections/acme', {allowedCorpIds: []});

    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.field, 'allowedCorpIds');
    assert.deepEqual(good.json.allowedCorpIds, [CUSTOMER]);
    assert.deepEqual(cleared.json.allowedCorpIds, []);
  });

  it('is set and cleared with the CLI', async () => {
    const {run, output} = cliOnServerDatabase('cli-secret');

    await run(...addProviderConnection('shop'), '--allowed-corp-id', CUSTOMER, '--allowed-corp-id', OTHER, '--json');
    const added = JSON.parse(output.at(-1)!);
    await run('connections', 'update', 'shop', '--any-corp', '--json');
    const cleared = JSON.parse(output.at(-1)!);

    assert.deepEqual(added.allowedCorpIds, [CUSTOMER, OTHER]);
    assert.deepEqual(cleared.allowedCorpIds, []);
  });
});
