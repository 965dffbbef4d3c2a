import {randomBytes} from 'node:crypto';
import {mkdirSync, mkdtempSync} from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, afterEach, before} from 'node:test';
import {fileURLToPath} from 'node:url';
import type {JWTPayload} from 'jose';
import {chromium, type Browser, type BrowserContext, type Page} from 'playwright-core';
import {startDemoStack, type DemoStack} from '../../demo/demo-stack.ts';
import {createHostSite} from '../../demo/host-site/host-site.ts';
import {createIdTokenVerifier} from '../../demo/host-site/verify-id-token.ts';
import {createLogger} from '../../server/logger.ts';
import {assertChromiumInstalled, CHROMIUM, CHROMIUM_FLAGS} from '../helpers/chromium.ts';

/** WeCom's iOS client 4.1.30 (wecom-inclient.md §6.2): what its webview says it is. */
export const WECOM_CLIENT_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)  ' +
  'Mobile/15E148 wxwork/4.1.30 MicroMessenger/7.0.1 Language/zh ColorScheme/Light wwmver/3.26.13.714';

/** Where every test's final screenshot goes (printed once per file). */
export const SCREENSHOTS = fileURLToPath(new URL('../../test-results/e2e/', import.meta.url));

/** What a page heard: the elements' events and every message posted to it. */
export interface Heard {
  events: Array<{type: string; detail: any}>;
  messages: Array<{origin: string; data: unknown}>;
}

/** The demo (`npm start`'s three origins, on free ports and a temporary database) and one Chromium. */
export interface E2e {
  demo: DemoStack;
  browser: Browser;
  /** A fresh browser context (no cookies, no storage) on `url`, recording what the page hears. */
  open(url: string): Promise<Page>;
  /**
   * The same inside the WeCom client: a context with WeCom's User-Agent whose simulated client has
   * `identity` signed in, then `url`.
   */
  openInWecom(url: string, identity: string): Promise<Page>;
  /** Serves the handler made for a further origin of its own; returns that origin. */
  serveOrigin(handlerFor: (origin: string) => http.RequestListener): Promise<string>;
  /** Serves the demo host site on an origin the demo connection does not allow. */
  foreignHostSite(): Promise<string>;
}

/** The demo on free ports, with a fresh database and key and a silent log. */
export function startTestDemo(options: {adminToken?: string; rateLimitPerMinute?: number} = {}): Promise<DemoStack> {
  return startDemoStack({
    loginPort: 0,
    simulatorPort: 0,
    hostPort: 0,
    databasePath: join(mkdtempSync(join(tmpdir(), 'e2e-')), 'demo.db'),
    masterKey: randomBytes(32),
    log: createLogger(() => {}),
    ...options,
  });
}

/** Starts the demo (with an admin token when given) and Chromium before the file's tests, and stops them after. */
export function useE2e(options: {adminToken?: string; rateLimitPerMinute?: number} = {}): E2e {
  const e2e = {} as E2e;
  const extraServers: http.Server[] = [];
  const contexts: BrowserContext[] = [];
  // Each test's pages go with it, so no page of an earlier test (an embedded QR panel, say) is still running.
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });
  before(async () => {
    assertChromiumInstalled();
    mkdirSync(SCREENSHOTS, {recursive: true});
    const demo = await startTestDemo(options);
    const browser = await chromium.launch({executablePath: CHROMIUM, args: CHROMIUM_FLAGS});
    // Bound first, so the handler can be made knowing its own origin (a host site checks azp against it).
    const serveOrigin = async (handlerFor: (origin: string) => http.RequestListener) => {
      const server = http.createServer();
      extraServers.push(server);
      await new Promise<void>((resolve) => server.listen(0, resolve));
      const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
      server.on('request', handlerFor(origin));
      return origin;
    };
    Object.assign(e2e, {
      demo,
      browser,
      serveOrigin,
      foreignHostSite: () =>
        serveOrigin((origin) =>
          createHostSite({
            loginServerUrl: demo.loginUrl,
            simulatorUrl: demo.simulatorUrl,
            siteOrigin: origin,
            connections: {legacy: 'demo', serviceApp: 'demo-new'},
          }).callback(),
        ),
      open: (url: string) => openHearing(browser, contexts, url),
      async openInWecom(url: string, identity: string) {
        const page = await openHearing(
          browser,
          contexts,
          `${demo.simulatorUrl}/sim/wecom-client/sign-in?as=${identity}`,
          {width: 390, height: 844},
          WECOM_CLIENT_UA,
        );
        await page.goto(url);
        return page;
      },
    });
    console.log(`e2e screenshots: ${SCREENSHOTS}`);
  });
  after(async () => {
    await e2e.browser?.close();
    await Promise.all(
      extraServers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      ),
    );
    await e2e.demo?.close();
  });
  return e2e;
}

