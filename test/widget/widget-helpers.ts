// Browser-side helpers of the widget tests. They run in Chromium, next to the element.
import type {WecomSpLoginElement} from '../../widget/wecom-sp-login.ts';
import type {LoginStackInfo} from './login-stack-plugin.ts';

/** URLs of the real login server and simulator started by the login-stack plugin. */
export async function loginStack(): Promise<LoginStackInfo> {
  return (await fetch('/__login-stack')).json();
}

/** Calls one of the plugin's hooks and returns its JSON. */
export async function hook<T>(name: string, params: Record<string, string> = {}): Promise<T> {
  return (await fetch(`/__login-stack/${name}?${new URLSearchParams(params)}`)).json();
}

/** Every wecom-login-* event the element fires, in order. */
export function recordEvents(element: Element): Array<CustomEvent & {detail: any}> {
  const events: Array<CustomEvent & {detail: any}> = [];
  for (const type of ['wecom-login-start', 'wecom-login-success', 'wecom-login-error']) {
    element.addEventListener(type, (event) => events.push(event as CustomEvent));
  }
  return events;
}

/** Replaces window.open for one test; records its calls and answers `result`. */
export function stubWindowOpen(result: Window | null): {calls: unknown[][]; restore: () => void} {
  const original = window.open;
  const calls: unknown[][] = [];
  window.open = (...args: unknown[]) => {
    calls.push(args);
    return result;
  };
  return {calls, restore: () => (window.open = original)};
}

/**
 * A stand-in popup: a real Window (of a same-origin iframe), so `event.source` can be compared
 * with it. Removing it makes `closed` true, as closing a popup does.
 */
export function fakePopup(): {window: Window; close: () => void} {
  const frame = document.createElement('iframe');
  document.body.append(frame);
  return {window: frame.contentWindow!, close: () => frame.remove()};
}

/** Delivers a message as if `source` had posted it from `origin`. */
export function deliver(data: unknown, origin: string, source: Window | null): void {
  window.dispatchEvent(new MessageEvent('message', {data, origin, source}));
}

/** The nonce the element put in the authorize URL it opened. */
export function nonceOf(url: string): string {
  return new URL(url).searchParams.get('nonce')!;
}

/** A success message shaped as the login server's result page posts it. */
export function successMessage(nonce: string, name = 'alice') {
  return {
    type: 'wecom-sp-login:success',
    nonce,
    idToken: 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
    user: {id: 'u_1', corpId: 'wwcustomer0000001', openUserId: 'woAlice', userId: 'alice', name, usertype: 5},
  };
}

/** The element's shadow parts. */
export function parts(element: WecomSpLoginElement) {
  const root = element.shadowRoot!;
  return {
    button: root.querySelector<HTMLButtonElement>('[part=button]'),
    panel: root.querySelector<HTMLElement>('[part=panel]'),
    iframe: root.querySelector<HTMLIFrameElement>('[part=panel] iframe'),
    status: root.querySelector<HTMLElement>('[part=status]')!,
    cancel: [...root.querySelectorAll('button')].find((b) => b.getAttribute('part') !== 'button') ?? null,
  };
}

/** Resolves once `check` returns a truthy value (polling), or rejects after `ms`. */
export async function until<T>(check: () => T | Promise<T>, what: string, ms = 8000): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Lets queued tasks and microtasks run (messages are handled synchronously, settled a tick later). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
