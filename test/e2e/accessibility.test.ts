import assert from 'node:assert/strict';
import {createRequire} from 'node:module';
import {afterEach, describe, it} from 'node:test';
import type {BrowserContext, Page} from 'playwright-core';
import {useE2e} from './e2e-harness.ts';

// axe-core (WCAG 2.1 A and AA, and best practice) over every page a visitor or an admin sees, in
// Chromium, open shadow roots included (the element, the console's elements). Any violation fails.
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const ADMIN_TOKEN = 'e2e-a11y-admin-token-8f3kq2Lx9Vw4';
const e2e = useE2e({adminToken: ADMIN_TOKEN});

const contexts: BrowserContext[] = [];
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

/**
 * `url` in a fresh context that lets axe's script in: the pages' CSP (rightly) refuses injected
 * scripts, and the audit is of the page, not of its CSP.
 */
async function open(url: string): Promise<Page> {
  const context = await e2e.browser.newContext({viewport: {width: 1200, height: 900}, bypassCSP: true});
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{target: unknown[]}>;
}

/** axe-core's violations on the page as it is now. */
async function violations(page: Page): Promise<Violation[]> {
  await page.addScriptTag({path: AXE});
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {axe: {run(context: Document, options: object): Promise<{violations: Violation[]}>}}
    ).axe;
    const result = await axe.run(document, {
      runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
    });
    return result.violations.map(({id, impact, help, nodes}) => ({
      id,
      impact,
      help,
      nodes: nodes.map(({target}) => ({target})),
    }));
  });
}

function assertNone(found: Violation[], where: string): void {
  assert.deepEqual(
    found.map((v) => `${v.impact} ${v.id}: ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`),
    [],
    where,
  );
}

describe('accessibility (axe-core, WCAG 2.1 AA and best practice)', () => {
  for (const lang of ['en', 'zh-CN'] as const) {
    for (const theme of ['light', 'dark'] as const) {
      it(`the demo page, ${theme}, ${lang}, with its elements and the embedded panel`, async () => {
        const page = await open(e2e.demo.hostUrl);
        await page.locator(`button[data-lang="${lang}"]`).click();
        await page.locator(`button[data-theme="${theme}"]`).click();
        await page.locator('#embedded-login iframe').waitFor();

        assert.equal(
          await page.locator('html').getAttribute('aria-pressed'),
          null,
          'the toggles mark their buttons, not <html>',
        );
        assertNone(await violations(page), `demo ${theme} ${lang}`);
      });
    }
  }

  it("the login server's error page (an origin the connection does not allow)", async () => {
    const page = await open(
      `${e2e.demo.loginUrl}/connections/demo/authorize?mode=popup&origin=https%3A%2F%2Fevil.example` +
        `&nonce=${'n'.repeat(24)}`,
    );

    assert.match(await page.locator('h1').innerText(), /\S/);
    assertNone(await violations(page), 'error page');
  });

  it("the login server's error pages: an unknown connection, a workbench link with nowhere to land", async () => {
    for (const path of ['/connections/nobody/authorize?mode=popup', '/connections/demo-new/workbench']) {
      const page = await open(`${e2e.demo.loginUrl}${path}`);
      assertNone(await violations(page), path);
    }
  });

  it('the admin console: sign-in, every tab of a connection, a new connection and the audit log', async () => {
    const page = await open(`${e2e.demo.loginUrl}/admin`);
    await page.getByRole('button', {name: 'English'}).click();
    assertNone(await violations(page), 'sign-in');

    await page.locator('#token').fill(ADMIN_TOKEN);
    await page.locator('form button[type=submit]').click();
    await page.locator('#new-connection').waitFor();
    await page.getByRole('button', {name: /^Demo 企业微信\s+demo$/}).click();
    for (const tab of ['settings', 'setup', 'activity', 'users', 'snippet']) {
      await page.locator(`#tab-${tab}`).click();
      await page.waitForTimeout(200);
      assertNone(await violations(page), `connection tab ${tab}`);
    }
    await page.locator('#new-connection').click();
    assertNone(await violations(page), 'new connection');
    await page.locator('#audit-tab').click();
    await page.waitForTimeout(200);
    assertNone(await violations(page), 'audit log');
    await page.locator('#oidc-tab').click();
    await page.locator('#new-oidc-client').click();
    assertNone(await violations(page), 'OpenID clients and the new client form');
  });

  it("the OpenID provider's pages: the login page that names the app, and an error page", async () => {
    const created = await fetch(`${e2e.demo.loginUrl}/api/oidc-clients`, {
      method: 'POST',
      headers: {authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json'},
      body: JSON.stringify({
        name: 'Grafana',
        connection: 'demo',
        redirectUris: ['http://localhost:7999/cb'],
        anyCorp: true,
      }),
    });
    const {clientId} = (await created.json()) as {clientId: string};
    const authorize = (client: string) =>
      `${e2e.demo.loginUrl}/oidc/auth?${new URLSearchParams({
        client_id: client,
        redirect_uri: 'http://localhost:7999/cb',
        response_type: 'code',
        scope: 'openid profile',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
      })}`;

    for (const [what, client] of [
      ['login page', clientId],
      ['error page', 'nobody'],
    ] as const) {
      const page = await open(authorize(client));
      await page.locator('main h1').waitFor();
      assert.equal(page.url().includes('/oidc/interaction/'), what === 'login page', page.url());
      assertNone(await violations(page), what);
    }
    await e2e.demo.store.oidcClients.remove(clientId);
  });
});
