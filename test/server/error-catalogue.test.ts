import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {ERRORS, errorMessage, type ErrorKey} from '../../server/error-catalogue.ts';
import {ADMIN_TOKEN, adminRequest, setup} from '../helpers/login-harness.ts';

const KEYS = Object.keys(ERRORS) as ErrorKey[];
const placeholders = (text: string) => [...text.matchAll(/\{([a-zA-Z]+)\}/g)].map((match) => match[1]).sort();

/** Every TypeScript file under server/ but the catalogue, as one text. */
function serverSources(): string {
  const root = new URL('../../server/', import.meta.url).pathname;
  const files = readdirSync(root, {recursive: true, encoding: 'utf8'}).filter(
    (file) => file.endsWith('.ts') && file !== 'error-catalogue.ts',
  );
  return files.map((file) => readFileSync(join(root, file), 'utf8')).join('\n');
}

describe('the error catalogue', () => {
  it('gives each entry the same placeholders in Chinese and English', () => {
    assert.ok(KEYS.length > 60, `${KEYS.length} entries`);
    for (const key of KEYS) assert.deepEqual(placeholders(ERRORS[key]['zh-CN']), placeholders(ERRORS[key].en), key);
  });

  it('says each thing once: no two entries share a message', () => {
    for (const lang of ['en', 'zh-CN'] as const) {
      const messages = KEYS.map((key) => ERRORS[key][lang]);
      assert.deepEqual(
        messages.filter((message, index) => messages.indexOf(message) !== index),
        [],
        lang,
      );
    }
  });

  it('holds only entries the server raises', () => {
    const sources = serverSources();
    assert.ok(sources.includes("new AppError('not_found')"));

    assert.deepEqual(
      KEYS.filter((key) => !sources.includes(`'${key}'`)),
      [],
    );
  });

  it('fills placeholders and leaves unknown ones as written', () => {
    assert.equal(errorMessage('unknown_connection', 'en', {identifier: 'acme'}), 'No connection is named "acme".');
    assert.equal(errorMessage('unknown_connection', 'zh-CN', {identifier: 'acme'}), '没有名为“acme”的登录连接。');
    assert.equal(errorMessage('unknown_connection', 'en'), 'No connection is named "{identifier}".');
  });
});

describe('JSON error answers', () => {
  it('speak English when the request states no language', async () => {
    const h = await setup();

    const answer = await adminRequest(h, 'GET', '/api/audit?limit=0');

    assert.deepEqual(answer.json, {
      error: {code: 'invalid_request', message: 'limit must be a whole number from 1 to 200.', field: 'limit'},
    });
  });

  it('speak Chinese when the request prefers it, with the same code and field', async () => {
    const h = await setup();

    const answer = await h.browser.request(`${h.baseUrl}/api/audit?limit=0`, {
      headers: {authorization: `Bearer ${ADMIN_TOKEN}`, 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8'},
    });

    assert.deepEqual(JSON.parse(answer.text), {
      error: {code: 'invalid_request', message: 'limit 必须是 1 到 200 的整数。', field: 'limit'},
    });
  });
});
