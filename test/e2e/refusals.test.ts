import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type {Frame, Page} from 'playwright-core';
import {heard, nextAuthorizeNonce, nextEvent, scanInPopup, screenshot, useE2e, type Heard} from './e2e-harness.ts';

const e2e = useE2e();

async function openPopup(page: Page) {
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.locator('#popup-login button').first().click()]);
  await popup.waitForLoadState();
  return popup;
}

/** Opens the popup and waits until it shows WeCom's (the simulator's) QR page. */
async function openQrPopup(page: Page) {
  const popup = await openPopup(page);
  await popup.waitForURL(`${e2e.demo.simulatorUrl}/**`);
  return popup;
}

describe('the demo refuses, end to end in Chromium', () => {
  it('cancel on the WeCom page ends the login with login_cancelled', async () => {
    const page = await e2e.open(`${e2e.demo.hostUrl}/`);
    const popup = await openQrPopup(page);

    await popup.locator('#cancel').click();
    const error = await nextEvent(page, 'wecom-login-error');
    await screenshot(page, 'cancelled');

    assert.equal(error.detail.code, 'login_cancelled');
  });

  it('closing the popup ends the login with popup_closed', async () => {
    const page = await e2e.open(`${e2e.demo.hostUrl}/`);
    const popup = await openQrPopup(page);

    await popup.close();
    const error = await nextEvent(page, 'wecom-login-error');
    await screenshot(page, 'popup-closed');

    assert.equal(error.detail.code, 'popup_closed');
  });

  it('a host origin not in allowedOrigins gets an error page, and no message reaches it', async () => {
    const foreign = await e2e.foreignHostSite();
    const qrCodesBefore = e2e.demo.simulator.shownQrCodes().length;
    const page = await e2e.open(`${foreign}/`);

    const [response] = await Promise.all([
      page.context().waitForEvent('response', {predicate: (r) => r.url().includes('/authorize?')}),
      openPopup(page),
    ]);
    const popup = page.context().pages().at(-1)!;
    await screenshot(popup, 'foreign-origin-popup');
    const popupText = await popup.locator('body').innerText();
    await popup.close();
    const error = await nextEvent(page, 'wecom-login-error');
    await screenshot(page, 'foreign-origin');

    assert.equal(response.status(), 400);
    assert.match(popupText, /origin_not_allowed/);
    assert.equal(error.detail.code, 'popup_closed');
    assert.deepEqual(
      (await heard(page)).messages.filter((m) => m.origin === e2e.demo.loginUrl),
      [],
    );
    assert.equal(e2e.demo.simulator.shownQrCodes().length, qrCodesBefore, 'WeCom was never reached');
  });

  it('a login-only connection refuses a user it does not know with login_not_allowed', async () => {
    await e2e.demo.store.connections.create({
      identifier: 'demo-members',
      displayName: 'Members only',
      corpId: 'wwdemoprovider0001',
      providerSecret: 'demo-provider-secret-not-for-production',
      callbackUrl: '',
      loginMode: 'login-only',
      usertype: 'member',
      allowedOrigins: [e2e.demo.hostUrl],
      launchUrl: `${e2e.demo.hostUrl}/app`,
    });
    const page = await e2e.open(`${e2e.demo.hostUrl}/`);
    await page.locator('#popup-login').evaluate((element) => element.setAttribute('connection', 'demo-members'));

    const popup = await openQrPopup(page);
    await popup.locator('[data-identity=dave]').click();
    const error = await nextEvent(page, 'wecom-login-error');
    await screenshot(page, 'login-not-allowed');

    assert.equal(error.detail.code, 'login_not_allowed');
    assert.equal((await e2e.demo.store.users.list('demo-members', {limit: 10})).items.length, 0);
  });

  it('forged results posted by a hostile page on a fourth origin are ignored', async () => {
    // The hostile page frames the shop and keeps posting it "successes", even with the real nonce.
    const hostile = await e2e.serveOrigin(() => (_request, response) => {
      response.setHeader('content-type', 'text/html');
      response.end(
        `<!doctype html><title>hostile</title><iframe src="${e2e.demo.hostUrl}/" width="1100" ` +
          `height="800"></iframe>
        <script>
          window.sent = 0;
          const forged = (nonce) => ({type: 'wecom-sp-login:success', nonce, idToken: ` +
          `'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.c2ln',
            user: {id: 'mallory', corpId: 'wwevil', userId: 'mallory', name: 'mallory', usertype: 1}});
          setInterval(() => {
            const target = document.querySelector('iframe').contentWindow;
            target.postMessage(forged(window.nonce ?? 'x'.repeat(43)), '*');
            target.postMessage(JSON.stringify(forged(window.nonce)), '*');
            window.sent += 2;
          }, 50);
        </script>`,
      );
    });
    const page = await e2e.open(`${hostile}/`);
    const shop = await until(() => page.frames().find((frame) => frame.url().startsWith(e2e.demo.hostUrl)));
    const authorize = nextAuthorizeNonce(page);

    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      shop.locator('#popup-login button').first().click(),
    ]);
    const nonce = await authorize;
    await page.evaluate((value) => Object.assign(window, {nonce: value, sent: 0}), nonce);
    await page.waitForFunction(() => (window as unknown as {sent: number}).sent >= 20);
    const beforeScan = await heardIn(shop);
    await scanInPopup(popup, 'alice');
    await shop.waitForFunction(() =>
      (window as unknown as {heard: Heard}).heard.events.some((e) => e.type === 'wecom-login-success'),
    );
    await screenshot(page, 'hostile-page');

    const afterScan = await heardIn(shop);
    assert.ok(
      beforeScan.messages.filter((m) => m.origin === hostile).length >= 20,
      'the forged messages did reach the shop',
    );
    assert.deepEqual(
      beforeScan.events.filter((e) => e.type !== 'wecom-login-start'),
      [],
    );
    assert.deepEqual(
      afterScan.events.filter((e) => e.type === 'wecom-login-success').map((e) => e.detail.user.userId),
      ['alice'],
    );
  });
});

function heardIn(frame: Frame): Promise<Heard> {
  return frame.evaluate(() => (window as unknown as {heard: Heard}).heard);
}

async function until<T>(check: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = check();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('timed out');
}
