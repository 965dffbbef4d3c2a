import {expect, fixture, html} from '@open-wc/testing';
import {sendMouse} from '@web/test-runner-commands';
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
  stubWindowOpen,
  successMessage,
  until,
} from './widget-helpers.ts';

const {server} = await loginStack();
const serverOrigin = new URL(server).origin;

async function mount(attributes: {fallback?: string; timeout?: string} = {}) {
  const element = await fixture<WecomSpLoginElement>(html`<wecom-sp-login server=${server} connection="acme" lang="en"
    fallback=${attributes.fallback ?? 'none'} timeout=${attributes.timeout ?? '600'}></wecom-sp-login>`);
  return {element, events: recordEvents(element)};
}

/** Whom every result the element accepted logged in (undefined for an error). */
function loggedInNames(events: ReturnType<typeof recordEvents>): Array<string | undefined> {
  return events.filter((e) => e.type !== 'wecom-login-start').map((e) => e.detail.user?.name);
}

describe('<wecom-sp-login mode="popup">', () => {
  let restore = () => {};
  afterEach(() => restore());

  /** Starts a login against a stand-in popup and returns what the element opened. */
  async function startWithFakePopup(attributes?: {timeout?: string}) {
    const popup = fakePopup();
    const open = stubWindowOpen(popup.window);
    restore = () => {
      open.restore();
      popup.close();
    };
    const {element, events} = await mount(attributes);
    parts(element).button!.click();
    await element.updateComplete;
    return {element, events, popup, open, nonce: nonceOf(open.calls[0]![0] as string)};
  }

  it('calls window.open synchronously inside the click, with a centred popup on the authorize URL', async () => {
    const open = stubWindowOpen(fakePopup().window);
    restore = open.restore;
    const {element} = await mount();

    parts(element).button!.click();
    const callsRightAfterClick = open.calls.length;

    expect(callsRightAfterClick).to.equal(1);
    const [url, target, features] = open.calls[0] as [string, string, string];
    const authorize = new URL(url);
    expect(`${authorize.origin}${authorize.pathname}`).to.equal(`${server}/connections/acme/authorize`);
    expect(authorize.searchParams.get('mode')).to.equal('popup');
    expect(authorize.searchParams.get('origin')).to.equal(location.origin);
    expect(authorize.searchParams.get('nonce')).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(target).to.equal('_blank');
    expect(features).to.match(/^popup=yes,width=520,height=640,left=-?[\d.]+,top=-?[\d.]+$/);
  });

  it('uses a fresh random nonce for every attempt', async () => {
    const {element, open} = await startWithFakePopup();

    element.reset();
    parts(element).button!.click();

    expect(open.calls).to.have.length(2);
    expect(nonceOf(open.calls[1]![0] as string)).not.to.equal(nonceOf(open.calls[0]![0] as string));
  });

  it('shows a pending state with a cancel control and fires wecom-login-start', async () => {
    const {element, events} = await startWithFakePopup();

    const {button, cancel, status} = parts(element);

    expect(button!.getAttribute('aria-busy')).to.equal('true');
    expect(cancel!.textContent).to.equal('Cancel');
    expect(status.textContent).to.equal('Scan the QR code with WeCom to log in');
    expect(events.map((e) => [e.type, e.detail])).to.deep.equal([['wecom-login-start', {mode: 'popup'}]]);
  });

  it('fires wecom-login-success with the token and user of a well-formed message from its popup', async () => {
    const {element, events, popup, nonce} = await startWithFakePopup();

    deliver(successMessage(nonce), serverOrigin, popup.window);
    await settle();

    const success = events.find((e) => e.type === 'wecom-login-success')!;
    expect(success.detail.idToken).to.equal(successMessage(nonce).idToken);
    expect(success.detail.user).to.deep.equal(successMessage(nonce).user);
    expect(success.bubbles && success.composed).to.equal(true);
    expect(parts(element).status.textContent).to.equal('Logged in as alice');
    expect(parts(element).button!.getAttribute('aria-busy')).to.equal('false');
  });

  it('ignores a message from the wrong origin', async () => {
    const {events, popup, nonce} = await startWithFakePopup();

    deliver(successMessage(nonce, 'mallory'), 'http://127.0.0.1:1', popup.window);
    deliver(successMessage(nonce, 'mallory'), `${serverOrigin}.evil.test`, popup.window);
    await settle();
    deliver(successMessage(nonce), serverOrigin, popup.window);
    await settle();

    expect(loggedInNames(events)).to.deep.equal(['alice']);
  });

  it('ignores a message from a window it did not open', async () => {
    const {events, popup, nonce} = await startWithFakePopup();
    const stranger = fakePopup();

    deliver(successMessage(nonce, 'mallory'), serverOrigin, stranger.window);
    deliver(successMessage(nonce, 'mallory'), serverOrigin, window);
    deliver(successMessage(nonce, 'mallory'), serverOrigin, null);
    await settle();
    deliver(successMessage(nonce), serverOrigin, popup.window);
    await settle();
    stranger.close();

    expect(loggedInNames(events)).to.deep.equal(['alice']);
  });

  it('ignores a message with another nonce', async () => {
    const {events, popup, nonce} = await startWithFakePopup();

    deliver(successMessage('A'.repeat(43), 'mallory'), serverOrigin, popup.window);
    deliver({...successMessage(nonce, 'mallory'), nonce: undefined}, serverOrigin, popup.window);
    await settle();
    deliver(successMessage(nonce), serverOrigin, popup.window);
    await settle();

    expect(loggedInNames(events)).to.deep.equal(['alice']);
  });

  it('ignores malformed messages', async () => {
    const {events, popup, nonce} = await startWithFakePopup();
    const good = successMessage(nonce);
    const malformed = [
      JSON.stringify(good),
      null,
      [good],
      {...good, type: 'wecom-sp-login:succes'},
      {...good, idToken: 'not a jwt'},
      {...good, idToken: 42},
      {...good, user: null},
      {...good, user: {...good.user, usertype: 9}},
      {...good, user: {...good.user, name: 7}},
      {type: 'wecom-sp-login:error', nonce, error: {code: 'Bad Code!', message: 'x'}},
      {type: 'wecom-sp-login:error', nonce, error: {code: 'server_error'}},
      {type: 'wecom-sp-login:error', nonce, error: 'server_error'},
    ];

    for (const data of malformed) deliver(data, serverOrigin, popup.window);
    await settle();

    expect(events.map((e) => e.type)).to.deep.equal(['wecom-login-start']);
  });

  it("fires wecom-login-error with the server's code and the sentence for it in the element's language", async () => {
    const {element, events, popup, nonce} = await startWithFakePopup();

    deliver(
      {
        type: 'wecom-sp-login:error',
        nonce,
        error: {code: 'login_not_allowed', message: 'This connection is login-only.'},
      },
      serverOrigin,
      popup.window,
    );
    await settle();

    expect(events.at(-1)!.type).to.equal('wecom-login-error');
    expect(events.at(-1)!.detail).to.deep.equal({
      code: 'login_not_allowed',
      message: 'Your account may not log in here.',
    });
    expect(parts(element).status.textContent).to.equal('Your account may not log in here.');
  });

  it('reports popup_closed when the visitor closes the popup', async () => {
    const {events, popup} = await startWithFakePopup();

    popup.close();
    const error = await until(() => events.find((e) => e.type === 'wecom-login-error'), 'the error event');

    expect(error.detail.code).to.equal('popup_closed');
  });

  it('reports timeout when no result arrives in time', async () => {
    const {events} = await startWithFakePopup({timeout: '1'});

    const error = await until(() => events.find((e) => e.type === 'wecom-login-error'), 'the error event', 4000);

    expect(error.detail.code).to.equal('timeout');
  });

  it('ends the attempt with login_cancelled from its cancel control, and ignores its result afterwards', async () => {
    const {element, events, popup, nonce} = await startWithFakePopup();

    parts(element).cancel!.click();
    deliver(successMessage(nonce), serverOrigin, popup.window);
    await settle();

    expect(events.map((e) => e.type)).to.deep.equal(['wecom-login-start', 'wecom-login-error']);
    expect(events[1]!.detail.code).to.equal('login_cancelled');
  });

  it('reports popup_blocked when the browser blocks the popup and fallback is none', async () => {
    const open = stubWindowOpen(null);
    restore = open.restore;
    const {element, events} = await mount({fallback: 'none'});

    parts(element).button!.click();
    await element.updateComplete;

    expect(events.map((e) => [e.type, e.detail.code])).to.deep.equal([['wecom-login-error', 'popup_blocked']]);
    expect(parts(element).status.textContent).to.equal('Popup blocked. Allow popups and try again.');
  });

  it('focuses the open popup instead of opening another on a second click', async () => {
    const {element, open} = await startWithFakePopup();

    parts(element).button!.click();

    expect(open.calls).to.have.length(1);
  });

  it('logs in through a real popup, the real login server and the WeCom simulator', async () => {
    let popup: Window | null = null;
    let openedUrl = '';
    const original = window.open;
    window.open = (...args) => {
      openedUrl = String(args[0]);
      return (popup = original.apply(window, args));
    };
    restore = () => {
      window.open = original;
      popup?.close();
    };
    const {element, events} = await mount();
    const box = parts(element).button!.getBoundingClientRect();

    // A real click, so the popup opens with the user activation a visitor's click carries.
    await sendMouse({type: 'click', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)]});
    // What the visitor's phone does: scan the QR code the popup shows, which sends the popup on.
    const scanUrl = await until(
      async () => (await hook<{url: string | null}>('scan-url', {as: 'alice', nonce: nonceOf(openedUrl)})).url,
      'the QR page',
    );
    popup!.location.href = scanUrl;
    const success = await until(() => events.find((e) => e.type === 'wecom-login-success'), 'the success event');

    const claims = JSON.parse(atob(success.detail.idToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    expect(success.detail.user.userId).to.equal('alice');
    expect(claims).to.include({aud: 'acme', azp: location.origin, nonce: nonceOf(openedUrl), iss: server});
    await until(() => popup!.closed, 'the popup to close itself');
  });
});
