import {expect, fixture, html} from '@open-wc/testing';
import '../../widget/index.ts';
import type {WecomSpLoginElement} from '../../widget/wecom-sp-login.ts';
import {
  deliver,
  fakePopup,
  hook,
  loginStack,
  nonceOf,
  parts,
  recordEvents,
  settle,
  successMessage,
  until,
} from './widget-helpers.ts';

const {server} = await loginStack();
const serverOrigin = new URL(server).origin;

/** Puts an embedded element in `container`, as a page's markup does; it starts on its own once connected. */
function insertEmbedded(container: HTMLElement, lang = 'en'): WecomSpLoginElement {
  container.innerHTML = `<wecom-sp-login server="${server}" connection="acme" mode="embedded" lang="${lang}"></wecom-sp-login>`;
  return container.firstElementChild as WecomSpLoginElement;
}

/** Mounts an embedded element, recording its events from before it connects. */
async function mount(lang = 'en') {
  const container = document.createElement('div');
  const events = recordEvents(container);
  const element = insertEmbedded(container, lang);
  await fixture(container);
  await element.updateComplete;
  return {element, events};
}

describe('<wecom-sp-login mode="embedded">', () => {
  it('shows a titled, sized, sandboxed QR iframe on the authorize URL inside part="panel"', async () => {
    const {element, events} = await mount();

    const {panel, iframe, button} = parts(element);
    const src = new URL(iframe!.src);

    expect(panel).to.exist;
    expect(button).to.equal(null);
    expect(iframe!.title).to.equal('Log in with WeCom');
    expect([iframe!.width, iframe!.height]).to.deep.equal(['480', '416']);
    expect(iframe!.getBoundingClientRect().height).to.equal(416);
    expect(iframe!.referrerPolicy).to.equal('origin');
    expect([...iframe!.sandbox].sort()).to.deep.equal(['allow-popups', 'allow-same-origin', 'allow-scripts']);
    // WeCom's desktop quick login reaches the local client from inside the frame (Chrome's Local Network Access).
    expect(iframe!.getAttribute('allow')).to.equal('local-network-access');
    expect(`${src.origin}${src.pathname}`).to.equal(`${server}/connections/acme/authorize`);
    expect(src.searchParams.get('mode')).to.equal('embedded');
    expect(src.searchParams.get('origin')).to.equal(location.origin);
    expect(src.searchParams.get('nonce')).to.match(/^[A-Za-z0-9_-]{43}$/);
    await settle();
    expect(events.map((e) => [e.type, e.detail])).to.deep.equal([['wecom-login-start', {mode: 'embedded'}]]);
  });

  it("announces its start in a task of its own, so a page script after the element's script hears it", async () => {
    const container = await fixture<HTMLDivElement>(html`<div></div>`);
    // As on a page: the element's script defines it and its first update runs at once, showing the
    // panel; the page's own script comes later in the document and only then adds its listener.
    const element = insertEmbedded(container);
    await element.updateComplete;
    const heard = recordEvents(container);
    await settle();

    expect(parts(element).iframe).to.exist;
    expect(heard.map((e) => [e.type, e.detail])).to.deep.equal([['wecom-login-start', {mode: 'embedded'}]]);
  });

  it('never announces the start of a panel that reset() abandoned before its announcement', async () => {
    const container = await fixture<HTMLDivElement>(html`<div></div>`);
    const events = recordEvents(container);
    const element = insertEmbedded(container);
    // Until no update is pending (the panel shows in the second): microtasks only, so the first
    // panel's start is still due in a later task when reset() comes.
    while (!(await element.updateComplete));
    const firstNonce = nonceOf(parts(element).iframe!.src);
    element.reset();
    while (!(await element.updateComplete));
    await settle();

    expect(nonceOf(parts(element).iframe!.src)).not.to.equal(firstNonce);
    expect(events.map((e) => [e.type, e.detail])).to.deep.equal([['wecom-login-start', {mode: 'embedded'}]]);
  });

  it('announces what to do in its status region', async () => {
    const {element} = await mount('zh-CN');

    const {status} = parts(element);

    expect(status.getAttribute('role')).to.equal('status');
    expect(status.textContent).to.equal('请用企业微信扫码登录');
  });

  it('accepts the result from its own iframe only', async () => {
    const {element, events} = await mount();
    const nonce = nonceOf(parts(element).iframe!.src);
    const stranger = fakePopup();

    deliver(successMessage(nonce, 'mallory'), serverOrigin, stranger.window);
    deliver(successMessage(nonce, 'mallory'), serverOrigin, window);
    await settle();
    deliver(successMessage(nonce), serverOrigin, parts(element).iframe!.contentWindow);
    await settle();
    stranger.close();

    expect(events.filter((e) => e.type === 'wecom-login-success').map((e) => e.detail.user.name)).to.deep.equal([
      'alice',
    ]);
    expect(parts(element).panel).to.equal(null);
    expect(parts(element).status.textContent).to.equal('Logged in as alice');
  });

  it('offers a fresh QR code with a new nonce after a failure', async () => {
    const {element, events} = await mount();
    const firstNonce = nonceOf(parts(element).iframe!.src);
    deliver(
      {
        type: 'wecom-sp-login:error',
        nonce: firstNonce,
        error: {code: 'login_cancelled', message: 'The visitor cancelled.'},
      },
      serverOrigin,
      parts(element).iframe!.contentWindow,
    );
    await settle();
    await element.updateComplete;

    const retry = parts(element).button!;
    expect(parts(element).panel).to.equal(null);
    expect(events.at(-1)!.detail.code).to.equal('login_cancelled');
    retry.click();
    await element.updateComplete;

    expect(nonceOf(parts(element).iframe!.src)).not.to.equal(firstNonce);
  });

  it('inside the WeCom client shows a button that redirects, never a QR panel nobody there could scan', async () => {
    Object.defineProperty(navigator, 'userAgent', {
      value: 'Mozilla/5.0 (iPhone) Mobile/15E148 wxwork/4.1.30 MicroMessenger/7.0.1',
      configurable: true,
    });
    try {
      const {element, events} = await mount('zh-CN');
      // The button reads 企业微信登录 until the connection's name arrives from the server, then the
      // name: waiting for the name makes the check below see one state, not whichever came first.
      await until(() => parts(element).button?.textContent?.includes('Acme 企业微信'), "the connection's name");

      expect(element.getAttribute('mode')).to.equal('redirect');
      expect(parts(element).iframe).to.equal(null);
      expect(parts(element).status.textContent).to.equal('');
      expect(events).to.deep.equal([]);
    } finally {
      delete (navigator as unknown as Record<string, unknown>).userAgent;
    }
  });

  it('logs in inside the iframe through the real login server and the WeCom simulator', async () => {
    const {element, events} = await mount();
    const nonce = nonceOf(parts(element).iframe!.src);

    // What the visitor's phone does: scan the QR code the panel shows, which sends the panel on.
    const scanUrl = await until(
      async () => (await hook<{url: string | null}>('scan-url', {as: 'erin', nonce})).url,
      'the QR page in the panel',
    );
    parts(element).iframe!.contentWindow!.location.href = scanUrl;
    const success = await until(() => events.find((e) => e.type === 'wecom-login-success'), 'the success event');

    const claims = JSON.parse(atob(success.detail.idToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    expect(success.detail.user.userId).to.equal('erin');
    expect(claims).to.include({aud: 'acme', azp: location.origin, nonce});
  });

  it('removes the panel and ignores its result after reset() until it shows a new one', async () => {
    const {element, events} = await mount();
    const oldFrame = parts(element).iframe!;
    const oldNonce = nonceOf(oldFrame.src);
    const oldWindow = oldFrame.contentWindow;

    element.reset();
    await element.updateComplete;
    deliver(successMessage(oldNonce), serverOrigin, oldWindow);
    await settle();

    expect(events.filter((e) => e.type === 'wecom-login-success')).to.deep.equal([]);
    expect(nonceOf(parts(element).iframe!.src)).not.to.equal(oldNonce);
  });
});
