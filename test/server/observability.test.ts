import assert from 'node:assert/strict';
import http from 'node:http';
import {before, describe, it} from 'node:test';
import {assertNoneIn} from '../helpers/absence.ts';
import {loadConfig} from '../../server/config.ts';
import {createLogger} from '../../server/logger.ts';
import {popupParams, setup} from '../helpers/login-harness.ts';

const requestLines = (logs: string[]) =>
  logs.map((line) => JSON.parse(line)).filter((line) => line.message === 'request');

describe('the request log', () => {
  it('writes one line per request with its route pattern and request id, never the query', async () => {
    const h = await setup();
    const params = popupParams();

    const response = await fetch(`${h.baseUrl}/connections/acme/authorize?${new URLSearchParams(params)}`);
    const [line] = requestLines(h.logs);

    assert.equal(response.status, 200);
    assert.deepEqual(
      {method: line.method, route: line.route, status: line.status, level: line.level},
      {method: 'GET', route: '/connections/:identifier/authorize', status: 200, level: 'info'},
    );
    assert.equal(typeof line.ms, 'number');
    assert.equal(line.requestId, response.headers.get('x-request-id'));
    assert.match(line.requestId, /^[A-Za-z0-9]{20}$/);
    assert.ok(!h.logs.join('\n').includes(params.nonce!), 'no query value in the log');
  });

  it('logs refused and unknown requests with their status, never the query', async () => {
    const h = await setup();

    await fetch(`${h.baseUrl}/connections/acme/callback?state=forged&auth_code=secret-code`);
    await fetch(`${h.baseUrl}/no/such/page`);

    assert.deepEqual(
      requestLines(h.logs).map((line) => [line.route, line.status]),
      [
        ['/connections/:identifier/callback', 400],
        [null, 404],
      ],
    );
    assertNoneIn(h.logs.join('\n'), '"status":400', ['secret-code'], 'the log');
  });

  it('keeps the request id a proxy set', async () => {
    const h = await setup();

    await fetch(`${h.baseUrl}/no/such/page`, {headers: {'x-request-id': 'from-nginx-0123'}});

    assert.equal(requestLines(h.logs)[0].requestId, 'from-nginx-0123');
  });

  it('leaves probes out of the request log', async () => {
    const h = await setup();

    await fetch(`${h.baseUrl}/healthz`);
    await fetch(`${h.baseUrl}/readyz`);
    await fetch(`${h.baseUrl}/no/such/page`);

    assert.deepEqual(
      requestLines(h.logs).map((line) => line.status),
      [404],
    );
  });

  it('follows LOG_LEVEL: at warn, no request lines', () => {
    const lines: string[] = [];
    const log = createLogger((line) => lines.push(line), loadConfig({LOG_LEVEL: 'warn'}).logLevel);

    log.info('request', {status: 200});
    log.warn('something to see');

    assert.deepEqual(
      lines.map((line) => JSON.parse(line).message),
      ['something to see'],
    );
    assert.throws(() => loadConfig({LOG_LEVEL: 'verbose'}), /^ConfigError: LOG_LEVEL:/);
  });
});

describe('GET /readyz', () => {
  it("is ready when the database answers with this server's schema", async () => {
    const h = await setup();

    const ready = await fetch(`${h.baseUrl}/readyz`);

    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), {status: 'ready'});
  });

  it('fails with 503 while migrations are pending, while /healthz stays up', async () => {
    const h = await setup();
    h.db.pragma('user_version = 1');

    const ready = await fetch(`${h.baseUrl}/readyz`);
    const live = await fetch(`${h.baseUrl}/healthz`);

    assert.equal(ready.status, 503);
    assert.match((await ready.json()).reason, /schema is version 1/);
    assert.equal(live.status, 200);
  });
});

describe('shutting down (SIGTERM)', () => {
  /** The Connection header of a GET, as node:http hands it over (fetch hides hop-by-hop headers). */
  const connectionHeader = (url: string) =>
    new Promise<string | undefined>((resolve, reject) =>
      http
        .get(url, {agent: new http.Agent({keepAlive: true})}, (response) => {
          response.resume();
          resolve(response.headers.connection);
        })
        .on('error', reject),
    );

  it('keeps connections alive while serving', async () => {
    const h = await setup({draining: () => false});

    assert.equal(await connectionHeader(`${h.baseUrl}/healthz`), 'keep-alive');
  });

  it("ends each kept-alive connection with its answer, so a proxy's next request goes to another process", async () => {
    const h = await setup({draining: () => true});

    assert.equal(await connectionHeader(`${h.baseUrl}/healthz`), 'close');
    assert.equal((await fetch(`${h.baseUrl}/readyz`)).status, 503);
  });
});

