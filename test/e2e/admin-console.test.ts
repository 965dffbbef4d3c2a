import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type {Page} from 'playwright-core';
import {screenshot, startTestDemo, useE2e} from './e2e-harness.ts';

const ADMIN_TOKEN = 'e2e-admin-token-0123456789';
const SECRET = 'Fresh-ProviderSecret-4b7e9d2a1c6f';
const e2e = useE2e({adminToken: ADMIN_TOKEN});

/** Opens /admin in a fresh context and signs in; returns the page and every /api response body it saw. */
async function signIn(lang: 'en' | 'zh-CN' = 'en'): Promise<{page: Page; apiBodies: string[]}> {
  const page = await e2e.open(`${e2e.demo.loginUrl}/admin`);
  const apiBodies: string[] = [];
  page.on('response', async (response) => {
    if (response.url().includes('/api/')) apiBodies.push(await response.text().catch(() => ''));
  });
  if (lang === 'zh-CN') await page.getByRole('button', {name: '中文'}).click();
  else await page.getByRole('button', {name: 'English'}).click();
  await page.locator('#token').fill(ADMIN_TOKEN);
  await page.locator('form button[type=submit]').click();
  await page.locator('#new-connection').waitFor();
  return {page, apiBodies};
}

/** Everything a page renders, through every shadow root, with the values of its inputs. */
function renderedText(page: Page): Promise<string> {
  // A string, not a function: tsx would wrap a nested named function in a helper the page lacks.
  return page.evaluate(`(() => {
    const parts = [document.documentElement.outerHTML];
    const walk = (root) => {
      for (const element of root.querySelectorAll('*')) {
        if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) parts.push(element.value);
        if (element.shadowRoot) {
          parts.push(element.shadowRoot.innerHTML);
          walk(element.shadowRoot);
        }
      }
    };
    walk(document);
    return parts.join('\\n');
  })()`);
}

async function createConnection(page: Page, fields: Record<string, string>): Promise<void> {
  await page.locator('#new-connection').click();
  for (const [field, value] of Object.entries(fields))
    await page.locator(`admin-connection-form #${field}`).fill(value);
  await page.locator('admin-connection-form button[type=submit]').click();
}

const GOOD = {
  identifier: 'shop',
  displayName: 'Shop 企业微信',
  corpId: 'wwdemoprovider0001',
  providerSecret: SECRET,
  allowedOrigins: 'https://shop.example',
  launchUrl: 'https://shop.example/app',
};

