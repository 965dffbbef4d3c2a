import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {HOST_ORIGIN, popupParams, resultCode, setup, type Harness} from '../helpers/login-harness.ts';

async function authorize(h: Harness, params: Record<string, string>, connection = 'acme') {
  return h.browser.get(`${h.baseUrl}/connections/${connection}/authorize?${new URLSearchParams(params)}`);
}

describe('GET /connections/:identifier/authorize', () => {
  it('records one transaction for an allowed origin', async () => {
    const h = await setup();

    const page = await authorize(h, popupParams());

    assert.equal(page.status, 200);
    assert.equal(await h.countRows('login_transactions'), 1);
  });

  for (const origin of [
    'https://evil.example',
    'http://shop.test:8081',
    'http://shop.test',
    'https://shop.test:8080',
    'http://evil-shop.test:8080',
    'null',
  ]) {
    it(`refuses the origin ${origin} with a 400 page and records nothing`, async () => {
      const h = await setup();

      const page = await authorize(h, {...popupParams(), origin});

      assert.equal(page.status, 400);
      assert.ok(['origin_not_allowed', 'invalid_request'].includes(resultCode(page)));
      assert.doesNotMatch(page.text, /<meta name="wecom-sp-login-target-origin"/);
      assert.equal(await h.countRows('login_transactions'), 0);
    });
  }

  it('refuses an origin with a path or trailing slash', async () => {
    const h = await setup();

    const page = await authorize(h, {...popupParams(), origin: `${HOST_ORIGIN}/`});

    assert.equal(resultCode(page), 'invalid_request');
    assert.equal(await h.countRows('login_transactions'), 0);
  });

  it('refuses an unknown mode', async () => {
    const h = await setup();

    const page = await authorize(h, {...popupParams(), mode: 'iframe'});

    assert.equal(resultCode(page), 'invalid_request');
    assert.equal(await h.countRows('login_transactions'), 0);
  });

  it('refuses a missing or short nonce', async () => {
    const h = await setup();

    const missing = await authorize(h, {mode: 'popup', origin: HOST_ORIGIN});
    const short = await authorize(h, {...popupParams(), nonce: 'abc'});

    assert.equal(resultCode(missing), 'invalid_request');
    assert.equal(resultCode(short), 'invalid_request');
    assert.equal(await h.countRows('login_transactions'), 0);
  });

  it('refuses a repeated parameter instead of picking one', async () => {
    const h = await setup();

    const page = await h.browser.get(
      `${h.baseUrl}/connections/acme/authorize?mode=popup&origin=${encodeURIComponent(HOST_ORIGIN)}` +
        `&origin=https%3A%2F%2Fevil.example&nonce=${popupParams().nonce}`,
    );

    assert.equal(resultCode(page), 'invalid_request');
    assert.equal(await h.countRows('login_transactions'), 0);
  });

  it('refuses a return_to on another origin (no open redirect)', async () => {
    const h = await setup();

    const page = await authorize(h, {...popupParams(), mode: 'redirect', return_to: 'https://evil.example/steal'});
    const missing = await authorize(h, {...popupParams(), mode: 'redirect'});
    const schemeTrick = await authorize(h, {
      ...popupParams(),
      mode: 'redirect',
      return_to: 'javascript:alert(1)//shop.test:8080',
    });

    assert.equal(resultCode(page), 'invalid_request');
    assert.equal(resultCode(missing), 'invalid_request');
    assert.equal(resultCode(schemeTrick), 'invalid_request');
    assert.equal(await h.countRows('login_transactions'), 0);
  });

  it('answers an unknown connection with a 404 page', async () => {
    const h = await setup();

    const page = await authorize(h, popupParams(), 'nobody');

    assert.equal(page.status, 404);
    assert.equal(resultCode(page), 'unknown_connection');
  });

  it('sends the browser to the simulator, which accepts the login server as the initiating domain', async () => {
    const h = await setup();

    const {qrPage} = await h.openQrPage();

    assert.match(qrPage.text, /sim\/scan\?key=/);
  });
});

describe('the simulator checks of 3rd_qrConnect', () => {
  it('refuses a navigation whose Referer is not the registered initiating domain', async () => {
    const h = await setup();
    const {authorize: page} = await h.openQrPage();
    const url = JSON.parse(/id="wecom-sp-login-navigate">([^<]*)</.exec(page.text)![1]!).url;

    const direct = await h.browser.request(url, {referer: `${HOST_ORIGIN}/login`});
    const none = await h.browser.request(url);

    assert.match(direct.text, /校验请求来源错误/);
    assert.match(none.text, /校验请求来源错误/);
  });

  it('refuses a redirect_uri outside the registered callback domain', async () => {
    const h = await setup();

    const page = await h.browser.request(
      `${h.simulatorUrl}/wwopen/sso/3rd_qrConnect?appid=wwprovider00000001` +
        `&redirect_uri=${encodeURIComponent('https://evil.example/cb')}&state=x`,
      {referer: `${h.baseUrl}/`},
    );

    assert.match(page.text, /redirect_uri 参数错误/);
  });
});
