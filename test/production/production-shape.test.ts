import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {mkdirSync, mkdtempSync, readdirSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import net from 'node:net';
import tls from 'node:tls';
import {join} from 'node:path';
import {after, afterEach, before, describe, it} from 'node:test';
import {createLocalJWKSet, jwtVerify, type JWTPayload} from 'jose';
import {chromium, type Browser, type BrowserContext, type Page} from 'playwright-core';
import {nextEvent, openHearing, scanInPopup, SCREENSHOTS, WECOM_CLIENT_UA} from '../e2e/e2e-harness.ts';
import {assertChromiumInstalled, CHROMIUM, CHROMIUM_FLAGS} from '../helpers/chromium.ts';
import {startPostgres, type ThrowAwayPostgres} from '../helpers/postgres-server.ts';
import {loginOverHttps} from './https-login.ts';
import {APP_ADMITTED_CORP, OTHER_CORP_MEMBER, startProductionStack, type ProductionStack} from './production-stack.ts';
import {assertNoneIn} from '../helpers/absence.ts';

// Chromium's own address is exempt, so that the browser logins never meet the low limit the
// rate-limit tests use; those send from other loopback addresses (127.0.0.2, …) through nginx.
const RATE_LIMIT = 3;

// The throw-away PostgreSQL trusts local clients: the password is accepted and ignored, and is only
// there to be kept out of the logs.
const DATABASE_PASSWORD = `pw-${Date.now()}-kept-out-of-logs`;

for (const database of ['SQLite', 'PostgreSQL'] as const)
  describe(`the production shape: nginx, TLS, two compiled processes on one ${database} database`, () => {
    let stack: ProductionStack;
    let browser: Browser;
    let postgres: ThrowAwayPostgres | undefined;
    const contexts: BrowserContext[] = [];

    before(async () => {
      assertChromiumInstalled();
      mkdirSync(join(SCREENSHOTS, 'production'), {recursive: true});
      let databaseUrl: string | undefined;
      if (database === 'PostgreSQL') {
        postgres = await startPostgres();
        databaseUrl = (await postgres.createDatabase()).replace('postgres@', `postgres:${DATABASE_PASSWORD}@`);
      }
      stack = await startProductionStack({rateLimitPerMinute: RATE_LIMIT, rateLimitExempt: '127.0.0.1', databaseUrl});
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          ...CHROMIUM_FLAGS,
          `--host-resolver-rules=${stack.hostResolverRules}`,
          `--ignore-certificate-errors-spki-list=${stack.spkiHash}`,
        ],
      });
    });
    afterEach(async () => {
      await Promise.all(contexts.splice(0).map((context) => context.close()));
    });
    after(async () => {
      await browser?.close();
      await stack?.close();
      await postgres?.stop();
    });

    const open = (url: string) => openHearing(browser, contexts, url, {width: 1000, height: 800});

    /** Verifies the token as the shop's backend would: the JWKS over https through the proxy, the https issuer. */
    async function verify(idToken: string): Promise<JWTPayload> {
      const jwks = JSON.parse((await stack.fetchThroughProxy(`${stack.loginUrl}/.well-known/jwks.json`)).text);
      const {payload} = await jwtVerify(idToken, createLocalJWKSet(jwks), {issuer: stack.loginUrl, audience: 'acme'});
      assert.equal(payload.azp, stack.shopUrl);
      return payload;
    }

    const shot = (page: Page, name: string) =>
      page.screenshot({
        path: join(SCREENSHOTS, 'production', `${name}${database === 'PostgreSQL' ? '-postgres' : ''}.png`),
        fullPage: true,
      });

    it('popup: logs in over https with a Secure cookie and the https issuer', async () => {
      const page = await open(`${stack.shopUrl}/`);

      const [popup] = await Promise.all([page.waitForEvent('popup'), page.locator('#popup-login button').click()]);
      await popup.waitForURL(`${stack.wecomUrl}/wwopen/sso/3rd_qrConnect**`);
      const cookies = await page.context().cookies(stack.loginUrl);
      await scanInPopup(popup, 'alice');
      const success = await nextEvent(page, 'wecom-login-success');
      await shot(page, 'popup');

      const claims = await verify(success.detail.idToken);
      assert.equal(claims.iss, stack.loginUrl);
      assert.equal(claims.userid, 'alice');
      const session = cookies.filter((cookie) => cookie.name.startsWith('wecom_sp_login'));
      assert.ok(session.length > 0, 'no session cookie');
      for (const cookie of session)
        assert.deepEqual([cookie.name, cookie.secure, cookie.httpOnly], [cookie.name, true, true]);
    });

    it('redirect: leaves for WeCom and comes back to the shop logged in', async () => {
      const page = await open(`${stack.shopUrl}/`);

      await page.locator('#redirect-login button').click();
      await page.waitForURL(`${stack.wecomUrl}/wwopen/sso/3rd_qrConnect**`);
      await page.locator('[data-identity=carol]').click();
      await page.waitForURL(`${stack.shopUrl}/`);
      const success = await nextEvent(page, 'wecom-login-success');
      await shot(page, 'redirect');

      assert.equal((await verify(success.detail.idToken)).userid, 'carol');
    });

    it('embedded: the QR panel logs in inside the shop page', async () => {
      const page = await open(`${stack.shopUrl}/embedded`);

      await page.frameLocator('#embedded-login iframe').locator('[data-identity=bob]').click();
      const success = await nextEvent(page, 'wecom-login-success');
      await shot(page, 'embedded');

      assert.equal((await verify(success.detail.idToken)).userid, 'bob');
    });

    it("launch: WeCom's admin console lands on the shop's launch URL logged in", async () => {
      const page = await open(`${stack.wecomUrl}/sim/admin-console`);

      await page.locator('[data-identity=bob]').click();
      await page.waitForURL(`${stack.shopUrl}/app`);
      const success = await nextEvent(page, 'wecom-login-success');
      await shot(page, 'launch');

      const claims = await verify(success.detail.idToken);
      assert.equal(claims.userid, 'bob');
      assert.equal(claims.nonce, undefined);
    });

    it("new login (ServiceApp): WeCom's pushes reach the servers through nginx, and logins work", async () => {
      const check = await stack.ticketPusher.verifyCallback(stack.newLogin.suiteId);
      const push = await stack.ticketPusher.pushTicket(stack.newLogin.suiteId);
      assert.deepEqual(
        [check.accepted, push.accepted, push.body],
        [true, true, 'success'],
        JSON.stringify([check, push]),
      );

      const page = await open(`${stack.shopUrl}/new`);
      const [popup] = await Promise.all([page.waitForEvent('popup'), page.locator('#popup-login button').click()]);
      await popup.waitForURL(
        `${stack.wecomUrl}/wwlogin/sso/login?login_type=ServiceApp&appid=${stack.newLogin.suiteId}&**`,
      );
      await scanInPopup(popup, 'alice');
      const popupSuccess = await nextEvent(page, 'wecom-login-success');
      const panelPage = await open(`${stack.shopUrl}/new`);
      await panelPage.frameLocator('#embedded-login iframe').locator('[data-identity=carol]').click();
      const panelSuccess = await nextEvent(panelPage, 'wecom-login-success');
      await shot(panelPage, 'new-login');

      for (const [success, userid] of [
        [popupSuccess, 'alice'],
        [panelSuccess, 'carol'],
      ] as const) {
        const jwks = JSON.parse((await stack.fetchThroughProxy(`${stack.loginUrl}/.well-known/jwks.json`)).text);
        const {payload} = await jwtVerify(success.detail.idToken, createLocalJWKSet(jwks), {
          issuer: stack.loginUrl,
          audience: 'acme-sa',
        });
        assert.deepEqual(
          [payload.userid, payload.name, payload.usertype, payload.azp],
          [userid, userid, undefined, stack.shopUrl],
        );
      }
      const secrets = [...stack.newLogin.secrets, push.ticket!];
      assertNoneIn(stack.serverLogs(), '"message":"login attempt"', secrets, 'the server logs');
    });

    it("inside WeCom: the app suite's callbacks arrive, and the workbench lands a member logged in", async () => {
      const check = await stack.ticketPusher.verifyCallback(stack.appSuite.suiteId);
      const push = await stack.ticketPusher.pushTicket(stack.appSuite.suiteId);
      assert.deepEqual(
        [check.accepted, push.accepted, push.body],
        [true, true, 'success'],
        JSON.stringify([check, push]),
      );

      const page = await openHearing(
        browser,
        contexts,
        `${stack.wecomUrl}/sim/wecom-client/sign-in?as=erin`,
        {width: 390, height: 844},
        WECOM_CLIENT_UA,
      );
      const requests: string[] = [];
      page.context().on('request', (request) => requests.push(request.url()));
      await page.goto(`${stack.loginUrl}/connections/acme/workbench`);
      await page.waitForURL(`${stack.shopUrl}/app`);
      const success = await nextEvent(page, 'wecom-login-success');
      await shot(page, 'workbench');

      const claims = await verify(success.detail.idToken);
      assert.deepEqual([claims.userid, claims.amr], ['erin', ['wecom_client']]);
      assert.ok(
        requests.some((url) =>
          url.startsWith(
            `${stack.wecomUrl}/connect/oauth2/authorize?appid=${stack.appSuite.suiteId}` +
              `&redirect_uri=${encodeURIComponent(`${stack.loginUrl}/connections/acme/callback`)}&`,
          ),
        ),
      );
      const secrets = [...stack.appSuite.secrets, push.ticket!];
      assertNoneIn(stack.serverLogs(), '"message":"login attempt"', secrets, 'the server logs');
    });

    it('OpenID: a team app behind Apache and mod_auth_openidc logs a member in through WeCom', async () => {
      const page = await open(`${stack.appUrl}/protected/`);
      await page.waitForURL(`${stack.loginUrl}/oidc/interaction/**`);
      const named = await page.locator('main').textContent();
      await shot(page, 'oidc-login-page');
      await page.getByRole('link', {name: /Continue with WeCom|使用企业微信继续/}).click();
      await page.waitForURL(`${stack.wecomUrl}/wwopen/sso/3rd_qrConnect**`);
      await page.locator('[data-identity=alice]').click();
      await page.waitForURL(`${stack.appUrl}/protected/`);
      await shot(page, 'oidc-app');

      assert.match(named!, /Team wiki/);
      assert.match(named!, new RegExp(new URL(stack.appUrl).host.replaceAll('.', '\\.')));
      assert.equal(await page.locator('#user').textContent(), 'alice');
      assert.equal(await page.locator('#corp').textContent(), APP_ADMITTED_CORP);
      const cookies = await page.context().cookies(stack.loginUrl);
      const session = cookies.filter((cookie) => cookie.name.startsWith('oidc_session'));
      assert.ok(session.length > 0, cookies.map((cookie) => cookie.name).join(', '));
      for (const cookie of session)
        assert.deepEqual([cookie.name, cookie.secure, cookie.httpOnly], [cookie.name, true, true]);
    });

    it("OpenID: the app's Require claim corp_id refuses a member of another enterprise", async () => {
      const page = await open(`${stack.appUrl}/protected/`);
      await page.waitForURL(`${stack.loginUrl}/oidc/interaction/**`);
      await page.getByRole('link', {name: /Continue with WeCom|使用企业微信继续/}).click();
      await page.waitForURL(`${stack.wecomUrl}/wwopen/sso/3rd_qrConnect**`);
      const [answer] = await Promise.all([
        page.waitForResponse((response) => response.url() === `${stack.appUrl}/protected/`),
        page.locator(`[data-identity=${OTHER_CORP_MEMBER.key}]`).click(),
      ]);
      await shot(page, 'oidc-app-refused');

      assert.ok([401, 403].includes(answer.status()), `status ${answer.status()}`);
      assert.equal(await page.locator('#user').count(), 0);
    });

    it('starts logins on one server process and finishes them on the other', () => {
      const authorizes = stack.upstreamsOf('/connections/acme/authorize');
      const callbacks = stack.upstreamsOf('/connections/acme/callback');

      assert.equal(
        new Set([...authorizes, ...callbacks]).size,
        2,
        `upstreams: ${[...authorizes, ...callbacks].join(', ')}`,
      );
      assert.ok(
        callbacks.some((upstream, i) => authorizes[i] !== undefined && upstream !== authorizes[i]),
        `authorize ${authorizes.join(', ')}; callback ${callbacks.join(', ')}`,
      );
    });

    it('restarts both processes in turn under steady logins, losing none', async () => {
      const outcomes: string[] = [];
      let running = true;
      // Three visitors logging in through nginx for the whole restart, each a few times a second (the
      // site's limit_req allows 20 login-route requests a second per address; a login makes two).
      const visitors = Array.from({length: 3}, async (_, index) => {
        while (running) {
          outcomes.push(await loginOverHttps(stack, ['alice', 'bob', 'carol'][index]!));
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Logins answered while each process restarted: the check below means nothing unless some were.
      const answeredDuring: number[] = [];
      for (const server of [0, 1] as const) {
        const before = outcomes.length;
        await stack.restartServer(server);
        answeredDuring.push(outcomes.length - before);
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      running = false;
      await Promise.all(visitors);

      const failures = outcomes.filter((outcome) => outcome !== 'success');
      // A count, not a rate: a CI run on a busy machine saw 12 in both restarts, under the 15 this once required.
      assert.ok(
        answeredDuring.every((count) => count > 0),
        `logins answered during each restart: ${answeredDuring.join(', ')}`,
      );
      assert.deepEqual(failures, [], `${failures.length} of ${outcomes.length} logins failed`);
      assert.match(
        stack.serverLogs(),
        /"message":"Shutting down: no new connections, finishing the requests in flight"/,
      );
    });

    it('rotates SECRET_KEY without a lost login at any stage, on either process', async () => {
      const crossings = async (stage: string) => {
        const [a, b] = stack.serverUrls;
        const outcomes = [
          await loginOverHttps(stack, 'alice', {start: a, finish: b}),
          await loginOverHttps(stack, 'bob', {start: b, finish: a}),
        ];
        assert.deepEqual(outcomes, ['success', 'success'], stage);
      };
      const oldKey = stack.environment().SECRET_KEY!;
      const newKey = randomBytes(32).toString('base64');
      await crossings('before');
      // 1. Every process learns the new key as SECRET_KEY_PREVIOUS while still signing with the old one.
      await stack.restartServer(0, {SECRET_KEY_PREVIOUS: newKey});
      await crossings('one process knows the new key');
      await stack.restartServer(1);
      await crossings('both know it');
      // 2. Then the keys swap: the new one signs and seals, the old one only opens what it made.
      await stack.restartServer(0, {SECRET_KEY: newKey, SECRET_KEY_PREVIOUS: oldKey});
      await crossings('one process signs with the new key');
      await stack.restartServer(1);
      await crossings('both sign with the new key');
      // 3. Re-seal the stored secrets under the new key, then the old one can go.
      assert.match(stack.cli(['secrets', 'reseal']), /Re-sealed under SECRET_KEY/);
      await stack.restartServer(0, {SECRET_KEY_PREVIOUS: undefined});
      await crossings('one process has dropped the old key');
      await stack.restartServer(1);
      await crossings('after');
    });

    it("backs up with the timer's own command line and environment, keeping the newest", async () => {
      const unit = readFileSync(new URL('../../deploy/systemd/wecom-sp-login-backup.service', import.meta.url), 'utf8');
      const [, command] = /^ExecStart=\/usr\/bin\/node \S+\/bin\/wecom-sp-login\.js (.+)$/m.exec(unit)!;
      assert.match(unit, /^EnvironmentFile=\/etc\/wecom-sp-login\/env$/m);
      assert.match(unit, /^User=wecom-sp-login$/m);
      const folder = mkdtempSync(join(tmpdir(), 'wecom-backups-'));
      const args = command!.split(' ').map((arg) => (arg === '/var/lib/wecom-sp-login-backups' ? folder : arg));

      if (database === 'SQLite') {
        for (let run = 0; run < 2; run++) {
          assert.match(stack.cli(args), /Backed up .* to .*wecom-sp-login-\d{8}T\d{6}Z\.db/);
          await new Promise((resolve) => setTimeout(resolve, 1100));
        }
        assert.equal(readdirSync(folder).length, 2);
        assert.equal(stack.cli([...args.slice(0, -1), '1']).includes('Removed'), true);
        assert.equal(readdirSync(folder).length, 1);
      } else {
        // With DATABASE_URL the schedule is pg_dump's; the command says so rather than copying nothing.
        const refused = (() => {
          try {
            return `exit 0: ${stack.cli(args)}`;
          } catch (error) {
            return String((error as {stdout?: string}).stdout);
          }
        })();
        assert.match(refused, /with DATABASE_URL the data is in PostgreSQL: back it up with pg_dump/);
      }
    });

    it('serves the admin console over https with HSTS, and it works with no CSP violation', async () => {
      const problems: string[] = [];
      const context = await browser.newContext();
      contexts.push(context);
      const page = await context.newPage();
      // The console's own 401 (the probe before sign-in) is expected; a CSP refusal or a script error is not.
      page.on('console', (message) => {
        if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      const response = await page.goto(`${stack.loginUrl}/admin`);

      await page.getByRole('button', {name: 'English'}).click();
      await page.locator('#token').fill(stack.adminToken);
      await page.locator('form button[type=submit]').click();
      await page.getByText('Acme').first().waitFor();
      await shot(page, 'admin');

      assert.equal(response!.headers()['strict-transport-security'], 'max-age=31536000');
      assert.equal(response!.headers()['cross-origin-opener-policy'], 'same-origin');
      assert.deepEqual(problems, []);
    });

    it('limits two clients behind the proxy separately, whatever X-Forwarded-For they send themselves', async () => {
      const authorize = (clientAddress: string, claimed: string) =>
        stack.fetchThroughProxy(
          `${stack.loginUrl}/connections/acme/authorize` +
            `?${new URLSearchParams({mode: 'popup', origin: stack.shopUrl, nonce: `nonce-${Math.random().toString(36).slice(2)}-0123456789`})}`,
          {clientAddress, headers: {'x-forwarded-for': claimed}},
        );

      // Two processes, each with its own buckets: the first client has at most 2 × RATE_LIMIT answers.
      const first: number[] = [];
      for (let i = 0; i < 4 * RATE_LIMIT; i++) first.push((await authorize('127.0.0.2', `203.0.113.${i}`)).status);
      const second = await authorize('127.0.0.3', '203.0.113.1');

      assert.ok(
        first.slice(0, RATE_LIMIT).every((status) => status === 200),
        first.join(', '),
      );
      assert.ok(
        first.slice(2 * RATE_LIMIT).every((status) => status === 429),
        first.join(', '),
      );
      assert.equal(second.status, 200);
    });

    it("records the client's address behind the proxy in the audit log, not the proxy's or a forged one", async () => {
      // A wrong admin token: each one checked has an audit row.
      await stack.fetchThroughProxy(`${stack.loginUrl}/api/connections`, {
        clientAddress: '127.0.0.4',
        headers: {'x-forwarded-for': '198.51.100.66', authorization: 'Bearer wrong-token-wrong-token'},
      });
      const audit = JSON.parse(
        (
          await stack.fetchThroughProxy(`${stack.loginUrl}/api/audit?limit=1`, {
            headers: {authorization: `Bearer ${stack.adminToken}`},
          })
        ).text,
      );

      assert.equal(audit.items[0].event, 'admin_auth_failed');
      assert.equal(audit.items[0].ip, '127.0.0.4');
    });

    it("writes no query string to nginx's access log: no auth_code, code, state or msg_signature on disk", () => {
      const lines = stack.siteAccessLog();
      const text = lines.join('\n');

      assert.ok(
        lines.some((line) => line.includes(' /connections/acme/callback ')),
        'the logins are logged',
      );
      assert.ok(
        lines.some((line) => line.includes(' /connections/acme-sa/wecom-callback ')),
        "WeCom's pushes are logged",
      );
      assert.doesNotMatch(text, /\?|auth_code|code=|state=|msg_signature|echostr/);
    });

    it('lets one client hold at most 50 requests open at nginx; another still gets in', async () => {
      const held: tls.TLSSocket[] = [];
      const refused: string[] = [];
      const open = () =>
        new Promise<void>((resolve, reject) => {
          // From an address of its own: nginx counts connections per client address.
          const tcp = net.connect({host: '127.0.0.1', port: stack.tlsPort, localAddress: '127.0.0.5'});
          const socket = tls.connect(
            {socket: tcp, servername: new URL(stack.loginUrl).hostname, ca: stack.caPem, ALPNProtocols: ['http/1.1']},
            () => {
              socket.write(
                `POST /connections/acme-sa/wecom-callback HTTP/1.1\r\nHost: ` +
                  `${new URL(stack.loginUrl).host}\r\nContent-Length: 1000\r\n\r\n`,
              );
              resolve();
            },
          );
          socket.on('data', (chunk) => refused.push(chunk.toString('latin1').split('\r\n')[0]!));
          socket.on('error', () => {});
          socket.once('error', reject);
          held.push(socket);
        });

      try {
        for (let i = 0; i < 60; i++) await open();
        for (let i = 0; i < 60 && refused.length < 10; i++) await new Promise((resolve) => setTimeout(resolve, 50));
        await new Promise((resolve) => setTimeout(resolve, 300));
        const other = await stack.fetchThroughProxy(`${stack.loginUrl}/healthz`, {clientAddress: '127.0.0.6'});

        assert.deepEqual(refused, Array(10).fill('HTTP/1.1 429 Too Many Requests'));
        assert.equal(other.status, 200);
      } finally {
        for (const socket of held) socket.destroy();
      }
    });

    it("turns one address's flood of login requests away at nginx past 100, and no one else", async () => {
      const answers: Array<{status: number; byNginx: boolean}> = [];
      for (let i = 0; i < 150; i++) {
        const response = await stack.fetchThroughProxy(`${stack.loginUrl}/connections/made-up/nothing-${i}`, {
          clientAddress: '127.0.0.7',
        });
        answers.push({status: response.status, byNginx: response.text.includes('<center>nginx')});
      }
      const health = await stack.fetchThroughProxy(`${stack.loginUrl}/healthz`, {clientAddress: '127.0.0.7'});
      const otherClient = await stack.fetchThroughProxy(`${stack.loginUrl}/connections/made-up/nothing`, {
        clientAddress: '127.0.0.8',
      });

      assert.ok(
        answers.slice(0, 100).every((answer) => answer.status === 404),
        answers.map((answer) => answer.status).join(' '),
      );
      const turnedAway = answers.filter((answer) => answer.status === 429);
      assert.ok(
        turnedAway.length >= 30 && turnedAway.every((answer) => answer.byNginx),
        `${turnedAway.length} turned away`,
      );
      assert.equal(health.status, 200);
      assert.equal(otherClient.status, 404);
    });

    it('runs the packed release, each start line saying its version and who migrated', () => {
      const version = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
      const starts = stack
        .serverLogs()
        .split('\n')
        .filter((line) => line.includes('"message":"wecom-sp-login server listening"'))
        .map((line) => JSON.parse(line));

      assert.ok(starts.length >= 6, `${starts.length} start-ups (two, then the restarts)`);
      assert.ok(
        starts.every((line) => line.version === version),
        JSON.stringify(starts.map((line) => line.version)),
      );
      assert.equal(
        starts.filter((line) => /^migrated from 0 to \d+$/.test(line.schema)).length,
        1,
        JSON.stringify(starts.map((line) => line.schema)),
      );
      assert.ok(starts.slice(1).every((line) => line.schema === 'current'));
      assert.match(stack.cli(['--version']), new RegExp(`^wecom-sp-login ${version.replaceAll('.', '\\.')}\n$`));
    });

    it('keeps /metrics off the public site; Prometheus scrapes each process with its token', async () => {
      const authorization = {authorization: `Bearer ${stack.metricsToken}`};
      const publicSite = await stack.fetchThroughProxy(`${stack.loginUrl}/metrics`, {headers: authorization});
      const scrapes = await Promise.all(
        stack.serverUrls.map((url) => stack.fetchThroughProxy(`${url}/metrics`, {headers: authorization})),
      );

      assert.equal(publicSite.status, 404);
      for (const scrape of scrapes) {
        assert.equal(scrape.status, 200);
        assert.match(scrape.text, /^process_resident_memory_bytes \d/m);
        assert.match(scrape.text, /^wecom_sp_login_wecom_calls_total\{api="get_login_info",errcode="60020"\} 0$/m);
      }
    });

    it('keeps secrets out of the server logs', () => {
      const logs = stack.serverLogs();

      assertNoneIn(
        logs,
        '"message":"login attempt"',
        [/prod-secret-/, /"level":"error"/, DATABASE_PASSWORD],
        'the server logs',
      );
      if (database === 'PostgreSQL') assert.match(logs, /"database":"postgres:\/\/postgres:\*\*\*@127\.0\.0\.1/);
    });
  });