describe('the admin console, in Chromium', () => {
  it('refuses a wrong token and keeps the right one in sessionStorage, never in the URL', async () => {
    const page = await e2e.open(`${e2e.demo.loginUrl}/admin`);
    await page.getByRole('button', {name: 'English'}).click();

    await page.locator('#token').fill('not-the-token-at-all');
    await page.locator('form button[type=submit]').click();
    const refusal = await page.locator('#signin-error').innerText();
    await page.locator('#token').fill(ADMIN_TOKEN);
    await page.locator('form button[type=submit]').click();
    await page.locator('#new-connection').waitFor();

    assert.equal(refusal, 'That token is not valid.');
    assert.equal(page.url(), `${e2e.demo.loginUrl}/admin`);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('wecom-sp-login:admin-token')), ADMIN_TOKEN);
  });

  it('says clearly when the admin API is disabled', async () => {
    const plain = await startTestDemo();
    try {
      const page = await e2e.open(`${plain.loginUrl}/admin`);
      await page.getByRole('button', {name: 'English'}).click();
      const beforeSignIn = await page.locator('#signin-error').innerText();
      await page.locator('#token').fill('anything-at-all-here');
      await page.locator('form button[type=submit]').click();
      await screenshot(page, 'admin-disabled');

      assert.match(beforeSignIn, /admin API is disabled.*ADMIN_TOKEN/);
      assert.match(await page.locator('#signin-error').innerText(), /admin API is disabled.*ADMIN_TOKEN/);
    } finally {
      await plain.close();
    }
  });

  it("shows a bad identifier inline before sending, and the API's own error next to its field", async () => {
    const {page} = await signIn();

    await page.locator('#new-connection').click();
    await page.locator('admin-connection-form #identifier').fill('Bad_ID');
    const identifierError = await page.locator('admin-connection-form #identifier-note').innerText();
    await page.locator('admin-connection-form #identifier').fill('fine-id');
    for (const [field, value] of Object.entries({
      ...GOOD,
      identifier: 'fine-id',
      allowedOrigins: 'https://shop.example/',
    })) {
      if (field !== 'identifier') await page.locator(`admin-connection-form #${field}`).fill(value);
    }
    await page.locator('admin-connection-form button[type=submit]').click();
    const originsError = page.locator('admin-connection-form #allowedOrigins-note.error');
    await originsError.waitFor();
    await screenshot(page, 'admin-inline-errors');

    assert.equal(identifierError, 'Use 1 to 31 lowercase letters, digits or "-".');
    assert.equal(await page.locator('admin-connection-form #identifier').getAttribute('aria-invalid'), 'false');
    assert.match(await originsError.innerText(), /not an exact origin/);
    assert.equal(await page.locator('admin-connection-form #allowedOrigins').getAttribute('aria-invalid'), 'true');
    await assert.rejects(e2e.demo.store.connections.get('fine-id'));
  });

  it('creates, edits and deletes a connection, and never renders the secret back', async () => {
    const {page, apiBodies} = await signIn();

    await createConnection(page, GOOD);
    await page.locator('admin-connection-detail h2', {hasText: 'Shop 企业微信'}).waitFor();
    const secretField = await page.locator('admin-connection-form #providerSecret').inputValue();
    await page.locator('admin-connection-form #displayName').fill('Shop (renamed)');
    await page.locator('admin-connection-form #allowedCorpIds').fill('wwcustomer0000001\nwwothercustomer01');
    await page.locator('admin-connection-form button[type=submit]').click();
    await page.locator('nav', {hasText: 'Shop (renamed)'}).waitFor();
    const stored = await e2e.demo.store.connections.getForExchange('shop');
    const rendered = await renderedText(page);
    await screenshot(page, 'admin-edited');
    await page.locator('#delete').click();
    await page.locator('#confirm-delete').click();
    await page.locator('nav', {hasText: 'Shop (renamed)'}).waitFor({state: 'detached'});

    assert.equal(secretField, '');
    assert.equal(stored.displayName, 'Shop (renamed)');
    assert.deepEqual(stored.allowedCorpIds, ['wwcustomer0000001', 'wwothercustomer01']);
    assert.equal(stored.providerSecret, SECRET, 'saving other fields kept the secret');
    assert.ok(!rendered.includes(SECRET), 'the secret is not in the page');
    assert.ok(
      apiBodies.length > 0 && apiBodies.every((body) => !body.includes(SECRET)),
      'the secret is in no API response',
    );
    await assert.rejects(e2e.demo.store.connections.get('shop'));
  });

  it('checks credentials against WeCom and explains an IP missing from the whitelist (60020)', async () => {
    const {page} = await signIn('zh-CN');

    await page.locator('#tab-setup').click();
    const loginDomain = await page.locator('admin-setup-checklist code').first().innerText();
    await page.locator('#check').click();
    const ok = await page.locator('#check-result').getAttribute('data-diagnosis');
    e2e.demo.simulator.setIpWhitelist(['203.0.113.7']);
    try {
      await page.locator('#check').click();
      await page.locator('#check-result[data-diagnosis=ip_not_whitelisted]').waitFor();
      await screenshot(page, 'admin-check-60020');

      assert.equal(loginDomain, new URL(e2e.demo.loginUrl).host);
      assert.equal(ok, 'ok');
      assert.match(await page.locator('#check-result').innerText(), /IP白名单/);
      assert.match(await page.locator('#seen-ip').innerText(), /127\.0\.0\.1/);
    } finally {
      e2e.demo.simulator.setIpWhitelist(null);
    }
  });

  it("lists a connection's users, newest first and searchable, and explains errcodes in the audit log", async () => {
    for (const [userId, name] of [
      ['alice', 'alice'],
      ['bob', 'bob'],
    ] as const) {
      await e2e.demo.store.users.recordLogin(
        'demo',
        {corpId: 'wwcustomer0000001', openUserId: `wo${userId}`, userId, name, usertype: 5},
        {allowCreate: true, ip: '127.0.0.1'},
      );
    }
    await e2e.demo.store.audit.record({
      event: 'credentials_checked',
      connection: 'demo',
      code: 'ip_not_whitelisted',
      wecomErrcode: 60020,
      ip: '127.0.0.1',
    });
    const {page} = await signIn();

    await page.locator('#tab-users').click();
    await page.locator('admin-users-panel td', {hasText: 'bob'}).first().waitFor();
    const names = await page.locator('admin-users-panel tbody tr td:first-child').allInnerTexts();
    await page.locator('#user-search').fill('ali');
    await page.locator('admin-users-panel tbody tr').filter({hasText: 'bob'}).waitFor({state: 'detached'});
    const found = await page.locator('admin-users-panel tbody tr td:first-child').allInnerTexts();
    await page.locator('#audit-tab').click();
    await page.locator('#audit-event').selectOption('credentials_checked');
    await page.locator('admin-audit-panel td', {hasText: '60020'}).first().waitFor();
    await screenshot(page, 'admin-audit');

    assert.deepEqual(names.slice(0, 2), ['bob', 'alice']);
    assert.deepEqual(found, ['alice']);
    assert.match(
      await page.locator('admin-audit-panel tr', {hasText: '60020'}).first().innerText(),
      /not on the provider's IP whitelist/,
    );
  });

  it('works from the keyboard alone and fits a phone screen', async () => {
    const page = await e2e.open(`${e2e.demo.loginUrl}/admin`);
    await page.setViewportSize({width: 390, height: 844});

    await page.locator('#token').focus();
    await page.keyboard.type(ADMIN_TOKEN);
    await page.keyboard.press('Enter');
    await page.locator('#new-connection').waitFor();
    await page.locator('#new-connection').focus();
    await page.keyboard.press('Enter');
    await page.locator('admin-connection-form #identifier').waitFor();
    const focused = await page.evaluate(() => {
      let element: Element | null = document.activeElement;
      while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
      return element?.id;
    });
    const overflow = await page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth);
    await screenshot(page, 'admin-phone');

    assert.equal(focused, 'identifier');
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
  });

  it('gives the snippet for a site, ready to copy', async () => {
    const {page} = await signIn();

    await page.locator('#tab-snippet').click();

    assert.equal(
      await page.locator('#snippet').innerText(),
      `<script type="module" ` +
        `src="${e2e.demo.loginUrl}/widget/wecom-sp-login.js"></script>\n<wecom-sp-login ` +
        `server="${e2e.demo.loginUrl}" connection="demo"></wecom-sp-login>`,
    );
  });
});