/**
 * Opens `url` in a fresh browser context (no cookies, no storage), kept in `contexts` for closing,
 * whose pages record what they hear (heard()).
 */
export async function openHearing(
  browser: Browser,
  contexts: BrowserContext[],
  url: string,
  viewport = {width: 1200, height: 900},
  userAgent?: string,
): Promise<Page> {
  const context = await browser.newContext({viewport, userAgent});
  contexts.push(context);
  await recordHeard(context);
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

/** Makes every page of `context` record the elements' events and the messages posted to it, for heard(). */
async function recordHeard(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const heard = {events: [] as unknown[], messages: [] as unknown[]};
    Object.assign(window, {heard});
    for (const type of ['wecom-login-start', 'wecom-login-success', 'wecom-login-error']) {
      document.addEventListener(
        type,
        (event) => heard.events.push({type, detail: (event as CustomEvent).detail}),
        true,
      );
    }
    window.addEventListener('message', (event) => heard.messages.push({origin: event.origin, data: event.data}), true);
  });
}

/** What the page has heard so far. */
export function heard(page: Page): Promise<Heard> {
  return page.evaluate(() => (window as unknown as {heard: Heard}).heard);
}

/** Waits until the page has heard an element event of `type`, and returns it. */
export async function nextEvent(
  page: Page,
  type: 'wecom-login-success' | 'wecom-login-error',
): Promise<{type: string; detail: any}> {
  await page.waitForFunction(
    (wanted) => (window as unknown as {heard: Heard}).heard.events.some((e) => e.type === wanted),
    type,
    {timeout: 15_000},
  );
  return (await heard(page)).events.find((e) => e.type === type)!;
}

/** Verifies an ID token as a host site's backend must (the demo site's own verifier), plus the nonce. */
export async function verifyIdToken(
  demo: DemoStack,
  idToken: string,
  expected: {azp: string; nonce?: string; connection?: string},
): Promise<JWTPayload> {
  const payload = await createIdTokenVerifier({
    loginServer: demo.loginUrl,
    connection: expected.connection ?? 'demo',
    siteOrigin: expected.azp,
  })(idToken);
  if (expected.nonce !== undefined && payload.nonce !== expected.nonce)
    throw new Error(`nonce ${String(payload.nonce)}`);
  return payload;
}

/** Saves the page's final state as `name`.png in the screenshots folder. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({path: join(SCREENSHOTS, `${name}.png`), fullPage: true});
}

/** Scans in the popup's simulator page as `identity` and waits for the popup to close itself. */
export async function scanInPopup(popup: Page, identity: string): Promise<void> {
  // Listening first: the result page may close the popup before a later listener is attached.
  const closed = popup.waitForEvent('close');
  await popup.locator(`[data-identity=${identity}]`).click({noWaitAfter: true});
  await closed;
}

/** The nonce of the next authorize request made from `page`'s browser context. */
export function nextAuthorizeNonce(page: Page): Promise<string> {
  return page
    .context()
    .waitForEvent('request', {predicate: (request) => request.url().includes('/authorize?')})
    .then((request) => new URL(request.url()).searchParams.get('nonce')!);
}
