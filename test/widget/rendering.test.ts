import {expect, fixture, html} from '@open-wc/testing';
import {emulateMedia} from '@web/test-runner-commands';
import '../../widget/index.ts';
import type {WecomSpLoginElement} from '../../widget/wecom-sp-login.ts';
import {loginStack, parts, until} from './widget-helpers.ts';

const {server} = await loginStack();

function mount(attributes = '') {
  const element = document.createElement('div');
  element.innerHTML = `<wecom-sp-login server="${server}" connection="acme" ${attributes}></wecom-sp-login>`;
  return fixture<WecomSpLoginElement>(element.firstElementChild as WecomSpLoginElement);
}

function backgroundOf(element: WecomSpLoginElement): string {
  return getComputedStyle(parts(element).button!).backgroundColor;
}

describe('<wecom-sp-login> rendering', () => {
  afterEach(() => emulateMedia({colorScheme: 'light'}));

  it('shows the Chinese default label with the WeCom mark when the display name is unknown', async () => {
    const element = await fixture<WecomSpLoginElement>(
      html`<wecom-sp-login server="http://127.0.0.1:1" connection="acme" lang="zh-CN"></wecom-sp-login>`,
    );

    const {button} = parts(element);

    expect(button!.textContent!.trim()).to.equal('企业微信登录');
    expect(button!.querySelector('svg')).to.exist;
  });

  it('shows the English default label when lang="en"', async () => {
    const element = await fixture<WecomSpLoginElement>(
      html`<wecom-sp-login server="http://127.0.0.1:1" connection="acme" lang="en"></wecom-sp-login>`,
    );

    expect(parts(element).button!.textContent!.trim()).to.equal('Log in with WeCom');
  });

  it('follows navigator.language when lang is not set', async () => {
    const element = await fixture<WecomSpLoginElement>(
      html`<wecom-sp-login server="http://127.0.0.1:1" connection="acme"></wecom-sp-login>`,
    );

    const expected = navigator.language.startsWith('zh') ? '企业微信登录' : 'Log in with WeCom';
    expect(parts(element).button!.textContent!.trim()).to.equal(expected);
  });

  it("shows the connection's display name from the login server's public metadata", async () => {
    const element = await mount('lang="en"');

    await until(() => parts(element).button!.textContent!.includes('Acme'), 'the display name');

    expect(parts(element).button!.textContent!.trim()).to.equal('Acme 企业微信');
  });

  it('shows label instead of the display name', async () => {
    const element = await mount('label="Sign in with Acme WeCom"');
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(parts(element).button!.textContent!.trim()).to.equal('Sign in with Acme WeCom');
  });

  it('shows slotted content as the label', async () => {
    const element = await mount('label="ignored"');
    element.innerHTML = '<b>员工登录</b>';

    const slot = parts(element).button!.querySelector('slot')!;

    expect(
      slot
        .assignedNodes()
        .map((node) => node.textContent)
        .join(''),
    ).to.equal('员工登录');
  });

  it('uses the WeCom blue in the light theme and a dark button in the dark theme', async () => {
    const light = await mount('theme="light"');
    const dark = await mount('theme="dark"');

    expect(backgroundOf(light)).to.equal('rgb(0, 113, 219)');
    expect(backgroundOf(dark)).to.equal('rgb(38, 44, 54)');
  });

  it('follows prefers-color-scheme in the auto theme', async () => {
    const element = await mount('theme="auto"');

    await emulateMedia({colorScheme: 'dark'});
    const inDark = backgroundOf(element);
    await emulateMedia({colorScheme: 'light'});
    const inLight = backgroundOf(element);

    expect(inDark).to.equal('rgb(38, 44, 54)');
    expect(inLight).to.equal('rgb(0, 113, 219)');
  });

  it('sizes the button by the size attribute', async () => {
    const heights = [];
    for (const size of ['small', 'medium', 'large']) {
      heights.push(parts(await mount(`size="${size}"`)).button!.getBoundingClientRect().height);
    }

    expect(heights).to.deep.equal([32, 40, 48]);
  });

  it("is not restyled by the host page's inherited text styles", async () => {
    const style = document.createElement('style');
    style.textContent =
      'body { font-family: serif; text-transform: uppercase; letter-spacing: 9px; line-height: 5; font-style: italic }';
    document.head.append(style);

    const button = parts(await mount('lang="en" label="Log in"')).button!;
    const {textTransform, letterSpacing, fontStyle, fontFamily} = getComputedStyle(button);
    style.remove();

    expect(textTransform).to.equal('none');
    expect(letterSpacing).to.equal('normal');
    expect(fontStyle).to.equal('normal');
    expect(fontFamily).to.equal('system-ui, sans-serif');
  });

  it('can be styled through ::part(button) and the documented custom properties', async () => {
    const style = document.createElement('style');
    style.textContent =
      '.branded { --wecom-sp-login-color: rgb(1, 2, 3); --wecom-sp-login-radius: 20px } ' +
      '.branded::part(button) { text-transform: uppercase }';
    document.head.append(style);

    const button = parts(await mount('class="branded"')).button!;
    const {backgroundColor, borderTopLeftRadius, textTransform} = getComputedStyle(button);
    style.remove();

    expect(backgroundColor).to.equal('rgb(1, 2, 3)');
    expect(borderTopLeftRadius).to.equal('20px');
    expect(textTransform).to.equal('uppercase');
  });
});
