import {expect} from '@open-wc/testing';
import '../../widget/index.ts';
import type {WecomSpLoginElement} from '../../widget/wecom-sp-login.ts';
import {hook, loginStack, nonceOf, recordEvents, until} from './widget-helpers.ts';

const {server} = await loginStack();
const hostPage = new URL('./fixtures/host-page.html', import.meta.url).pathname;

type Recorded = Array<{type: string; detail: any}>;

/**
 * Opens the host page in a window of its own: it navigates, so it cannot be the test page, and a
 * frame will not do (the login server's pages refuse to be framed outside embedded mode).
 */
async function openHostPage(query: Record<string, string>) {
  const win = window.open(`${hostPage}?${new URLSearchParams(query)}`, '_blank', 'popup')!;
  opened.push(win);
  await until(
    () => win.document?.querySelector('wecom-sp-login')?.shadowRoot?.querySelector('button'),
    'the host page',
  );
  const element = win.document.querySelector('wecom-sp-login') as WecomSpLoginElement;
  return {win, element, recorded: () => (win as unknown as {recorded?: Recorded}).recorded};
}

/** Puts `fragment` in this page's URL, as a redirect back from the login server does, then mounts an element. */
async function landWith(fragment: string, serverUrl = server) {
  history.replaceState(null, '', `${location.pathname}${location.search}#${fragment}`);
  const container = document.createElement('div');
  // Listening before the element connects: an error in the fragment is reported on its first update.
  const events = recordEvents(container);
  container.innerHTML = `<wecom-sp-login server="${serverUrl}" connection="acme" lang="en"></wecom-sp-login>`;
  document.body.append(container);
  containers.push(container);
  return events;
}

/** The window's path while it is on this origin; undefined while it is on the login server or WeCom. */
function sameOriginPath(win: Window): string | undefined {
  try {
    return win.location.pathname;
  } catch {
    return undefined;
  }
}

const opened: Window[] = [];
const containers: HTMLElement[] = [];