describe('the admin console shows login activity', () => {
  it('draws 30 days of logins with failures by reason, explaining the latest', async () => {
    const day = 24 * 60 * 60_000;
    const insert = e2e.demo.db.prepare(
      'INSERT INTO audit_log (at, event, connection_identifier, code, wecom_errcode) VALUES (?, ?, ?, ?, ?)',
    );
    // Three weeks of a connection's life: daily logins, a week of WeCom refusing the IP, some expired codes.
    for (let ago = 20; ago >= 0; ago--) {
      const at = Date.now() - ago * day;
      for (let i = 0; i < 8 + (ago % 5) * 3; i++) insert.run(at - i * 60_000, 'login_succeeded', 'demo', null, null);
      if (ago >= 10 && ago < 15)
        for (let i = 0; i < 6; i++) insert.run(at - i * 50_000, 'login_failed', 'demo', 'wecom_config_error', 60020);
      if (ago % 4 === 0) insert.run(at - 30_000, 'login_failed', 'demo', 'exchange_failed', 40029);
    }
    const {page} = await signIn();
    const cspErrors: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) cspErrors.push(message.text());
    });

    await page.locator('#tab-activity').click();
    await page.locator('#activity-chart rect').first().waitFor();
    const bars = await page.locator('#activity-chart g').count();
    const legend = await page.locator('admin-activity-panel .legend').innerText();
    const latest = await page.locator('#latest-failures').innerText();
    await screenshot(page, 'admin-activity');

    assert.equal(bars, 30);
    assert.match(legend, /Succeeded[\s\S]*exchange_failed[\s\S]*wecom_config_error/);
    assert.match(latest, /exchange_failed 40029/);
    assert.match(latest, /WeCom did not accept the login code/);
    assert.deepEqual(cspErrors, []);
  });
});

