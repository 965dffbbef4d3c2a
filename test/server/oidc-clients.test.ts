import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {adminRequest, setup} from '../helpers/login-harness.ts';
import {
  authorizationUrl,
  browserLogin,
  redeemCode,
  registerClient,
  relyingParty,
  RP_REDIRECT_URI,
} from '../helpers/oidc-relying-party.ts';

describe('OpenID clients in the admin API', () => {
  it('returns a new client’s secret once, on creation, and never again', async () => {
    const h = await setup();

    const {status, body} = await registerClient(h, {clientId: 'grafana'});
    const shown = await adminRequest(h, 'GET', '/api/oidc-clients/grafana');
    const listed = await adminRequest(h, 'GET', '/api/oidc-clients');

    assert.equal(status, 201);
    assert.match(String(body.clientSecret), /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
    assert.deepEqual(
      {...shown.json, createdAt: 0, updatedAt: 0},
      {
        clientId: 'grafana',
        name: 'Grafana',
        connection: 'acme',
        redirectUris: [RP_REDIRECT_URI],
        postLogoutRedirectUris: ['http://localhost:7999/logged-out'],
        tokenEndpointAuthMethod: 'client_secret_basic',
        allowedCorpIds: ['wwcustomer0000001'],
        anyCorp: false,
        idTokenSignedResponseAlg: 'RS256',
        secretSet: true,
        createdAt: 0,
        updatedAt: 0,
      },
    );
    for (const text of [shown.text, listed.text]) assert.equal(text.includes(String(body.clientSecret)), false);
    const [audit] = (await adminRequest(h, 'GET', '/api/audit?event=oidc_client_created')).json.items;
    assert.equal(audit.detail, 'client: grafana');
  });

  it('generates a client id when none is given, and refuses a taken one', async () => {
    const h = await setup();

    const generated = await registerClient(h);
    await registerClient(h, {clientId: 'gitlab'});
    const taken = await registerClient(h, {clientId: 'gitlab'});

    assert.match(String(generated.body.clientId), /^oc_[A-Za-z0-9_-]{16}$/);
    assert.equal(taken.status, 409);
    assert.equal((taken.body.error as {code: string}).code, 'conflict');
  });

  for (const [what, fields, field] of [
    ['no name', {name: undefined}, 'name'],
    ['an unknown connection', {connection: 'nope'}, 'connection'],
    ['no redirect URI', {redirectUris: []}, 'redirectUris'],
    ['a redirect URI with a fragment', {redirectUris: ['https://app.example.com/cb#x']}, 'redirectUris'],
    ['a javascript: redirect URI', {redirectUris: ['javascript:alert(1)']}, 'redirectUris'],
    ['a plain-http redirect URI off this machine', {redirectUris: ['http://app.example.com/cb']}, 'redirectUris'],
    ['user info in a redirect URI', {redirectUris: ['https://a:b@app.example.com/cb']}, 'redirectUris'],
    ['an unknown token auth method', {tokenEndpointAuthMethod: 'private_key_jwt'}, 'tokenEndpointAuthMethod'],
    ['an algorithm other than RS256 and ES256', {idTokenSignedResponseAlg: 'HS256'}, 'idTokenSignedResponseAlg'],
    ['anyCorp as a string', {anyCorp: 'yes'}, 'anyCorp'],
    ['a malformed CorpID', {allowedCorpIds: ['acme']}, 'allowedCorpIds'],
    ['a malformed client id', {clientId: 'a b'}, 'clientId'],
    ['an unknown field', {email: true}, 'email'],
  ] as const) {
    it(`refuses a client with ${what} (400 naming ${field}), storing nothing`, async () => {
      const h = await setup();

      const {status, body} = await registerClient(h, fields);

      assert.equal(status, 400, JSON.stringify(body));
      assert.equal((body.error as {field: string}).field, field);
      assert.equal(await h.countRows('oidc_clients'), 0);
    });
  }

  it('refuses every client route without the admin token', async () => {
    const h = await setup();
    await registerClient(h, {clientId: 'grafana'});

    for (const [method, path] of [
      ['GET', '/api/oidc-clients'],
      ['POST', '/api/oidc-clients'],
      ['GET', '/api/oidc-clients/grafana'],
      ['PATCH', '/api/oidc-clients/grafana'],
      ['DELETE', '/api/oidc-clients/grafana'],
      ['POST', '/api/oidc-clients/grafana/secret'],
    ] as const) {
      const answer = await adminRequest(h, method, path, method === 'GET' ? undefined : {}, 'wrong-token');
      assert.equal(answer.status, 401, `${method} ${path}`);
    }
    assert.equal((await adminRequest(h, 'GET', '/api/oidc-clients/grafana')).json.secretSet, true);
  });

  it('changes a client’s fields but not its id or kind, and removes it', async () => {
    const h = await setup();
    await registerClient(h, {clientId: 'grafana'});

    const patched = await adminRequest(h, 'PATCH', '/api/oidc-clients/grafana', {name: 'Grafana Ops', anyCorp: true});
    const renamed = await adminRequest(h, 'PATCH', '/api/oidc-clients/grafana', {clientId: 'other'});
    const madePublic = await adminRequest(h, 'PATCH', '/api/oidc-clients/grafana', {tokenEndpointAuthMethod: 'none'});
    const removed = await adminRequest(h, 'DELETE', '/api/oidc-clients/grafana');
    const gone = await adminRequest(h, 'GET', '/api/oidc-clients/grafana');

    assert.equal(patched.status, 200);
    assert.equal(patched.json.name, 'Grafana Ops');
    assert.equal(patched.json.anyCorp, true);
    assert.equal(renamed.status, 400);
    assert.equal(madePublic.status, 400);
    assert.equal(removed.status, 204);
    assert.equal(gone.status, 404);
    const [audit] = (await adminRequest(h, 'GET', '/api/audit?event=oidc_client_updated')).json.items;
    assert.equal(audit.detail, 'client: grafana; changed: name, anyCorp');
  });

  it('rotates a secret: the new one works at once, the previous one for 24 hours more', async () => {
    let offset = 0;
    const h = await setup({now: () => Date.now() + offset});
    const rp = await relyingParty(h, {clientId: 'grafana'});
    const oldSecret = rp.clientSecret!;

    const rotated = await adminRequest(h, 'POST', '/api/oidc-clients/grafana/secret');
    const redeem = async (secret: string) => {
      const {url, checks} = await authorizationUrl(rp);
      const {redirect} = await browserLogin(h, url);
      const code = redirect.searchParams.get('code')!;
      return (await redeemCode(h.baseUrl, rp, {code, code_verifier: checks.pkceCodeVerifier}, secret)).status;
    };

    assert.equal(rotated.status, 200);
    assert.notEqual(rotated.json.clientSecret, oldSecret);
    assert.equal(await redeem(rotated.json.clientSecret as string), 200);
    assert.equal(await redeem(oldSecret), 200, 'the previous secret still works within the day');
    offset = 25 * 60 * 60_000;
    h.browser.clearCookies();
    assert.equal(await redeem(oldSecret), 401, 'and not after it');
    assert.equal(await redeem(rotated.json.clientSecret as string), 200);
  });

  it('refuses to rotate a public client’s secret, which it has none of', async () => {
    const h = await setup();
    await registerClient(h, {clientId: 'spa', tokenEndpointAuthMethod: 'none'});

    const answer = await adminRequest(h, 'POST', '/api/oidc-clients/spa/secret');

    assert.equal(answer.status, 400);
    assert.equal(answer.json.error.field, 'tokenEndpointAuthMethod');
  });

  it('stops logging a client in once it is removed', async () => {
    const h = await setup();
    const rp = await relyingParty(h, {clientId: 'grafana'});
    await adminRequest(h, 'DELETE', '/api/oidc-clients/grafana');

    const page = await h.browser.get((await authorizationUrl(rp)).url.href);

    assert.equal(page.status, 400);
    assert.match(page.text, /invalid_client/);
  });
});