describe('<wecom-sp-login mode="redirect">', () => {
  afterEach(() => {
    opened.splice(0).forEach((win) => win.close());
    containers.splice(0).forEach((container) => container.remove());
    history.replaceState(null, '', location.pathname + location.search);
  });

  it('navigates its window to the authorize URL with mode=redirect and return_to', async () => {
    // The "server" is this origin, so the test can read where the frame went.
    const fakeServer = `${location.origin}/fake-login`;
    const {win, element} = await openHostPage({server: fakeServer, mode: 'redirect'});
    const startUrl = win.location.href;

    element.start();
    await until(() => win.location.pathname.startsWith('/fake-login'), 'the navigation');

    const authorize = new URL(win.location.href);
    expect(authorize.pathname).to.equal('/fake-login/connections/acme/authorize');
    expect(authorize.searchParams.get('mode')).to.equal('redirect');
    expect(authorize.searchParams.get('origin')).to.equal(location.origin);
    expect(authorize.searchParams.get('return_to')).to.equal(startUrl);
    expect(authorize.searchParams.get('nonce')).to.match(/^[A-Za-z0-9_-]{43}$/);
    // PKCE: the challenge is S256 of the verifier the tab keeps until it redeems the ticket.
    const verifier = win.sessionStorage.getItem('wecom-sp-login:code-verifier:acme')!;
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    const challenge = btoa(String.fromCharCode(...digest))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    expect(verifier).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('code_challenge')).to.equal(challenge);
    expect(authorize.searchParams.get('code_challenge_method')).to.equal('S256');
  });

  it('uses a fresh code verifier for every redirect', async () => {
    const fakeServer = `${location.origin}/fake-login`;
    const challenges = [];
    for (let i = 0; i < 2; i++) {
      const {win, element} = await openHostPage({server: fakeServer, mode: 'redirect'});
      element.start();
      await until(() => win.location.pathname.startsWith('/fake-login'), 'the navigation');
      challenges.push(new URL(win.location.href).searchParams.get('code_challenge'));
    }

    expect(challenges[0]).to.not.equal(challenges[1]);
  });

  it('inside the WeCom client redirects whatever its mode: no popup, no QR panel', async () => {
    const fakeServer = `${location.origin}/fake-login`;
    const {win, element} = await openHostPage({server: fakeServer, mode: 'popup'});
    Object.defineProperty(win.navigator, 'userAgent', {
      value: 'Mozilla/5.0 (Windows NT 10.0) Chrome/107.0 wxwork/4.1.10 (MicroMessenger/6.2) WindowsWechat',
      configurable: true,
    });
    element.requestUpdate();
    await element.updateComplete;

    element.start();
    await until(() => win.location.pathname.startsWith('/fake-login'), 'the navigation');

    expect(new URL(win.location.href).searchParams.get('mode')).to.equal('redirect');
  });

  it('falls back to a redirect when the popup is blocked', async () => {
    const fakeServer = `${location.origin}/fake-login`;
    const {win, element} = await openHostPage({server: fakeServer, mode: 'popup', 'block-popups': '1'});

    element.start();
    await until(() => win.location.pathname.startsWith('/fake-login'), 'the navigation');

    expect(new URL(win.location.href).searchParams.get('mode')).to.equal('redirect');
  });

  it('comes back from a real redirect login with the ticket redeemed and the fragment gone', async () => {
    const {win, element, recorded} = await openHostPage({server, mode: 'redirect'});
    // The authorize URL the element navigates to, read as it leaves (the window is another origin after).
    let authorizeUrl = '';
    (win as unknown as {navigation: EventTarget}).navigation.addEventListener('navigate', (event) => {
      authorizeUrl ||= (event as unknown as {destination: {url: string}}).destination.url;
    });

    element.start();
    const nonce = await until(() => authorizeUrl && nonceOf(authorizeUrl), 'the navigation to the login server');
    const scanUrl = await until(
      async () => (await hook<{url: string | null}>('scan-url', {as: 'carol', nonce})).url,
      'the QR page',
    );
    win.location.href = scanUrl;
    const success = await until(
      () => (sameOriginPath(win) === hostPage ? recorded()?.find((e) => e.type === 'wecom-login-success') : undefined),
      'the success event',
    );

    expect(success.detail.user.userId).to.equal('carol');
    expect(win.location.hash).to.equal('');
    expect(win.location.search).to.contain('mode=redirect');
    expect(win.sessionStorage.getItem('wecom-sp-login:code-verifier:acme')).to.equal(null);
  });

  it('redeems a launch ticket (no nonce) from the fragment and strips it', async () => {
    const {location: landing} = await hook<{location: string}>('launch', {as: 'bob'});
    const ticketFragment = new URL(landing).hash.slice(1);

    const events = await landWith(ticketFragment);
    const success = await until(() => events.find((e) => e.type === 'wecom-login-success'), 'the success event');

    expect(location.hash).to.equal('');
    expect(success.detail.user.userId).to.equal('bob');
    expect(success.detail.idToken.split('.')).to.have.length(3);
  });

  it('refuses a redirect ticket this tab did not ask for (a planted link) and strips it', async () => {
    const returnTo = `${location.origin}${location.pathname}`;
    const {location: landing} = await hook<{location: string}>('redirect-login', {
      as: 'alice',
      nonce: 'N'.repeat(43),
      return_to: returnTo,
    });

    const events = await landWith(new URL(landing).hash.slice(1));
    const error = await until(() => events.find((e) => e.type === 'wecom-login-error'), 'the error event');

    expect(location.hash).to.equal('');
    expect(error.detail.code).to.equal('invalid_ticket');
  });

  it("maps the server's refusal of an unknown ticket to invalid_ticket", async () => {
    const events = await landWith('wecom_sp_login=not-a-real-ticket');
    const error = await until(() => events.find((e) => e.type === 'wecom-login-error'), 'the error event');

    expect(error.detail.code).to.equal('invalid_ticket');
    expect(error.detail.message).to.equal(
      'Login did not finish. Try again.',
      "the element's sentence in its language, not the server's English",
    );
  });

  it('reports an error code carried back in the fragment, and strips it', async () => {
    const events = await landWith('wecom_sp_login_error=login_cancelled');
    const error = await until(() => events.find((e) => e.type === 'wecom-login-error'), 'the error event');

    expect(location.hash).to.equal('');
    expect(error.detail).to.deep.equal({code: 'login_cancelled', message: 'Login cancelled.'});
  });

  it('reports an error fragment to listeners the page adds after the element has rendered', async () => {
    history.replaceState(null, '', `${location.pathname}${location.search}#wecom_sp_login_error=invalid_state`);
    const container = document.createElement('div');
    containers.push(container);
    container.innerHTML = `<wecom-sp-login server="${server}" connection="acme" lang="en"></wecom-sp-login>`;
    document.body.append(container);
    const element = container.firstElementChild as WecomSpLoginElement;

    // As a page script that runs after the element's script does: its first update is already done.
    await element.updateComplete;
    const events = recordEvents(element);
    const error = await until(() => events.find((e) => e.type === 'wecom-login-error'), 'the error event');

    expect(error.detail.code).to.equal('invalid_state');
  });

  it('reports server_error for an error fragment that is not a plain code', async () => {
    const events = await landWith(`wecom_sp_login_error=${encodeURIComponent('<img src=x onerror=alert(1)>')}`);
    const error = await until(() => events.find((e) => e.type === 'wecom-login-error'), 'the error event');

    expect(error.detail.code).to.equal('server_error');
  });

  it('reports network_error when the login server cannot be reached', async () => {
    const events = await landWith('wecom_sp_login=some-ticket', 'http://127.0.0.1:1');
    const error = await until(() => events.find((e) => e.type === 'wecom-login-error'), 'the error event');

    expect(error.detail.code).to.equal('network_error');
    expect(location.hash).to.equal('');
  });

  it('leaves a URL without a ticket alone', async () => {
    const events = await landWith('section-2');
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(location.hash).to.equal('#section-2');
    expect(events).to.deep.equal([]);
  });
});
