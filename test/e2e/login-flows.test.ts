import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {heard, nextAuthorizeNonce, nextEvent, scanInPopup, screenshot, useE2e, verifyIdToken} from './e2e-harness.ts';

const e2e = useE2e();

async function userIdsInDatabase(): Promise<string[]> {
  return (await e2e.demo.store.users.list('demo', {limit: 100})).items.map((user) => user.userId ?? '');
}

describe('the demo, end to end in Chromium', () => {
  it('popup: opens the QR page, closes after the scan, and the token verifies against the JWKS', async () => {
    const page = await e2e.open(`${e2e.demo.hostUrl}/`);
    const nonce = nextAuthorizeNonce(page);

    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.locator('#popup-login button').first().click(),
    ]);
    await popup.waitForURL(`${e2e.demo.simulatorUrl}/wwopen/sso/3rd_qrConnect**`);
    await scanInPopup(popup, 'alice');
    const success = await nextEvent(page, 'wecom-login-success');
    await page.locator('#verified.ok').waitFor();
    await screenshot(page, 'popup');

    const claims = await verifyIdToken(e2e.demo, success.detail.idToken, {azp: e2e.demo.hostUrl, nonce: await nonce});
    assert.equal(claims.userid, 'alice');
    assert.equal(success.detail.user.userId, 'alice');
    assert.ok((await userIdsInDatabase()).includes('alice'));
  });

  it('embedded: the same login inside the QR panel', async () => {
    const page = await e2e.open(`${e2e.demo.hostUrl}/`);
    const panel = page.locator('#embedded-login iframe');
    const nonce = new URL((await panel.getAttribute('src'))!).searchParams.get('nonce')!;

    await page.frameLocator('#embedded-login iframe').locator('[data-identity=bob]').click();
    const success = await nextEvent(page, 'wecom-login-success');
    await page.locator('#verified.ok').waitFor();
    await screenshot(page, 'embedded');

    const claims = await verifyIdToken(e2e.demo, success.detail.idToken, {azp: e2e.demo.hostUrl, nonce});
    assert.equal(claims.userid, 'bob');
    assert.ok((await userIdsInDatabase()).includes('bob'));
  });

  it('redirect: the page leaves for WeCom, comes back without the fragment, and success fires', async () => {
    const page = await e2e.open(`${e2e.demo.hostUrl}/`);
    const nonce = nextAuthorizeNonce(page);

    await page.locator('#redirect-login button').first().click();
    await page.waitForURL(`${e2e.demo.simulatorUrl}/wwopen/sso/3rd_qrConnect**`);
    await page.locator('[data-identity=carol]').click();
    await page.waitForURL(`${e2e.demo.hostUrl}/**`);
    const success = await nextEvent(page, 'wecom-login-success');
    await page.locator('#verified.ok').waitFor();
    await screenshot(page, 'redirect');

    assert.equal(page.url(), `${e2e.demo.hostUrl}/`);
    const claims = await verifyIdToken(e2e.demo, success.detail.idToken, {azp: e2e.demo.hostUrl, nonce: await nonce});
    assert.equal(claims.userid, 'carol');
  });

  it("launch: the admin console's trigger lands on launchUrl logged in, with no QR", async () => {
    const page = await e2e.open(`${e2e.demo.simulatorUrl}/sim/admin-console`);

    await page.locator('[data-identity=bob]').click();
    await page.waitForURL(`${e2e.demo.hostUrl}/app**`);
    const success = await nextEvent(page, 'wecom-login-success');
    await page.locator('#verified.ok').waitFor();
    await screenshot(page, 'launch');

    assert.equal(page.url(), `${e2e.demo.hostUrl}/app`);
    const claims = await verifyIdToken(e2e.demo, success.detail.idToken, {azp: e2e.demo.hostUrl});
    assert.equal(claims.userid, 'bob');
    assert.equal(claims.nonce, undefined);
    assert.equal((await heard(page)).events.filter((e) => e.type === 'wecom-login-error').length, 0);
  });
});
