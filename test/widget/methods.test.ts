import {expect, fixture, html} from '@open-wc/testing';
import '../../widget/index.ts';
import type {WecomSpLoginElement} from '../../widget/wecom-sp-login.ts';
import {fakePopup, parts, recordEvents, stubWindowOpen} from './widget-helpers.ts';

/** Longer than the element waits for a closing popup's last message, so a pending attempt would have ended. */
const PAST_CLOSE_GRACE_MS = 800;

/** An element with a login pending against a stand-in popup. */
async function startPending() {
  const popup = fakePopup();
  const open = stubWindowOpen(popup.window);
  const element = await fixture<WecomSpLoginElement>(
    html`<wecom-sp-login server="http://127.0.0.1:1" connection="acme"></wecom-sp-login>`,
  );
  const events = recordEvents(element);
  element.start();
  open.restore();
  await element.updateComplete;
  return {element, events, popup, open};
}

describe('<wecom-sp-login> methods', () => {
  it('start() begins a login as a click does', async () => {
    const {element, open} = await startPending();

    expect(open.calls).to.have.length(1);
    expect(parts(element).button!.getAttribute('aria-busy')).to.equal('true');
  });

  it('reset() abandons a pending login silently and returns to the initial state', async () => {
    const {element, events, popup} = await startPending();

    element.reset();
    await element.updateComplete;
    popup.close();
    await new Promise((resolve) => setTimeout(resolve, PAST_CLOSE_GRACE_MS));

    expect(events.map((e) => e.type)).to.deep.equal(['wecom-login-start']);
    expect(parts(element).button!.getAttribute('aria-busy')).to.equal('false');
    expect(parts(element).status.textContent).to.equal('');
  });

  it('reports invalid_request, without throwing, when server is not an http(s) URL', async () => {
    const element = await fixture<WecomSpLoginElement>(
      html`<wecom-sp-login server="javascript:alert(1)" connection="acme"></wecom-sp-login>`,
    );
    const events = recordEvents(element);

    element.start();

    expect(events.map((e) => [e.type, e.detail.code])).to.deep.equal([['wecom-login-error', 'invalid_request']]);
  });
});

describe('<wecom-sp-login> removed from the page', () => {
  it('closes its popup, stops listening and starts afresh when put back', async () => {
    const {element, events, popup} = await startPending();
    const parent = element.parentElement!;

    element.remove();
    popup.close();
    await new Promise((resolve) => setTimeout(resolve, PAST_CLOSE_GRACE_MS));
    parent.append(element);
    await element.updateComplete;

    expect(events.map((e) => e.type)).to.deep.equal(['wecom-login-start']);
    expect(parts(element).button!.getAttribute('aria-busy')).to.equal('false');
  });
});
