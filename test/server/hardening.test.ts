import assert from 'node:assert/strict';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {after, before, describe, it} from 'node:test';
import {createWecomClient} from '../../server/wecom/wecom-client.ts';
import {WecomApiError} from '../../server/wecom/wecom-errors.ts';
import {DEFAULT_IDENTITIES} from '../../demo/wecom-simulator/identities.ts';
import {
  providerConnection,
  ADMIN_TOKEN,
  HOST_ORIGIN,
  PROVIDER_CORP_ID,
  popupParams,
  readResult,
  refusalCounts,
  resultCode,
  setup,
  startLoginStack,
  type Harness,
} from '../helpers/login-harness.ts';

describe('request bodies', () => {
  const corrupt = {'content-type': 'application/json', 'content-encoding': 'gzip', origin: HOST_ORIGIN};

  it('refuses a compressed body with 415, as no route needs one, logging no error', async () => {
    const h = await setup();

    const tickets = await fetch(`${h.baseUrl}/connections/acme/tickets`, {
      method: 'POST',
      headers: corrupt,
      body: 'not gzip at all',
    });

    assert.equal(tickets.status, 415);
    assert.deepEqual((await tickets.json()).error, {
      code: 'invalid_request',
      message: 'The body must not be compressed.',
    });
    assert.deepEqual(
      h.logs.filter((line) => line.includes('"level":"error"')),
      [],
    );
  });

  it('ignores a compressed body where no body is read', async () => {
    const h = await setup();

    const health = await fetch(`${h.baseUrl}/healthz`, {method: 'GET', headers: corrupt});

    assert.equal(health.status, 200);
  });
});

describe("WeCom's errmsg", () => {
  it('is redacted of the secrets and code it echoes, keeping the errcode and from ip', async () => {
    const secret = 'ProviderSecret-echoed-0123456789';
    const wecom = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        const echoed = `${request.url} ${body}`;
        response.end(
          JSON.stringify({
            errcode: 40001,
            errmsg:
              `invalid credential, request: ${echoed}, from ip: 203.0.113.5, more info at ` +
              `https://open.work.weixin.qq.com/devtool/query?e=40001`,
          }),
        );
      });
    });
    await new Promise<void>((resolve) => wecom.listen(0, '127.0.0.1', resolve));
    const client = createWecomClient({
      apiBase: `http://127.0.0.1:${(wecom.address() as AddressInfo).port}`,
      timeoutMs: 2_000,
    });

    const errors = await Promise.all([
      client.getProviderToken(PROVIDER_CORP_ID, secret).catch((error: unknown) => error),
      client.getLoginInfo('provider-access-token-abcdef', 'auth-code-123456').catch((error: unknown) => error),
    ]);
    wecom.close();

    for (const error of errors) {
      assert.ok(error instanceof WecomApiError);
      assert.equal(error.errcode, 40001);
      assert.doesNotMatch(error.errmsg, /ProviderSecret-echoed|provider-access-token-abcdef|auth-code-123456/);
      assert.match(error.errmsg, /\[redacted\]/);
      assert.match(error.errmsg, /from ip: 203\.0\.113\.5/);
    }
  });
});

describe('the provider-token cache', () => {
  it("does not lend one connection's token to another with the same CorpID and a wrong ProviderSecret", async () => {
    const h = await setup();
    await h.store.connections.create(
      providerConnection('stale', {providerSecret: 'an-old-wrong-secret', launchUrl: null}),
    );
    await h.login('alice');

    const {qrPage} = await h.openQrPage(popupParams(), 'stale');
    const viaStale = await h.scan(qrPage, 'bob');

    assert.equal(resultCode(viaStale), 'wecom_config_error');
    assert.equal(h.simulator.calls('get_provider_token').length, 2);
  });
});

describe('the browser-binding cookie', () => {
  it('is renewed by every login it binds, so it outlives the hour for a login started late', async () => {
    const h = await setup();
    const expiry = (cookies: string[]) => cookies.map((cookie) => /expires=([^;]+)/i.exec(cookie)?.[1]).find(Boolean);

    const first = await h.browser.get(`${h.baseUrl}/connections/acme/authorize?${new URLSearchParams(popupParams())}`);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const later = await h.browser.get(`${h.baseUrl}/connections/acme/authorize?${new URLSearchParams(popupParams())}`);

    const [firstExpiry, laterExpiry] = [expiry(first.headers.getSetCookie()), expiry(later.headers.getSetCookie())];
    assert.ok(firstExpiry && laterExpiry, 'both answers set the cookie');
    assert.ok(Date.parse(laterExpiry) > Date.parse(firstExpiry));
  });
});