describe("the admin console and WeCom's new login", () => {
  it('creates a service-app connection, showing its generated callback secrets once', async () => {
    const {page, apiBodies} = await signIn();
    await page.locator('#new-connection').click();
    const form = page.locator('admin-connection-form');
    await form.locator('#flow').selectOption('service-app');
    assert.equal(await form.locator('#usertype').count(), 0, "the QR user type is the legacy page's");
    for (const [field, value] of Object.entries({
      identifier: 'shop-new',
      displayName: 'Shop 新版',
      corpId: 'wwdemoprovider0001',
      suiteId: 'wwshopsuite000001',
      suiteSecret: 'Shop-Suite-Secret-0001',
      allowedOrigins: 'https://shop.example',
    })) {
      await form.locator(`#${field}`).fill(value);
    }
    await form.locator('#generate').click();
    const token = await form.locator('#callbackToken').inputValue();
    const key = await form.locator('#encodingAesKey').inputValue();
    assert.match(token, /^[A-Za-z0-9]{32}$/);
    assert.match(key, /^[A-Za-z0-9]{43}$/);
    // A launch URL without the ProviderSecret: the launch could not tell admins from members.
    await form.locator('#launchUrl').fill('https://shop.example/app');
    await form.locator('button[type=submit]').click();
    await form
      .locator('#providerSecret-note[role=alert]')
      .getByText(/providerSecret is required .* launchUrl/)
      .waitFor();
    await screenshot(page, 'admin-service-app-form');
    await form.locator('#launchUrl').fill('');
    await form.locator('button[type=submit]').click();
    await page.locator('#tab-setup').waitFor();

    const stored = await e2e.demo.store.connections.getForExchange('shop-new');
    assert.deepEqual(
      [stored.flow, stored.suiteId, stored.suiteSecret, stored.callbackToken, stored.encodingAesKey],
      ['service-app', 'wwshopsuite000001', 'Shop-Suite-Secret-0001', token, key],
    );
    assert.ok(
      apiBodies.every(
        (body) => !body.includes(token) && !body.includes(key) && !body.includes('Shop-Suite-Secret-0001'),
      ),
      'no API answer carries them',
    );
    assert.equal(await form.locator('#callbackToken').inputValue(), '', 'cleared once saved');

    await page.locator('#tab-setup').click();
    const checklist = page.locator('admin-setup-checklist');
    await checklist.getByText('No suite_ticket received yet').waitFor();
    assert.ok(
      (await checklist.locator('code').allInnerTexts()).includes(
        `${e2e.demo.loginUrl}/connections/shop-new/wecom-callback`,
      ),
    );
    await page.locator('#check').click();
    await page.locator('#check-result[data-diagnosis=no_suite_ticket]').waitFor();

    // The demo's own service-app connection got its ticket when the demo started.
    await page.getByRole('button', {name: /新版登录/}).click();
    await page.locator('#tab-setup').click();
    await checklist.getByText(/Last suite_ticket received/).waitFor();
    await page.locator('#check').click();
    await page.locator('#check-result[data-diagnosis=ok]').waitFor();
    await screenshot(page, 'admin-service-app-setup');
    await e2e.demo.store.connections.remove('shop-new');
  });
});

