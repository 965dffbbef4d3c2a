import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type {Page} from 'playwright-core';
import {nextEvent, scanInPopup, screenshot, useE2e, verifyIdToken} from './e2e-harness.ts';

// Inside the WeCom client: the demo connection has the provider's app suite, whose suite_ticket the
// simulator pushed to the login server's app-callback when the demo started. The browser sends
// WeCom's iOS User-Agent, and the simulated client has a member signed in.
const e2e = useE2e();
const APP_SUITE = 'wwdemoappsuite001';

/** Every URL the page's context requested, to show no QR page was ever shown. */
function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.context().on('request', (request) => urls.push(request.url()));
  return urls;
}

/** The `sub` of `identity`'s QR login on the demo connection, in an ordinary browser. */
async function qrLoginSub(identity: string): Promise<string> {
  const page = await e2e.open(e2e.demo.hostUrl);
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.locator('#popup-login button').first().click()]);
  await scanInPopup(popup, identity);
  const success = await nextEvent(page, 'wecom-login-success');
  return (await verifyIdToken(e2e.demo, success.detail.idToken, {azp: e2e.demo.hostUrl})).sub!;
}

describe("inside the WeCom client, in Chromium with WeCom's User-Agent", () => {
  it('a tap logs the member in with no QR page, as the same user as their QR logins', async () => {
    const qrSub = await qrLoginSub('alice');
    const page = await e2e.openInWecom(e2e.demo.hostUrl, 'alice');
    const requests = recordRequests(page);
    assert.equal(
      await page.locator('#popup-login').getAttribute('mode'),
      'redirect',
      'the element uses redirect mode inside WeCom',
    );
    assert.equal(await page.locator('#embedded-login iframe').count(), 0, 'no QR panel inside WeCom');

    await page.locator('#popup-login button').first().click();
    await page.waitForURL(`${e2e.demo.hostUrl}/`);
    const success = await nextEvent(page, 'wecom-login-success');
    await page.locator('#verified.ok').waitFor();
    await screenshot(page, 'wecom-client-tap');

    const claims = await verifyIdToken(e2e.demo, success.detail.idToken, {azp: e2e.demo.hostUrl});
    assert.deepEqual(claims.amr, ['wecom_client']);
    assert.equal(claims.sub, qrSub);
    assert.ok(
      requests.some((url) => url.startsWith(`${e2e.demo.simulatorUrl}/connect/oauth2/authorize?appid=${APP_SUITE}&`)),
      "WeCom's in-client authorization was used",
    );
    assert.equal(
      requests.some((url) => /\/wwopen\/sso\/3rd_qrConnect|\/wwlogin\/sso\/login/.test(url)),
      false,
      'no QR page',
    );
  });

  it("the workbench URL (the app's 应用主页) lands on the site logged in", async () => {
    const page = await e2e.openInWecom(`${e2e.demo.loginUrl}/connections/demo/workbench`, 'bob');
    await page.waitForURL(`${e2e.demo.hostUrl}/app`);
    const success = await nextEvent(page, 'wecom-login-success');
    await page.locator('#verified.ok').waitFor();
    await screenshot(page, 'wecom-client-workbench');

    const claims = await verifyIdToken(e2e.demo, success.detail.idToken, {azp: e2e.demo.hostUrl});
    assert.deepEqual([claims.userid, claims.amr, claims.nonce], ['bob', ['wecom_client'], undefined]);
  });

  it("the simulator's workbench opens the app as a member in an ordinary browser too (the demo's way in)", async () => {
    const page = await e2e.open(`${e2e.demo.simulatorUrl}/sim/workbench`);
    await page.locator('[data-identity=erin]').click();
    await page.waitForURL(`${e2e.demo.hostUrl}/app`);
    const success = await nextEvent(page, 'wecom-login-success');
    await page.locator('#verified.ok').waitFor();
    assert.equal(success.detail.user.userId, 'erin');
  });

  it("refuses a member of no enterprise, and shows WeCom's page where the app is not installed", async () => {
    const gina = await e2e.openInWecom(e2e.demo.hostUrl, 'gina');
    await gina.locator('#redirect-login button').first().click();
    const refused = await nextEvent(gina, 'wecom-login-error');
    assert.equal(refused.detail.code, 'login_not_allowed');
    assert.match(
      (await gina.locator('#redirect-login').locator('[part=status]').textContent()) ?? '',
      /may not log in|无权登录/,
    );
    await screenshot(gina, 'wecom-client-not-a-member');

    const suite = e2e.demo.simulator.suites.appSuite(APP_SUITE)!;
    const installs = suite.installs;
    suite.installs = {};
    try {
      const page = await e2e.openInWecom(e2e.demo.hostUrl, 'alice');
      await page.locator('#popup-login button').first().click();
      await page.waitForURL(`${e2e.demo.simulatorUrl}/connect/oauth2/authorize?**`);
      assert.match((await page.locator('.error').textContent()) ?? '', /该应用未安装/);
      await screenshot(page, 'wecom-client-not-installed');
    } finally {
      suite.installs = installs;
    }
  });

  it('refuses a code WeCom already redeemed (Back) with exchange_failed, never looping', async () => {
    const first = await e2e.openInWecom(e2e.demo.hostUrl, 'carol');
    const callbacks: string[] = [];
    first.context().on('request', (request) => {
      if (request.url().includes('/connections/demo/callback?')) callbacks.push(request.url());
    });
    await first.locator('#popup-login button').first().click();
    await nextEvent(first, 'wecom-login-success');
    const usedCode = new URL(callbacks[0]!).searchParams.get('code')!;

    // The next login's OAuth answer carries the code already used, as a replayed delivery would.
    const page = await e2e.openInWecom(e2e.demo.hostUrl, 'carol');
    await page.route(`${e2e.demo.simulatorUrl}/connect/oauth2/authorize?**`, (route) => {
      const state = new URL(route.request().url()).searchParams.get('state')!;
      return route.fulfill({
        status: 302,
        headers: {
          location: `${e2e.demo.loginUrl}/connections/demo/callback?code=${encodeURIComponent(usedCode)}&state=${state}`,
        },
      });
    });
    const requests = recordRequests(page);
    await page.locator('#popup-login button').first().click();
    const refused = await nextEvent(page, 'wecom-login-error');

    assert.equal(refused.detail.code, 'exchange_failed');
    assert.equal(page.url(), `${e2e.demo.hostUrl}/`);
    assert.equal(
      requests.filter((url) => url.includes('/connect/oauth2/authorize')).length,
      1,
      'no second trip to WeCom',
    );
  });
});
