import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {ADMIN_TOKEN, HOST_ORIGIN, PROVIDER_CORP_ID, adminRequest, setup} from '../helpers/login-harness.ts';

const NEW_CONNECTION = {
  identifier: 'globex-2',
  displayName: 'Globex',
  corpId: 'wwglobex000000001',
  providerSecret: 'globex-provider-secret-value',
  allowedOrigins: ['https://globex.example'],
  launchUrl: 'https://globex.example/launch',
};

describe('admin API authentication', () => {
  it('answers 503 with how to enable it when ADMIN_TOKEN is not set', async () => {
    const h = await setup({adminToken: null});

    const response = await adminRequest(h, 'GET', '/api/connections');

    assert.equal(response.status, 503);
    assert.equal(response.json.error.code, 'admin_disabled');
    assert.match(response.json.error.message, /ADMIN_TOKEN/);
  });

  it('answers 401 to a missing or wrong bearer token', async () => {
    const h = await setup();

    const wrong = await adminRequest(h, 'GET', '/api/connections', undefined, `${ADMIN_TOKEN}x`);
    const missing = await h.browser.request(`${h.baseUrl}/api/connections`);

    assert.equal(wrong.status, 401);
    assert.equal(missing.status, 401);
    assert.equal(JSON.parse(missing.text).error.code, 'unauthorized');
  });
});

describe('admin API connections', () => {
  it('creates a connection with member logins that may register by default', async () => {
    const h = await setup();

    const created = await adminRequest(h, 'POST', '/api/connections', NEW_CONNECTION);

    assert.equal(created.status, 201);
    assert.equal(created.json.usertype, 'member');
    assert.equal(created.json.loginMode, 'login-and-register');
  });

  it('lists connections in identifier order', async () => {
    const h = await setup();
    await adminRequest(h, 'POST', '/api/connections', NEW_CONNECTION);

    const listed = await adminRequest(h, 'GET', '/api/connections');

    assert.deepEqual(
      listed.json.items.map((c: {identifier: string}) => c.identifier),
      ['acme', 'globex-2'],
    );
  });

  it('updates the fields given and answers the connection, which reads back changed', async () => {
    const h = await setup();
    await adminRequest(h, 'POST', '/api/connections', NEW_CONNECTION);

    const updated = await adminRequest(h, 'PATCH', '/api/connections/globex-2', {
      displayName: 'Globex 2',
      loginMode: 'login-only',
    });
    const read = await adminRequest(h, 'GET', '/api/connections/globex-2');

    assert.equal(updated.json.displayName, 'Globex 2');
    assert.equal(read.json.loginMode, 'login-only');
  });

  it('deletes a connection, which is then unknown', async () => {
    const h = await setup();
    await adminRequest(h, 'POST', '/api/connections', NEW_CONNECTION);

    const deleted = await adminRequest(h, 'DELETE', '/api/connections/globex-2');
    const gone = await adminRequest(h, 'GET', '/api/connections/globex-2');

    assert.equal(deleted.status, 204);
    assert.equal(gone.status, 404);
    assert.equal(gone.json.error.code, 'unknown_connection');
  });

  it('never returns the provider secret', async () => {
    const h = await setup();

    await adminRequest(h, 'POST', '/api/connections', NEW_CONNECTION);
    await adminRequest(h, 'PATCH', '/api/connections/globex-2', {providerSecret: 'rotated-secret-value-0001'});
    const bodies = h.browser.responses.map((r) => r.text).join('\n');

    assert.doesNotMatch(bodies, /globex-provider-secret-value|rotated-secret-value-0001|"providerSecret":/);
  });

  for (const [identifier, why] of [
    ['Acme', 'upper case'],
    ['a_b', 'underscore'],
    ['', 'empty'],
    ['a'.repeat(32), '32 characters'],
    ['ab cd', 'space'],
  ] as const) {
    it(`refuses the identifier "${identifier.slice(0, 10)}" (${why}) with a field error`, async () => {
      const h = await setup();

      const response = await adminRequest(h, 'POST', '/api/connections', {...NEW_CONNECTION, identifier});

      assert.equal(response.status, 400);
      assert.equal(response.json.error.code, 'invalid_request');
      assert.equal(response.json.error.field, 'identifier');
    });
  }

  it('refuses a duplicate identifier with 409', async () => {
    const h = await setup();

    const response = await adminRequest(h, 'POST', '/api/connections', {...NEW_CONNECTION, identifier: 'acme'});

    assert.equal(response.status, 409);
    assert.equal(response.json.error.code, 'conflict');
  });

  it('refuses to change the identifier', async () => {
    const h = await setup();

    const response = await adminRequest(h, 'PATCH', '/api/connections/acme', {identifier: 'renamed'});

    assert.equal(response.status, 400);
    assert.equal(response.json.error.field, 'identifier');
    assert.equal((await adminRequest(h, 'GET', '/api/connections/acme')).status, 200);
  });

  for (const origin of [
    'https://shop.example/',
    'https://shop.example/path',
    'shop.example',
    'ftp://shop.example',
    'https://user@shop.example',
  ]) {
    it(`refuses the allowed origin "${origin}"`, async () => {
      const h = await setup();

      const response = await adminRequest(h, 'POST', '/api/connections', {
        ...NEW_CONNECTION,
        allowedOrigins: [origin],
        launchUrl: null,
      });

      assert.equal(response.status, 400);
      assert.equal(response.json.error.field, 'allowedOrigins');
    });
  }

  it('refuses a launch URL outside the allowed origins, on create and on update, and changes nothing', async () => {
    const h = await setup();

    const create = await adminRequest(h, 'POST', '/api/connections', {
      ...NEW_CONNECTION,
      launchUrl: 'https://evil.example/launch',
    });
    const update = await adminRequest(h, 'PATCH', '/api/connections/acme', {
      allowedOrigins: ['https://elsewhere.example'],
    });

    assert.equal(create.json.error.field, 'launchUrl');
    assert.equal(update.json.error.field, 'launchUrl');
    assert.deepEqual((await adminRequest(h, 'GET', '/api/connections/acme')).json.allowedOrigins, [HOST_ORIGIN]);
    assert.equal((await adminRequest(h, 'GET', '/api/connections')).json.items.length, 1);
  });

  it('refuses unknown fields, including prototype-pollution keys', async () => {
    const h = await setup();

    const proto = await adminRequest(
      h,
      'POST',
      '/api/connections',
      `{"__proto__": {"admin": true}, ${JSON.stringify(NEW_CONNECTION).slice(1)}`,
    );
    const constructorKey = await adminRequest(h, 'POST', '/api/connections', {
      ...NEW_CONNECTION,
      constructor: {prototype: {admin: true}},
    });
    const extra = await adminRequest(h, 'PATCH', '/api/connections/acme', {isAdmin: true});

    assert.equal(proto.status, 400);
    assert.equal(proto.json.error.code, 'invalid_request');
    assert.equal(constructorKey.json.error.field, 'constructor');
    assert.equal(extra.json.error.field, 'isAdmin');
    assert.equal((await adminRequest(h, 'GET', '/api/connections')).json.items.length, 1);
    assert.equal(({} as {admin?: boolean}).admin, undefined);
  });

  it('refuses a body that is not JSON', async () => {
    const h = await setup();

    const response = await adminRequest(h, 'POST', '/api/connections', '{"identifier": ');

    assert.equal(response.status, 400);
    assert.equal(response.json.error.code, 'invalid_request');
  });
});