describe('the admin console and logins inside WeCom', () => {
  it("adds an app suite, all of it or none, with what to enter on WeCom's app page", async () => {
    const {page, apiBodies} = await signIn();
    await page.locator('#new-connection').click();
    const form = page.locator('admin-connection-form');
    const fields = {
      identifier: 'shop-app',
      displayName: 'Shop 工作台',
      corpId: 'wwdemoprovider0001',
      providerSecret: 'Shop-Provider-Secret-1',
      allowedOrigins: 'https://shop.example',
      appSuiteId: 'wwdemoappsuite001',
    };
    for (const [field, value] of Object.entries(fields)) await form.locator(`#${field}`).fill(value);
    await form.locator('button[type=submit]').click();
    await form
      .locator('#appSuiteSecret-note[role=alert]')
      .getByText(/appSuiteSecret is required with the other app suite fields/)
      .waitFor();

    // The demo's app suite, whose ticket the simulator pushed when the demo started: the check can pass.
    await form.locator('#appSuiteSecret').fill('demo-app-suite-secret-not-for-production');
    await form.locator('#generate-app').click();
    const token = await form.locator('#appCallbackToken').inputValue();
    const key = await form.locator('#appEncodingAesKey').inputValue();
    assert.match(token, /^[A-Za-z0-9]{32}$/);
    assert.match(key, /^[A-Za-z0-9]{43}$/);
    await screenshot(page, 'admin-in-wecom-form');
    await form.locator('button[type=submit]').click();
    await page.locator('#tab-setup').waitFor();

    const stored = await e2e.demo.store.connections.getForExchange('shop-app');
    assert.deepEqual(
      [stored.appSuiteId, stored.appSuiteSecret, stored.appCallbackToken, stored.appEncodingAesKey],
      ['wwdemoappsuite001', 'demo-app-suite-secret-not-for-production', token, key],
    );
    assert.ok(
      apiBodies.every(
        (body) => !body.includes(token) && !body.includes(key) && !body.includes('demo-app-suite-secret'),
      ),
      'no API answer carries them',
    );

    await page.locator('#tab-setup').click();
    const checklist = page.locator('admin-setup-checklist');
    await checklist.getByText(/Last suite_ticket received/).waitFor();
    const values = await checklist.locator('code').allInnerTexts();
    for (const url of ['workbench', 'app-callback'])
      assert.ok(values.includes(`${e2e.demo.loginUrl}/connections/shop-app/${url}`), url);
    await checklist.getByText(/基础账号/).waitFor();
    await page.locator('#check-app').click();
    await page
      .locator('#check-app-result[data-diagnosis=ok]')
      .getByText(/app suite/)
      .waitFor();
    await screenshot(page, 'admin-in-wecom-setup');
    await e2e.demo.store.connections.remove('shop-app');
  });
  it('registers an OpenID client, showing its secret once, rotates it and deletes the client', async () => {
    const {page, apiBodies} = await signIn();
    await page.locator('#oidc-tab').click();
    const discovery = await page.locator('#discovery').innerText();
    await page.locator('#new-oidc-client').click();
    await page.locator('#clientId').fill('grafana');
    await page.locator('#name').fill('Grafana');
    await page.locator('#redirectUris').fill('javascript:alert(1)');
    await page.locator('#oidc-client-form button[type=submit]').click();
    const badUri = await page.locator('#redirectUris-note.error').innerText();
    await page.locator('#redirectUris').fill('https://grafana.example.com/login/generic_oauth');
    await page.locator('#allowedCorpIds').fill('wwcustomer0000001');
    await page.locator('#oidc-client-form button[type=submit]').click();
    const secret = await page.locator('#client-secret').innerText();
    await screenshot(page, 'admin-oidc-client');
    const enterprises = await page.locator('tr[data-client=grafana] td').nth(3).innerText();
    await page.locator('tr[data-client=grafana] .rotate').click();
    await page.locator('#client-secret', {hasNotText: secret}).waitFor();
    const rotated = await page.locator('#client-secret').innerText();
    await page.locator('tr[data-client=grafana] .delete').click();
    await page.locator('tr[data-client=grafana] .confirm-delete').click();
    await page.locator('tr[data-client=grafana]').waitFor({state: 'detached'});

    assert.equal(discovery, `${e2e.demo.loginUrl}/oidc/.well-known/openid-configuration`);
    assert.equal(enterprises, 'wwcustomer0000001');
    assert.match(badUri, /javascript:alert\(1\)/);
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(rotated, secret);
    assert.equal(await e2e.demo.store.oidcClients.get('grafana'), null);
    const later = apiBodies.filter((body) => body.includes('"items"'));
    assert.ok(later.length > 0);
    for (const body of later) assert.equal(body.includes(secret), false, 'the list never carries the secret');
  });
});
