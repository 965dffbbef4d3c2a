import {css} from 'lit';

/**
 * The element's shadow styles. `all: initial` on the host stops the page's inherited font, colour,
 * spacing and text transforms from reaching the button; the page styles it only through the
 * custom properties and parts documented on the element. Themes switch `color-scheme`, and every
 * colour is a `light-dark()` pair, so `auto` follows the visitor's setting with no duplicated rules.
 * Light: WeCom blue, darkened to #0071db so white text meets WCAG AA (4.8:1; WeCom's #0082ef is
 * 3.9:1). Dark: a dark button with a blue mark, as dark-theme sign-in buttons are.
 */
export const styles = css`
:host {
  all: initial;
  display: inline-block;
  max-width: 100%;
  color-scheme: light;
  --a: light-dark(#0071db, #4a9cff);
  --b: var(--wecom-sp-login-color, light-dark(#0071db, #262c36));
  --h: 40px;
  font: 500 15px/1.3 var(--wecom-sp-login-font, system-ui, sans-serif);
  color: CanvasText;
}
:host([hidden]) { display: none }
:host([theme=dark]) { color-scheme: dark }
:host([theme=auto]) { color-scheme: light dark }
:host([size=small]) { --h: 32px; font-size: 13px }
:host([size=large]) { --h: 48px; font-size: 17px }
div { display: flex; align-items: center; gap: 8px }
button {
  font: inherit;
  display: inline-flex;
  align-items: center;
  gap: .5em;
  height: var(--h);
  padding: 0 calc(var(--h) * .45);
  border: 1px solid light-dark(var(--b), #4b5563);
  border-radius: var(--wecom-sp-login-radius, 6px);
  background: var(--b);
  color: var(--wecom-sp-login-text-color, #fff);
  cursor: pointer;
  white-space: nowrap;
}
button:focus-visible { outline: 2px solid var(--a); outline-offset: 2px }
button:disabled { cursor: not-allowed; opacity: .55 }
.c { background: none; color: var(--a) }
svg { width: 1.25em; height: 1.25em; color: light-dark(currentColor, var(--a)) }
[aria-busy=true] { cursor: progress }
[part=panel] {
  width: 482px;
  max-width: 100%;
  border: 1px solid #8884;
  border-radius: var(--wecom-sp-login-radius, 6px);
  background: Canvas;
  overflow: hidden;
}
iframe { width: 100%; border: 0 }
p { margin: 6px 0 0; font-size: .85em; font-weight: 400; opacity: .8 }
p:empty { display: none }
.error { color: light-dark(#c0392b, #ff8a80); opacity: 1 }
`;