describe('admin API users and audit log', () => {
  it('lists the users of a connection, newest first, with search and pages', async () => {
    const h = await setup();
    for (const who of ['alice', 'bob', 'carol']) await h.login(who);

    const first = await adminRequest(h, 'GET', '/api/connections/acme/users?limit=2');
    const second = await adminRequest(h, 'GET', `/api/connections/acme/users?limit=2&cursor=${first.json.nextCursor}`);
    const search = await adminRequest(h, 'GET', '/api/connections/acme/users?q=bo');

    assert.deepEqual(
      first.json.items.map((u: {userId: string}) => u.userId),
      ['carol', 'bob'],
    );
    assert.deepEqual(
      second.json.items.map((u: {userId: string}) => u.userId),
      ['alice'],
    );
    assert.equal(second.json.nextCursor, null);
    assert.deepEqual(
      search.json.items.map((u: {userId: string}) => u.userId),
      ['bob'],
    );
  });

  it('lists the audit log newest first, filtered by connection and event', async () => {
    const h = await setup({connection: {}});
    await h.login('alice');
    await h.store.connections.update('acme', {loginMode: 'login-only'});
    await h.login('bob');

    const all = await adminRequest(h, 'GET', '/api/audit?connection=acme');
    const refused = await adminRequest(h, 'GET', '/api/audit?event=login_refused');

    assert.deepEqual(
      all.json.items.map((e: {event: string}) => e.event),
      ['login_refused', 'login_succeeded'],
    );
    assert.equal(refused.json.items.length, 1);
    assert.equal(refused.json.items[0].code, 'login_not_allowed');
  });

  it('refuses a bad page size', async () => {
    const h = await setup();

    const response = await adminRequest(h, 'GET', '/api/audit?limit=100000');

    assert.equal(response.json.error.field, 'limit');
  });
});

describe('POST /api/connections/:identifier/check', () => {
  it('reports ok for working credentials', async () => {
    const h = await setup();

    const response = await adminRequest(h, 'POST', '/api/connections/acme/check');

    assert.deepEqual({ok: response.json.ok, diagnosis: response.json.diagnosis}, {ok: true, diagnosis: 'ok'});
  });

  it('diagnoses a wrong secret', async () => {
    const h = await setup();
    await adminRequest(h, 'PATCH', '/api/connections/acme', {providerSecret: 'not-the-right-secret'});

    const response = await adminRequest(h, 'POST', '/api/connections/acme/check');

    assert.equal(response.json.diagnosis, 'wrong_secret');
    assert.equal(response.json.errcode, 40001);
    assert.match(response.json.message, /ProviderSecret/);
  });

  it('diagnoses a wrong CorpID', async () => {
    const h = await setup();
    await adminRequest(h, 'PATCH', '/api/connections/acme', {corpId: 'wwunknowncorp0001'});

    const response = await adminRequest(h, 'POST', '/api/connections/acme/check');

    assert.equal(response.json.diagnosis, 'wrong_corp_id');
  });

  it('diagnoses 60020 with the IP WeCom saw and where to whitelist it', async () => {
    const h = await setup();
    h.simulator.setIpWhitelist(['198.51.100.4']);

    const response = await adminRequest(h, 'POST', '/api/connections/acme/check');

    assert.equal(response.json.diagnosis, 'ip_not_whitelisted');
    assert.equal(response.json.ip, '127.0.0.1');
    assert.match(response.json.message, /IP白名单/);
    assert.equal((await h.store.audit.list({limit: 1})).items[0]!.event, 'credentials_checked');
  });

  it('checks against WeCom even when a token is cached', async () => {
    const h = await setup();
    await h.login('alice');

    await adminRequest(h, 'POST', '/api/connections/acme/check');

    assert.equal(h.simulator.calls('get_provider_token').length, 2);
    assert.equal(PROVIDER_CORP_ID.startsWith('ww'), true);
  });
});
