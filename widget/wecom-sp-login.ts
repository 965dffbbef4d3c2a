import {LitElement, html, nothing, type PropertyValues} from 'lit';
import {
  WecomLoginErrorEvent,
  WecomLoginStartEvent,
  WecomLoginSuccessEvent,
  type LoginMode,
  type WidgetErrorCode,
} from './events.ts';
import {authorizeUrl, codeChallenge, connectionUrl, createNonce, loginTarget, type LoginTarget} from './login-url.ts';
import {openPopup, waitForLoginMessage} from './popup.ts';
import type {LoginResult} from './protocol.ts';
import {errorSentence, stringsFor} from './strings.ts';
import {redeemTicket, rememberVerifier, takeFragmentResult, takeVerifier} from './ticket.ts';
import {wecomIcon} from './wecom-icon.ts';
import {styles} from './wecom-sp-login.styles.ts';

type Status = 'idle' | 'pending' | 'success' | 'error';

/**
 * Branded "log in with WeCom" button for service-provider login.
 *
 * @summary Runs WeCom QR login in a popup, an embedded panel or a full-page redirect and reports the result.
 *
 * @fires wecom-login-start - A login attempt started; `event.detail.mode` says how. An embedded panel's comes in the
 * task after the panel shows, so page scripts after the element's script hear it.
 * @fires wecom-login-success - Login finished; `event.detail` is `{idToken, user}`. Verify `idToken` on your backend.
 * @fires wecom-login-error - Login failed or was abandoned; `event.detail` is `{code, message}`.
 *
 * @slot - Button label. Defaults to `label`, then the connection's display name, then "企业微信登录" /
 * "Log in with WeCom".
 * @csspart button - The login `<button>`.
 * @csspart panel - Container of the QR iframe when `mode="embedded"`.
 * @csspart status - The status line (waiting, logged in, or what went wrong), announced to screen readers.
 * @cssproperty --wecom-sp-login-color - Button background and focus ring (a WeCom blue by default).
 * @cssproperty --wecom-sp-login-text-color - Button text and icon colour.
 * @cssproperty --wecom-sp-login-radius - Corner radius of the button and the panel.
 * @cssproperty --wecom-sp-login-font - Font family.
 */
export class WecomSpLoginElement extends LitElement {
  static override styles = styles;

  // Declared here rather than with decorators: the decorator helpers cost about 600 bytes gzipped
  // of a 10 KB budget.
  static override properties = {
    server: {},
    connection: {},
    mode: {reflect: true},
    lang: {},
    label: {},
    size: {reflect: true},
    theme: {reflect: true},
    fallback: {},
    disabled: {type: Boolean, reflect: true},
    timeout: {type: Number},
    status: {state: true},
    errorCode: {state: true},
    userName: {state: true},
    displayName: {state: true},
    panelUrl: {state: true},
  };

  /** The login server's base URL, e.g. `https://login.example.com`. Results are accepted only from its origin. */
  server = '';

  /** Identifier of the connection on the login server. */
  connection = '';

  /** `popup` opens a window; `embedded` shows the QR panel in place; `redirect` leaves the page and comes back. */
  mode: LoginMode = 'popup';

  /** `zh-CN` or `en`; empty follows `navigator.language`. */
  override lang = '';

  /** Button text; overrides the connection's display name. */
  label = '';

  /** `small`, `medium` or `large`. */
  size: 'small' | 'medium' | 'large' = 'medium';

  /** `light`, `dark`, or `auto` (follows `prefers-color-scheme`). */
  theme: 'light' | 'dark' | 'auto' = 'light';

  /** What a blocked popup does: `redirect` falls back to a full-page redirect; `none` reports `popup_blocked`. */
  fallback: 'redirect' | 'none' = 'redirect';

  /** Disables the button. */
  disabled = false;

  /** Seconds an attempt may wait for its result before it ends with `timeout`. */
  timeout = 600;

  private status: Status = 'idle';
  /** Why the last attempt failed, while `status` is `error`. */
  private errorCode: WidgetErrorCode = 'server_error';
  /** Who logged in, while `status` is `success`. */
  private userName = '';
  private displayName = '';
  private panelUrl = '';

