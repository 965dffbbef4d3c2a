import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {fileURLToPath} from 'node:url';
import fc from 'fast-check';
import {ADMIN_TOKEN, HOST_ORIGIN, setup, type Harness} from '../helpers/login-harness.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** Every table whose rows a refused request must leave as they were (the audit log records refusals by design). */
async function snapshot(h: Harness): Promise<string> {
  const tables = ['connections', 'users', 'login_transactions', 'tickets', 'access_tokens', 'signing_keys'];
  return (await Promise.all(tables.map(async (table) => JSON.stringify(await h.tableRows(table))))).join('\n');
}

const text = fc.oneof(
  fc.string({maxLength: 40}),
  fc.string({unit: 'grapheme', maxLength: 20}),
  fc.constantFrom(
    '',
    '..',
    '%2e%2e',
    '../../etc/passwd',
    "acme' OR '1'='1",
    'acme;--',
    '\u0000',
    '\r\nSet-Cookie: x=1',
    '<script>alert(1)</script>',
    'null',
    'https://evil.example',
    'http://shop.test:8080.evil.example',
    HOST_ORIGIN,
    `${HOST_ORIGIN}/`,
    'javascript:alert(1)',
    '__proto__',
    'constructor',
    'acme',
  ),
  fc.string({minLength: 5000, maxLength: 20000}),
);
const identifier = fc.oneof(fc.constant('acme'), fc.constant('nope'), text);
const query = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'mode',
      'origin',
      'nonce',
      'return_to',
      'state',
      'auth_code',
      'q',
      'limit',
      'cursor',
      'connection',
      'event',
      'v',
    ),
    text,
  ),
  text,
  {maxKeys: 6},
);
const jsonBody = fc.oneof(
  fc.jsonValue({maxDepth: 3}),
  fc.record(
    {
      identifier: text,
      displayName: text,
      corpId: text,
      providerSecret: text,
      allowedOrigins: fc.array(text, {maxLength: 3}),
      launchUrl: text,
    },
    {requiredKeys: []},
  ),
  fc.constantFrom(
    {__proto__: {admin: true}},
    JSON.parse('{"__proto__": {"polluted": true}}'),
    {constructor: {prototype: {polluted: true}}},
    {ticket: 'x'.repeat(500)},
  ),
);
const body = fc.oneof(
  jsonBody.map((value) => JSON.stringify(value)),
  text,
  fc.constant('{"unterminated": '),
);

const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS', 'PUT', 'HEAD'),
  path: fc.oneof(
    identifier.map((id) => `/connections/${encodeURIComponent(id)}`),
    fc
      .tuple(
        identifier,
        fc.constantFrom(
          'authorize',
          'callback',
          'launch',
          'tickets',
          'users',
          'check',
          'wecom-callback',
          'workbench',
          'app-callback',
        ),
      )
      .map(([id, action]) => `/connections/${encodeURIComponent(id)}/${action}`),
    fc
      .tuple(identifier, fc.constantFrom('', '/users', '/check', '/suite-ticket', '/app-suite-ticket', '/activity'))
      .map(([id, rest]) => `/api/connections/${encodeURIComponent(id)}${rest}`),
    fc.constantFrom(
      '/api/connections',
      '/api/audit',
      '/healthz',
      '/.well-known/jwks.json',
      '/widget/wecom-sp-login.js',
      '/admin',
      '/admin/admin.js',
      '/%2e%2e/%2e%2e/etc/passwd',
      '//evil.example/',
      '/connections//authorize',
    ),
    text.map((value) => `/${encodeURIComponent(value)}`),
  ),
  query,
  headers: fc.record(
    {
      // Header values travel as bytes: UTF-8 seen as Latin-1, which is what a raw client could send.
      authorization: fc.oneof(
        fc.constant(`Bearer ${ADMIN_TOKEN}`),
        text.map((value) => Buffer.from(`Bearer ${value}`.replace(/[\r\n\0]/g, '')).toString('latin1')),
      ),
      origin: fc.constantFrom(HOST_ORIGIN, 'null', 'https://evil.example', 'http://shop.test:8081'),
      'content-type': fc.constantFrom(
        'application/json',
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/json; charset=latin1',
      ),
      referer: fc.constantFrom('', 'https://evil.example/', HOST_ORIGIN),
    },
    {requiredKeys: []},
  ),
  body: fc.option(body, {nil: undefined}),
});

describe('hostile input (property-based, fast-check)', () => {
  it('never answers 5xx or leaks a stack trace, and a refused request changes nothing', async () => {
    const h = await setup();
    await fc.assert(
      fc.asyncProperty(request, async ({method, path, query: params, headers, body: payload}) => {
        const before = await snapshot(h);
        const url = `${h.baseUrl}${path}${Object.keys(params).length ? `?${new URLSearchParams(params)}` : ''}`;
        const response = await fetch(url, {
          method,
          headers,
          body: method === 'GET' || method === 'HEAD' ? undefined : payload,
          redirect: 'manual',
        });
        const answer = await response.text();

        assert.ok(response.status < 500, `${method} ${path} answered ${response.status}: ${answer.slice(0, 200)}`);
        // The built modules are code, not error output; everything else must carry no trace of the server's insides.
        if (!response.headers.get('content-type')?.includes('javascript'))
          assert.doesNotMatch(answer, /\n\s+at \S+ \(|node_modules|node:internal/);
        assert.ok(!answer.includes(REPO), 'no file path of the server in a response');
        if (response.status >= 400)
          assert.equal(
            await snapshot(h),
            before,
            `${method} ${path} was refused (${response.status}) but changed the database`,
          );
      }),
      {numRuns: Number(process.env.FUZZ_RUNS ?? 400)},
    );

    assert.equal(({} as {polluted?: unknown}).polluted, undefined, 'Object.prototype stayed clean');
    assert.equal(h.logs.filter((line) => line.includes('"level":"error"')).length, 0);
  });
});

describe('hostile input (named cases)', () => {
  it('refuses a return_to carrying CR/LF and injects no header', async () => {
    const h = await setup();
    const params = new URLSearchParams({
      mode: 'redirect',
      origin: HOST_ORIGIN,
      nonce: 'n'.repeat(24),
      return_to: `${HOST_ORIGIN}/back\r\nSet-Cookie: injected=1`,
    });

    const response = await fetch(`${h.baseUrl}/connections/acme/authorize?${params}`, {redirect: 'manual'});

    assert.equal(response.status, 400);
    assert.ok(!response.headers.getSetCookie().some((cookie) => cookie.startsWith('injected')));
  });

  it('treats SQL metacharacters in an identifier as an unknown connection', async () => {
    const h = await setup();

    const response = await fetch(`${h.baseUrl}/connections/${encodeURIComponent("acme' OR '1'='1")}`);

    assert.equal(response.status, 404);
    assert.equal((await response.json()).error.code, 'unknown_connection');
    assert.equal(await h.countRows('connections'), 1);
  });

  it('refuses an oversized auth_code on the launch without calling WeCom', async () => {
    const h = await setup();

    const response = await fetch(`${h.baseUrl}/connections/acme/launch?auth_code=${'a'.repeat(20_000)}`, {
      redirect: 'manual',
    });

    assert.ok(response.status < 500);
    assert.equal(h.simulator.calls().filter((call) => call.endpoint === 'get_login_info').length, 0);
  });
});
