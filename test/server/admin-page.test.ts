import assert from 'node:assert/strict';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {ADMIN_TOKEN, setup} from '../helpers/login-harness.ts';

function builtConsole(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'admin-')), 'admin.js');
  writeFileSync(file, 'customElements.define("wecom-sp-admin", class extends HTMLElement {});\n');
  return file;
}

describe('GET /admin', () => {
  it('serves the console page: own-origin script only, never framed, never cached, no token in it', async () => {
    const {baseUrl} = await setup({adminFile: builtConsole()});

    const response = await fetch(`${baseUrl}/admin`);
    const page = await response.text();
    const csp = response.headers.get('content-security-policy')!;

    assert.equal(response.status, 200);
    assert.match(page, /<wecom-sp-admin public-url="http:\/\/127\.0\.0\.1:\d+"><\/wecom-sp-admin>/);
    assert.match(page, /<script type="module" src="\/admin\/admin\.js\?v=[A-Za-z0-9_-]{22}"><\/script>/);
    assert.ok(!page.includes(ADMIN_TOKEN));
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /connect-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('cross-origin-opener-policy'), 'same-origin');
  });

  it('serves the console module with an ETag, revalidated on every load', async () => {
    const {baseUrl} = await setup({adminFile: builtConsole()});

    const script = await fetch(`${baseUrl}/admin/admin.js`);
    const again = await fetch(`${baseUrl}/admin/admin.js`, {headers: {'if-none-match': script.headers.get('etag')!}});

    assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(script.headers.get('cache-control'), 'no-cache');
    assert.equal(script.headers.get('access-control-allow-origin'), null);
    assert.equal(again.status, 304);
  });

  it('answers a clear 404 when the console has not been built', async () => {
    const {baseUrl} = await setup({adminFile: join(tmpdir(), 'no-such-dir', 'admin.js')});

    const response = await fetch(`${baseUrl}/admin`);

    assert.equal(response.status, 404);
    assert.match((await response.json()).error.message, /npm run build/);
  });
});
