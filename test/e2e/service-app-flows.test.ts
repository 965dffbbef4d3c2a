import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {nextAuthorizeNonce, nextEvent, scanInPopup, screenshot, useE2e, verifyIdToken} from './e2e-harness.ts';

// WeCom's new login (login_type=ServiceApp) through the demo's second connection, demo-new: the
// page at /?flow=service-app, the simulator's wwlogin page, and the suite_ticket the simulator
// pushed to the login server's callback when the demo started.
const e2e = useE2e();
const CONNECTION = 'demo-new';

async function expectNewLogin(
  success: {detail: {idToken: string; user: {userId?: string; usertype?: number; avatar?: string}}},
  userId: string,
  expected: {nonce?: string} = {},
) {
  const claims = await verifyIdToken(e2e.demo, success.detail.idToken, {
    azp: e2e.demo.hostUrl,
    nonce: expected.nonce,
    connection: CONNECTION,
  });
  assert.deepEqual(
    [claims.userid, claims.name, claims.usertype, claims.avatar, claims.amr],
    [userId, userId, undefined, undefined, ['qr']],
  );
  assert.deepEqual(
    [success.detail.user.userId, success.detail.user.usertype, success.detail.user.avatar],
    [userId, undefined, undefined],
  );
  const stored = (await e2e.demo.store.users.list(CONNECTION, {query: userId, limit: 5})).items;
  assert.equal(stored.length, 1);
}

describe("WeCom's new login (ServiceApp) in Chromium, beside the legacy one", () => {
  it('popup: wwlogin with the SuiteID, then a token for demo-new with the userid as name and no role', async () => {
    const page = await e2e.open(`${e2e.demo.hostUrl}/?flow=service-app`);
    const nonce = nextAuthorizeNonce(page);
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.locator('#popup-login button').first().click(),
    ]);
    await popup.waitForURL(
      `${e2e.demo.simulatorUrl}/wwlogin/sso/login?login_type=ServiceApp&appid=wwdemologinsuite1&**`,
    );
    await scanInPopup(popup, 'alice');
    const success = await nextEvent(page, 'wecom-login-success');
    await page.locator('#verified.ok').waitFor();
    await screenshot(page, 'service-app-popup');
    await expectNewLogin(success, 'alice', {nonce: await nonce});
  });

  it('embedded: the wwlogin page navigates only its iframe (redirect_type=self)', async () => {
    const page = await e2e.open(`${e2e.demo.hostUrl}/?flow=service-app`);
    const panel = page.locator('#embedded-login iframe');
    assert.equal(await panel.getAttribute('allow'), 'local-network-access');
    const nonce = new URL((await panel.getAttribute('src'))!).searchParams.get('nonce')!;
    await page.frameLocator('#embedded-login iframe').locator('[data-identity=erin]').click();
    const success = await nextEvent(page, 'wecom-login-success');
    await page.locator('#verified.ok').waitFor();
    await screenshot(page, 'service-app-embedded');
    assert.equal(page.url(), `${e2e.demo.hostUrl}/?flow=service-app`, 'the host page stayed put');
    await expectNewLogin(success, 'erin', {nonce});
  });

  it('redirect: leaves for wwlogin and comes back to the same page and flow logged in', async () => {
    const page = await e2e.open(`${e2e.demo.hostUrl}/?flow=service-app`);
    const nonce = nextAuthorizeNonce(page);
    await page.locator('#redirect-login button').first().click();
    await page.waitForURL(`${e2e.demo.simulatorUrl}/wwlogin/sso/login?**`);
    await page.locator('[data-identity=carol]').click();
    await page.waitForURL(`${e2e.demo.hostUrl}/?flow=service-app`);
    const success = await nextEvent(page, 'wecom-login-success');
    await page.locator('#verified.ok').waitFor();
    await screenshot(page, 'service-app-redirect');
    await expectNewLogin(success, 'carol', {nonce: await nonce});
  });

  it("launch: WeCom's 业务设置 link on demo-new lands an admin logged in, with the role", async () => {
    const [loginInfoCalls, userInfoCalls] = [
      e2e.demo.simulator.calls('get_login_info').length,
      e2e.demo.simulator.calls('getuserinfo3rd').length,
    ];
    const page = await e2e.open(
      `${e2e.demo.loginUrl}/connections/${CONNECTION}/launch?auth_code=${e2e.demo.simulator.issueAuthCode('dave')}`,
    );
    await page.waitForURL(`${e2e.demo.hostUrl}/app?flow=service-app**`);
    const success = await nextEvent(page, 'wecom-login-success');
    await page.locator('#verified.ok').waitFor();
    await screenshot(page, 'service-app-launch');
    const claims = await verifyIdToken(e2e.demo, success.detail.idToken, {
      azp: e2e.demo.hostUrl,
      connection: CONNECTION,
    });
    assert.deepEqual([claims.userid, claims.usertype, claims.amr], ['dave', 3, ['launch']]);
    assert.deepEqual(
      [e2e.demo.simulator.calls('get_login_info').length, e2e.demo.simulator.calls('getuserinfo3rd').length],
      [loginInfoCalls + 1, userInfoCalls],
    );
  });

  it('refuses a WeChat user in no enterprise with a clear error', async () => {
    const page = await e2e.open(`${e2e.demo.hostUrl}/?flow=service-app`);
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.locator('#popup-login button').first().click(),
    ]);
    await popup.waitForURL(`${e2e.demo.simulatorUrl}/wwlogin/sso/login?**`);
    await scanInPopup(popup, 'gina');
    const failure = await nextEvent(page, 'wecom-login-error');
    await screenshot(page, 'service-app-refused');
    assert.equal(failure.detail.code, 'login_not_allowed');
  });
});