  // The rest is truly private (#): the host page cannot reach the popup or end an attempt behind
  // the element's back, and the minifier can shorten the names. Lit's reactive state above cannot
  // be: Lit defines accessors for it on the prototype.
  #attempt?: AbortController;
  #popup: Window | null = null;
  #metadataKey = '';
  #landingChecked = false;

  /** Starts a login, as a click on the button does. Must be called from a user gesture in popup mode. */
  start(): void {
    try {
      this.#begin();
    } catch {
      // Nothing escapes into the host page; an unexpected failure is reported like any other.
      this.#fail('server_error');
    }
  }

  /** Abandons any attempt in progress (closing its popup) and returns to the initial state, silently. */
  reset(): void {
    this.#abortAttempt();
    this.status = 'idle';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // A removed element must not leave a popup open or a listener waiting; if it is put back, it starts afresh.
    this.reset();
  }

  protected override updated(changed: PropertyValues<this>): void {
    // Inside the WeCom client (`wxwork/` in its User-Agent) always a redirect: its webview handles
    // popups and frames unreliably, and nobody there can scan a QR code. The login server sends it
    // to WeCom's in-client authorization instead, which comes back with no page at all.
    if (/wxwork\//i.test(navigator.userAgent)) this.mode = 'redirect';
    const target = loginTarget(this.server, this.connection);
    if (!target) return;
    if (!this.#landingChecked) {
      // Once, as soon as the element knows its server: a redirect or launch may have brought a ticket.
      this.#landingChecked = true;
      this.#land(target);
    }
    if ((changed.has('server') || changed.has('connection') || changed.has('label')) && !this.label)
      void this.#loadDisplayName(target);
    // The embedded panel is the element's resting state: show a fresh QR whenever it is idle.
    if (this.mode === 'embedded' && this.status === 'idle' && !this.disabled) this.start();
  }

  protected override render() {
    const s = stringsFor(this.lang);
    const {status, mode} = this;
    const pending = status === 'pending';
    const embedded = mode === 'embedded';
    const text = {
      idle: '',
      pending: mode === 'redirect' ? '' : s.scan,
      success: s.loggedIn.replace('{name}', this.userName),
      error: errorSentence(s, this.errorCode),
    }[status];
    // The sandbox keeps scripts in the panel from navigating this page (no allow-top-navigation).
    return html`${embedded && pending && this.panelUrl ? html`<div part="panel"><iframe title=${s.logIn} src=${this.panelUrl} width="480" height="416" referrerpolicy="origin" sandbox="allow-scripts allow-same-origin allow-popups" allow="local-network-access"></iframe></div>` : nothing}<div>${
      !embedded || status === 'error' || this.disabled || !loginTarget(this.server, this.connection)
        ? html`<button part="button" type="button" ?disabled=${this.disabled} aria-busy=${pending} @click=${this.start}>${wecomIcon}<slot>${this.label || this.displayName || s.logIn}</slot></button>`
        : nothing
    }${pending && mode === 'popup' ? html`<button class="c" type="button" @click=${this.#cancel}>${s.cancel}</button>` : nothing}</div><p part="status" class=${status} role="status">${text}</p>`;
  }

  #begin(): void {
    if (this.disabled) return;
    if (this.status === 'pending' && this.#popup && !this.#popup.closed) return this.#popup.focus();
    const target = loginTarget(this.server, this.connection);
    if (!target) return this.#fail('invalid_request');
    this.#abortAttempt();
    const nonce = createNonce();
    const mode = this.mode;
    if (mode === 'redirect') return this.#redirect(target, nonce);
    if (mode === 'popup') {
      // Synchronously, before any await: otherwise the click's user activation is gone and the popup is blocked.
      this.#popup = openPopup(authorizeUrl(target, 'popup', nonce));
      if (!this.#popup) return this.fallback === 'none' ? this.#fail('popup_blocked') : this.#redirect(target, nonce);
    } else {
      this.panelUrl = authorizeUrl(target, 'embedded', nonce);
    }
    this.status = 'pending';
    const attempt = (this.#attempt = new AbortController());
    const announce = () => attempt === this.#attempt && this.dispatchEvent(new WecomLoginStartEvent({mode}));
    // An embedded panel starts itself during the element's first update, before the page's later
    // scripts have added their listeners: like #land()'s reports, its start comes in a task of its own.
    if (mode === 'embedded') setTimeout(announce);
    else announce();
    const popup = this.#popup ?? undefined;
    void waitForLoginMessage({
      source: () => popup ?? this.renderRoot.querySelector('iframe')?.contentWindow ?? null,
      origin: target.origin,
      nonce,
      popup,
      timeoutMs: (this.timeout > 0 ? this.timeout : 600) * 1000,
      signal: attempt.signal,
    }).then((outcome) => {
      if (outcome.kind === 'aborted' || attempt !== this.#attempt) return;
      this.#abortAttempt();
      if (outcome.kind !== 'message') return this.#fail(outcome.kind === 'closed' ? 'popup_closed' : 'timeout');
      const message = outcome.message;
      if (message.type === 'wecom-sp-login:error') return this.#fail(message.error.code);
      this.#succeed({idToken: message.idToken, user: message.user});
    });
  }

  #redirect(target: LoginTarget, nonce: string): void {
    const verifier = createNonce();
    rememberVerifier(target.connection, verifier);
    this.status = 'pending';
    this.dispatchEvent(new WecomLoginStartEvent({mode: 'redirect'}));
    // WebCrypto's digest is async; it needs a secure context (https or localhost), as the login does.
    codeChallenge(verifier).then(
      (challenge) => location.assign(authorizeUrl(target, 'redirect', nonce, challenge)),
      () => this.#fail('invalid_request'),
    );
  }

  /** Handles a ticket or an error code that a redirect or launch left in the URL. */
  #land(target: LoginTarget): void {
    const found = takeFragmentResult();
    if (!found) return;
    // In a task of its own: this runs during the element's first update, before the page's later
    // scripts have added their listeners. (A ticket's result arrives after a fetch anyway.)
    if ('error' in found) return void setTimeout(() => this.#fail(found.error));
    this.status = 'pending';
    void redeemTicket(target, found.ticket, takeVerifier(target.connection)).then((redemption) => {
      if ('code' in redemption) return this.#fail(redemption.code);
      this.#succeed(redemption);
    });
  }

  async #loadDisplayName(target: LoginTarget): Promise<void> {
    const key = (this.#metadataKey = connectionUrl(target));
    try {
      const body = (await (await fetch(key, {credentials: 'omit', referrerPolicy: 'no-referrer'})).json()) as {
        displayName?: unknown;
      };
      if (this.#metadataKey === key && typeof body.displayName === 'string') this.displayName = body.displayName;
    } catch {
      // The button keeps its default text; a click reports any real problem.
    }
  }

  #cancel(): void {
    this.#abortAttempt();
    this.#fail('login_cancelled');
  }

  #succeed(result: LoginResult): void {
    this.status = 'success';
    this.userName = result.user.name;
    this.dispatchEvent(new WecomLoginSuccessEvent(result));
  }

  /**
   * Reports a failure: the code, and the visitor-facing sentence for it in the element's language
   * (the server's own text is English and for the site owner: the code carries what it means).
   */
  #fail(code: WidgetErrorCode): void {
    this.status = 'error';
    this.errorCode = code;
    this.dispatchEvent(new WecomLoginErrorEvent({code, message: errorSentence(stringsFor(this.lang), code)}));
  }

  #abortAttempt(): void {
    this.#attempt?.abort();
    this.#attempt = undefined;
    if (this.#popup && !this.#popup.closed) this.#popup.close();
    this.#popup = null;
    this.panelUrl = '';
  }
}

if (!customElements.get('wecom-sp-login')) customElements.define('wecom-sp-login', WecomSpLoginElement);

declare global {
  interface HTMLElementTagNameMap {
    'wecom-sp-login': WecomSpLoginElement;
  }
}
