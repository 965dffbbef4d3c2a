import {expect, fixture, html} from '@open-wc/testing';
import {sendKeys} from '@web/test-runner-commands';
import '../../widget/index.ts';
import type {WecomSpLoginElement} from '../../widget/wecom-sp-login.ts';
import {fakePopup, parts, recordEvents, stubWindowOpen} from './widget-helpers.ts';

async function mount(extra: {disabled?: boolean; lang?: string} = {}) {
  const element = await fixture<WecomSpLoginElement>(html`<div>
    <input aria-label="before">
    <wecom-sp-login server="http://127.0.0.1:1" connection="acme" lang=${extra.lang ?? 'en'} ?disabled=${extra.disabled}></wecom-sp-login>
  </div>`);
  return element.querySelector('wecom-sp-login')!;
}

describe('<wecom-sp-login> accessibility', () => {
  let restore = () => {};
  beforeEach(() => {
    const open = stubWindowOpen(fakePopup().window);
    restore = open.restore;
  });
  afterEach(() => restore());

  it('passes axe in both languages, both themes and while pending', async () => {
    const english = await mount();
    const chinese = await mount({lang: 'zh-CN'});
    const dark = await mount();
    dark.theme = 'dark';
    dark.parentElement!.style.cssText = 'background: #1f2329; color-scheme: dark';
    await dark.updateComplete;

    await expect(english).to.be.accessible();
    await expect(chinese).to.be.accessible();
    await expect(dark.parentElement).to.be.accessible();
    parts(english).button!.click();
    await english.updateComplete;
    await expect(english).to.be.accessible();
  });

  it('is a native button named by its text', async () => {
    const element = await mount();

    const {button} = parts(element);

    expect(button!.localName).to.equal('button');
    expect(button!.type).to.equal('button');
    expect(button!.textContent!.trim()).to.equal('Log in with WeCom');
    expect(button!.querySelector('svg')!.getAttribute('aria-hidden')).to.equal('true');
  });

  it('takes focus with Tab and shows a visible focus ring', async () => {
    const element = await mount();
    (element.parentElement!.querySelector('input') as HTMLInputElement).focus();

    await sendKeys({press: 'Tab'});
    const {button} = parts(element);
    const ring = getComputedStyle(button!);

    expect(element.shadowRoot!.activeElement).to.equal(button);
    expect(ring.outlineStyle).to.equal('solid');
    expect(ring.outlineWidth).to.equal('2px');
  });

  for (const key of ['Enter', 'Space']) {
    it(`starts a login with ${key}`, async () => {
      const element = await mount();
      const events = recordEvents(element);
      parts(element).button!.focus();

      await sendKeys({press: key});

      expect(events.map((e) => e.type)).to.deep.equal(['wecom-login-start']);
    });
  }

  it('sets aria-busy while a login is pending and clears it when it ends', async () => {
    const element = await mount();
    const {button} = parts(element);

    button!.click();
    await element.updateComplete;
    const pending = button!.getAttribute('aria-busy');
    parts(element).cancel!.click();
    await element.updateComplete;

    expect(pending).to.equal('true');
    expect(button!.getAttribute('aria-busy')).to.equal('false');
  });

  it('announces failures in a status region', async () => {
    const element = await mount({lang: 'zh-CN'});

    parts(element).button!.click();
    await element.updateComplete;
    parts(element).cancel!.click();
    await element.updateComplete;

    expect(parts(element).status.getAttribute('role')).to.equal('status');
    expect(parts(element).status.textContent).to.equal('登录已取消');
  });

  it('does nothing when disabled', async () => {
    const element = await mount({disabled: true});
    const events = recordEvents(element);

    parts(element).button!.click();
    element.start();

    expect(parts(element).button!.disabled).to.equal(true);
    expect(events).to.deep.equal([]);
  });
});
