import assert from 'node:assert/strict';
import http from 'node:http';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {gunzipSync} from 'node:zlib';
import {describe, it} from 'node:test';
import {setup} from '../helpers/login-harness.ts';

function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{headers: http.IncomingHttpHeaders; body: Buffer}> {
  return new Promise((resolve, reject) => {
    http
      .get(url, {headers}, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({headers: response.headers, body: Buffer.concat(chunks)}));
      })
      .on('error', reject);
  });
}

function builtWidget(source: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'widget-')), 'wecom-sp-login.js');
  writeFileSync(file, source);
  return file;
}

describe('GET /widget/wecom-sp-login.js', () => {
  it('serves the built module to any origin with a content-hash ETag and day-long caching', async () => {
    const {baseUrl} = await setup({widgetFile: builtWidget('export class WecomSpLoginElement {}\n')});

    const response = await fetch(`${baseUrl}/widget/wecom-sp-login.js`, {headers: {'accept-encoding': 'identity'}});

    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'export class WecomSpLoginElement {}\n');
    assert.equal(response.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.equal(response.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.match(response.headers.get('cache-control')!, /^public, max-age=86400/);
    assert.match(response.headers.get('etag')!, /^"[A-Za-z0-9_-]{22}"$/);
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const {baseUrl} = await setup({widgetFile: builtWidget('export const version = 1;\n')});
    const etag = (await fetch(`${baseUrl}/widget/wecom-sp-login.js`)).headers.get('etag')!;

    const revalidated = await fetch(`${baseUrl}/widget/wecom-sp-login.js`, {headers: {'if-none-match': etag}});

    assert.equal(revalidated.status, 304);
  });

  it('serves a rebuilt module in full with a new ETag', async () => {
    const file = builtWidget('export const version = 1;\n');
    const {baseUrl} = await setup({widgetFile: file});
    const etag = (await fetch(`${baseUrl}/widget/wecom-sp-login.js`)).headers.get('etag')!;

    writeFileSync(file, 'export const version = 22;\n');
    const rebuilt = await fetch(`${baseUrl}/widget/wecom-sp-login.js`, {headers: {'if-none-match': etag}});

    assert.equal(rebuilt.status, 200);
    assert.notEqual(rebuilt.headers.get('etag'), etag);
    assert.equal(await rebuilt.text(), 'export const version = 22;\n');
  });

  it('sends it gzipped to clients that accept gzip', async () => {
    const source = `export const filler = ${JSON.stringify('x'.repeat(4000))};\n`;
    const {baseUrl} = await setup({widgetFile: builtWidget(source)});

    // node:http, not fetch: fetch would decompress transparently and hide the encoding.
    const response = await rawGet(`${baseUrl}/widget/wecom-sp-login.js`, {'accept-encoding': 'gzip'});

    assert.equal(response.headers.vary, 'Accept-Encoding');
    assert.equal(response.headers['content-encoding'], 'gzip');
    assert.ok(response.body.length < source.length / 10);
    assert.equal(gunzipSync(response.body).toString(), source);
  });

  it('answers a clear 404 when the widget has not been built', async () => {
    const {baseUrl} = await setup({widgetFile: join(tmpdir(), 'no-such-dir', 'wecom-sp-login.js')});

    const response = await fetch(`${baseUrl}/widget/wecom-sp-login.js`);

    assert.equal(response.status, 404);
    assert.deepEqual(await response.json(), {
      error: {code: 'not_found', message: 'The widget is not built on this server: run `npm run build`.'},
    });
  });
});
