import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {heard, nextEvent, screenshot, useE2e} from './e2e-harness.ts';

// One authorize per client address and minute: the demo page's embedded panel takes it on load.
const e2e = useE2e({rateLimitPerMinute: 1});

describe('a rate-limited login, end to end in Chromium', () => {
  it('reports rate_limited from the popup to the element, instead of leaving the visitor on a bare page', async () => {
    const page = await e2e.open(`${e2e.demo.hostUrl}/`);
    // The panel's QR page is up, so its authorize has spent the address's one token.
    await page.frameLocator('#embedded-login iframe').locator('[data-identity=bob]').waitFor();

    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.locator('#popup-login button').first().click(),
    ]);
    const error = await nextEvent(page, 'wecom-login-error');
    // The result page closes its popup right after posting, possibly before a listener could attach.
    for (let i = 0; i < 50 && !popup.isClosed(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    await screenshot(page, 'rate-limited');

    assert.equal(error.detail.code, 'rate_limited');
    assert.ok(popup.isClosed());
    assert.equal((await heard(page)).events.filter((event) => event.type === 'wecom-login-success').length, 0);
  });
});