describe('the admin API under a token-guessing attack', () => {
  const call = (h: {baseUrl: string}, token: string, client: string) =>
    fetch(`${h.baseUrl}/api/connections`, {headers: {authorization: `Bearer ${token}`, 'x-forwarded-for': client}});

  describe('from one client', () => {
    let h: Harness;
    let close: () => Promise<void>;
    let statuses: number[];
    // The stack lives for the describe: setup() would stop it after the first test.
    before(async () => {
      ({harness: h, close} = await startLoginStack({trustProxy: 1}));
      statuses = [];
      for (let i = 0; i < 12; i++) statuses.push((await call(h, `wrong-token-guess-${i}`, '198.51.100.1')).status);
    });

    after(() => close());

    it('answers 429 after a burst of ten wrong tokens', () => {
      assert.deepEqual(statuses, [...Array(10).fill(401), 429, 429]);
    });

    it('audits each wrong token it checked, with the address', async () => {
      const audit = await h.store.audit.list({event: 'admin_auth_failed', limit: 50});

      assert.equal(audit.items.length, 10);
      assert.equal(audit.items[0]!.ip, '198.51.100.1');
    });

    it('still lets the right token in, from that client and any other', async () => {
      assert.equal((await call(h, ADMIN_TOKEN, '198.51.100.2')).status, 200);
      assert.equal((await call(h, ADMIN_TOKEN, '198.51.100.1')).status, 200);
    });
  });

  it('caps wrong tokens from all clients together at 60 a minute', async () => {
    const h = await setup({trustProxy: 1});

    const statuses = [];
    for (let i = 0; i < 70; i++)
      statuses.push((await call(h, `wrong-token-guess-${i}`, `198.51.${100 + Math.floor(i / 5)}.${i % 5}`)).status);
    const right = await call(h, ADMIN_TOKEN, '203.0.113.9');
    const audit = await h.store.audit.list({event: 'admin_auth_failed', limit: 100});

    assert.deepEqual(statuses, [...Array(60).fill(401), ...Array(10).fill(429)]);
    assert.equal(right.status, 200);
    assert.equal(audit.items.length, 60);
  });

  it('shares the throttle with /metrics: wrong metrics tokens spend the same budget and are counted', async () => {
    const METRICS = 'Gt5nYb8RkW2qLx7VmC4pZs9E';
    const h = await setup({trustProxy: 1, metricsToken: METRICS});
    const scrape = (token: string) =>
      fetch(`${h.baseUrl}/metrics`, {headers: {authorization: `Bearer ${token}`, 'x-forwarded-for': '198.51.100.1'}});

    const statuses = [];
    for (let i = 0; i < 10; i++) statuses.push((await scrape(`wrong-metrics-guess-${i}`)).status);
    const adminGuess = await call(h, 'wrong-token-guess', '198.51.100.1');
    const metricsGuess = await scrape('wrong-metrics-guess');
    const right = await scrape(METRICS);
    const {rate_limited: _throttled, ...refusals} = await refusalCounts(h);

    assert.deepEqual(statuses, Array(10).fill(401));
    assert.equal(adminGuess.status, 429);
    assert.equal(metricsGuess.status, 429);
    assert.equal(right.status, 200);
    assert.deepEqual(refusals, {unauthorized: 10});
  });

  it('throttles even with the login rate limit off', async () => {
    const h = await setup({rateLimitPerMinute: 0});

    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push((await call(h, 'wrong-token-guess', '198.51.100.1')).status);

    assert.equal(statuses.at(-1), 429);
  });
});

describe('identity data in tokens', () => {
  it('drops an avatar URL that is not https', async () => {
    const h = await setup({
      identities: DEFAULT_IDENTITIES.map((identity) =>
        identity.key === 'alice' ? {...identity, avatar: 'http://tracker.example/alice.png'} : identity,
      ),
    });

    const result = readResult(await h.login('alice'));

    assert.equal(result.type, 'wecom-sp-login:success');
    assert.equal(result.type === 'wecom-sp-login:success' && result.user.avatar, undefined);
  });
});

describe('revalidating the served element', () => {
  it('matches a weak validator (W/"…") as RFC 9110 weak comparison says', async () => {
    const h = await setup();
    const etag = (await fetch(`${h.baseUrl}/widget/wecom-sp-login.js`)).headers.get('etag');

    const weak = await fetch(`${h.baseUrl}/widget/wecom-sp-login.js`, {headers: {'if-none-match': `W/${etag}`}});

    assert.equal(weak.status, 304);
  });
});

describe("the server's pages", () => {
  it("speak the visitor's language, Chinese or English", async () => {
    const h = await setup();
    const url =
      `${h.baseUrl}/connections/acme/authorize?mode=popup&origin=https%3A%2F%2Fevil.example` +
      `&nonce=${'n'.repeat(24)}`;

    const chinese = await (await fetch(url, {headers: {'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5'}})).text();
    const english = await (await fetch(url, {headers: {'accept-language': 'en-GB,en;q=0.9'}})).text();
    const unsaid = await (await fetch(url)).text();

    assert.match(chinese, /<html lang="zh-CN">[^]*<h1>登录失败<\/h1><p>登录配置有误，请联系网站管理员<\/p>/);
    assert.match(
      english,
      /<html lang="en">[^]*<h1>Login failed<\/h1><p>Login is misconfigured\. Tell the site owner\.<\/p>/,
    );
    assert.match(chinese, /<code>origin_not_allowed<\/code>[^]*此网站无权使用这个登录连接。/);
    assert.match(
      english,
      /<code>origin_not_allowed<\/code>[^]*This site is not allowed to use this login connection\./,
    );
    assert.match(unsaid, /<html lang="zh-CN">/);
  });
});