describe('GET /metrics', () => {
  const METRICS_TOKEN = 'Gt5nYb8RkW2qLx7VmC4pZs9E';
  const scrape = (h: {baseUrl: string}, token = METRICS_TOKEN) =>
    fetch(`${h.baseUrl}/metrics`, {headers: {authorization: `Bearer ${token}`}});

  it('does not exist without METRICS_TOKEN', async () => {
    const without = await setup();

    assert.equal((await scrape(without)).status, 404);
  });

  it('refuses a wrong or missing token with 401', async () => {
    const withToken = await setup({metricsToken: METRICS_TOKEN});

    assert.equal((await scrape(withToken, 'wrong-token-wrong-token')).status, 401);
    assert.equal((await fetch(`${withToken.baseUrl}/metrics`)).status, 401);
  });

  describe('after a login, a refused login and a rate-limited request', () => {
    let response: Response;
    let text: string;
    before(async () => {
      const h = await setup({metricsToken: METRICS_TOKEN, rateLimitPerMinute: 2});
      await h.login('alice');
      h.simulator.fail('get_login_info', {errcode: 40029});
      await h.login('bob');
      await fetch(`${h.baseUrl}/connections/acme/authorize?${new URLSearchParams(popupParams())}`);
      response = await scrape(h);
      text = await response.text();
    });

    it("answers in Prometheus's text format", () => {
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type')!, /^text\/plain/);
    });

    it('counts logins by connection, mode and outcome', () => {
      assert.match(text, /^wecom_sp_login_logins_total\{connection="acme",mode="popup",outcome="success"\} 1$/m);
      assert.match(
        text,
        /^wecom_sp_login_logins_total\{connection="acme",mode="popup",outcome="exchange_failed"\} 1$/m,
      );
    });

    it('counts WeCom calls by API and errcode, with their latency', () => {
      assert.match(text, /^wecom_sp_login_wecom_calls_total\{api="get_login_info",errcode="0"\} 1$/m);
      assert.match(text, /^wecom_sp_login_wecom_calls_total\{api="get_login_info",errcode="40029"\} 1$/m);
      assert.match(text, /^wecom_sp_login_wecom_call_duration_seconds_count\{api="get_provider_token"\} 1$/m);
    });

    it('counts access token fetches', () => {
      assert.match(text, /^wecom_sp_login_access_token_fetches_total 1$/m);
    });

    it('counts rate-limit refusals by route', () => {
      assert.match(text, /^wecom_sp_login_rate_limited_total\{route="authorize"\} 1$/m);
    });

    it('times requests by route pattern', () => {
      assert.match(
        text,
        /^wecom_sp_login_http_request_duration_seconds_count\{method="GET",route="\/connections\/:identifier\/callback",status="200"\} 1$/m,
      );
    });

    it('holds no secret and no auth code', () => {
      assertNoneIn(text, 'wecom_sp_login_logins_total', [/ProviderSecret/, /auth_code=/], 'the scrape');
    });
  });

  it('exports process metrics, and the watched errcodes at 0 so an alert fires on the first', async () => {
    const h = await setup({metricsToken: METRICS_TOKEN});

    const text = await (await scrape(h)).text();

    for (const name of [
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'process_open_fds',
      'nodejs_heap_size_used_bytes',
    ])
      assert.match(text, new RegExp(`^${name} \\d`, 'm'), name);
    for (const errcode of ['60020', '45009', '45033'])
      assert.match(
        text,
        new RegExp(`^wecom_sp_login_wecom_calls_total\\{api="get_login_info",errcode="${errcode}"\\} 0$`, 'm'),
        errcode,
      );
  });
});

describe('the login attempt log', () => {
  it('writes one line per login attempt, never a code, state or token', async () => {
    const h = await setup({trustProxy: 1});
    await h.login('alice');
    h.simulator.fail('get_login_info', {errcode: 60020});
    const {qrPage} = await h.openQrPage();
    const failed = await h.scan(qrPage, 'bob');

    const attempts = h.logs.map((line) => JSON.parse(line)).filter((line) => line.message === 'login attempt');
    const requests = requestLines(h.logs);

    assert.deepEqual(
      attempts.map(({connection, mode, protocol, outcome, wecomErrcode}) => ({
        connection,
        mode,
        protocol,
        outcome,
        wecomErrcode,
      })),
      [
        {connection: 'acme', mode: 'popup', protocol: 'legacy', outcome: 'success', wecomErrcode: null},
        {connection: 'acme', mode: 'popup', protocol: 'legacy', outcome: 'wecom_config_error', wecomErrcode: 60020},
      ],
    );
    assert.equal(attempts[1].requestId, failed.headers.get('x-request-id'));
    assert.ok(
      requests.every((line) => line.client === '127.0.0.1'),
      'the client address in every request line',
    );
    const code = new URL(failed.url).searchParams.get('auth_code')!;
    const state = new URL(failed.url).searchParams.get('state')!;
    assert.ok(!h.logs.some((line) => line.includes(code) || line.includes(state)));
  });

  it("logs the client's address as TRUST_PROXY resolves it, never a forged one", async () => {
    const h = await setup({trustProxy: 1});

    await fetch(`${h.baseUrl}/healthz/nope`, {headers: {'x-forwarded-for': '203.0.113.9, 198.51.100.7'}});

    assert.equal(requestLines(h.logs).at(-1).client, '198.51.100.7');
  });
});
