import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {screenshot, useE2e} from './e2e-harness.ts';

const e2e = useE2e();

describe("the demo's team app, a relying party of the OpenID provider, in Chromium", () => {
  it('logs a member in through WeCom and out again at the provider', async () => {
    const page = await e2e.open(`${e2e.demo.hostUrl}/`);
    await page.locator('#openid-app').click();
    await page.locator('#oidc-login').click();
    await page.waitForURL(`${e2e.demo.loginUrl}/oidc/interaction/**`);
    const named = await page.locator('main').innerText();
    await page.locator('main a').click();
    await page.waitForURL(`${e2e.demo.simulatorUrl}/wwopen/sso/3rd_qrConnect**`);
    await page.locator('[data-identity=alice]').click();
    await page.waitForURL(`${e2e.demo.hostUrl}/oidc-app`);
    const user = await page.locator('#oidc-user').innerText();
    const claims = JSON.parse(await page.locator('#oidc-claims').innerText()) as Record<string, unknown>;
    await screenshot(page, 'openid-team-app');

    await page.locator('#oidc-logout').click();
    await page.waitForURL(`${e2e.demo.loginUrl}/oidc/session/end**`);
    await page.locator('button[name=logout]').click();
    await page.waitForURL(`${e2e.demo.hostUrl}/oidc-app`);
    await page.locator('#oidc-login').waitFor();

    assert.match(named, /Demo team app/);
    assert.equal(user, 'alice');
    assert.deepEqual([claims.iss, claims.aud, claims.amr], [`${e2e.demo.loginUrl}/oidc`, 'demo-team-app', ['qr']]);
    assert.equal(claims.email, undefined);
  });
});
