import {LitElement, css, html, nothing} from 'lit';
import {keyed} from 'lit/directives/keyed.js';
import {AdminApiError, createAdminApi, type AdminApi, type Connection} from './admin-api.ts';
import {adminStyles} from './admin-styles.ts';
import {ADMIN_STRINGS, type AdminLang} from './admin-strings.ts';
import './audit-panel.ts';
import './connection-detail.ts';
import './connection-form.ts';
import './oidc-clients-panel.ts';

/** sessionStorage key of the admin token: this tab only, gone when it closes, never in a URL. */
const TOKEN_KEY = 'wecom-sp-login:admin-token';

type View =
  {kind: 'connection'; identifier: string} | {kind: 'new'} | {kind: 'audit'} | {kind: 'oidc'} | {kind: 'empty'};

/**
 * The admin console of the login server, at /admin: sign-in with the ADMIN_TOKEN, the connections
 * (list, create, edit, delete, WeCom setup, users, snippet), the OpenID provider's clients and the
 * audit log, in Chinese or English.
 */
export class WecomSpAdminElement extends LitElement {
  static override styles = [
    adminStyles,
    css`
    :host { min-height: 100vh; background: #f4f6f9; }
    header { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; justify-content: space-between;
      padding: 12px 20px; background: #fff; border-bottom: 1px solid #e4e7ec; }
    header h1 { font-size: 16px; margin: 0; }
    .layout { display: grid; grid-template-columns: 240px 1fr; gap: 16px; padding: 16px 20px; max-width: 1200px;
      margin: 0 auto; }
    nav ul { list-style: none; margin: 0 0 12px; padding: 0; }
    nav li button { width: 100%; text-align: left; background: transparent; color: inherit; border-color: transparent;
      margin-bottom: 2px; }
    nav li button[aria-current=page] { background: #e8f1fc; color: #0058ab; border-color: #cfe3f8; }
    .signin { max-width: 420px; margin: 10vh auto; }
    @media (max-width: 720px) { .layout { grid-template-columns: 1fr; padding: 12px; } }
  `,
  ];
  static override properties = {
    publicUrl: {attribute: 'public-url'},
    token: {state: true},
    language: {state: true},
    connections: {state: true},
    view: {state: true},
    signInError: {state: true},
  };

  /** The login server's public URL (PUBLIC_URL), for the setup checklist and the snippet. */
  publicUrl = location.origin;
  private token = sessionStorage.getItem(TOKEN_KEY) ?? '';
  private language: AdminLang = navigator.language.startsWith('zh') ? 'zh-CN' : 'en';
  private connections: Connection[] = [];
  private view: View = {kind: 'empty'};
  /** Why sign-in failed: an API error code, shown in the current language. */
  private signInError = '';
  private api: AdminApi | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.token) void this.signIn(this.token);
    else void this.probe();
  }

  /** Asks the API without a token: a 503 means it is disabled, which the admin should learn before typing anything. */
  private async probe(): Promise<void> {
    const response = await fetch('/api/connections', {cache: 'no-store', credentials: 'omit'}).catch(() => null);
    if (response?.status === 503) this.signInError = 'admin_disabled';
  }

  protected override render() {
    const s = ADMIN_STRINGS[this.language];
    const langToggle = html`<div class="row" role="group" aria-label="Language">
      ${(['zh-CN', 'en'] as const).map(
        (lang) => html`<button type="button" class=${this.language === lang ? '' : 'secondary'}
          aria-pressed=${this.language === lang}
        @click=${() => (this.language = lang)}>${lang === 'zh-CN' ? '中文' : 'English'}</button>`,
      )}</div>`;
    if (!this.api) {
      return html`<header><h1>${s.title}</h1>${langToggle}</header>
        <main><form class="card signin" @submit=${this.submitToken}>
          <h2>${s.signInTitle}</h2>
          <p class="muted">${s.signInText}</p>
          <div class="field"><label for="token">${s.tokenLabel}</label>
            <input id="token" name="token" type="password" autocomplete="current-password" required
              aria-describedby="signin-error"></div>
          ${
            this.signInError
              ? html`<div class="banner bad" id="signin-error"
            role="alert">${this.signInMessage()}</div>`
              : nothing
          }
          <button type="submit">${s.signIn}</button>
        </form></main>`;
    }
    return html`<header><h1>${s.title}</h1><div class="row">${langToggle}<button type="button" class="secondary"
      @click=${this.signOut}>${s.signOut}</button></div></header>
      <div class="layout">
        <nav aria-label=${s.connections}>
          <h2>${s.connections}</h2>
          <ul>${this.connections.map(
            (c) => html`<li><button type="button" aria-current=${this.isCurrent(c.identifier) ? 'page' : 'false'}
            @click=${() => (this.view = {kind: 'connection', identifier: c.identifier})}>${c.displayName}<br><span
              class="muted">${c.identifier}</span></button></li>`,
          )}</ul>
          <div class="row"><button type="button" id="new-connection"
            @click=${() => (this.view = {kind: 'new'})}>+ ${s.newConnection}</button>
          <button type="button" class="secondary" id="audit-tab"
            aria-current=${this.view.kind === 'audit' ? 'page' : 'false'}
              @click=${() => (this.view = {kind: 'audit'})}>${s.audit}</button>
          <button type="button" class="secondary" id="oidc-tab"
            aria-current=${this.view.kind === 'oidc' ? 'page' : 'false'}
              @click=${() => (this.view = {kind: 'oidc'})}>${s.oidc.title}</button></div>
        </nav>
        <main class="card">${this.renderView()}</main>
      </div>`;
  }

  private renderView() {
    const s = ADMIN_STRINGS[this.language];
    const view = this.view;
    switch (view.kind) {
      case 'new':
        return html`<h2>${s.newConnection}</h2><admin-connection-form .api=${this.api} .connection=${null} .strings=${s}
          @saved=${this.created} @cancel=${() => (this.view = {kind: 'empty'})}></admin-connection-form>`;
      case 'oidc':
        return html`<h2>${s.oidc.title}</h2><admin-oidc-clients .api=${this.api} .connections=${this.connections}
          .strings=${s} public-url=${this.publicUrl}></admin-oidc-clients>`;
      case 'audit':
        return html`<h2>${s.audit}</h2><admin-audit-panel .api=${this.api} .connections=${this.connections}
          .strings=${s}></admin-audit-panel>`;
      case 'connection': {
        const connection = this.connections.find((c) => c.identifier === view.identifier);
        if (!connection) return nothing;
        // A fresh element per connection, so no tab, form or confirmation carries over to another.
        return keyed(
          connection.identifier,
          html`<admin-connection-detail .api=${this.api} .connection=${connection} .strings=${s}
            public-url=${this.publicUrl}
          @changed=${this.changed}></admin-connection-detail>`,
        );
      }
      default:
        return html`<p class="muted">${this.connections.length ? '' : s.noConnections}</p>`;
    }
  }

  private isCurrent(identifier: string): boolean {
    return this.view.kind === 'connection' && this.view.identifier === identifier;
  }

  private submitToken = (event: SubmitEvent): void => {
    event.preventDefault();
    const token = (new FormData(event.target as HTMLFormElement).get('token') as string | null) ?? '';
    void this.signIn(token);
  };

  /** Tries the token on the API; keeps it for this tab only when it works. */
  private async signIn(token: string): Promise<void> {
    const api = createAdminApi(token);
    try {
      this.connections = await api.listConnections();
      sessionStorage.setItem(TOKEN_KEY, token);
      this.token = token;
      this.api = api;
      this.signInError = '';
      if (this.connections[0]) this.view = {kind: 'connection', identifier: this.connections[0].identifier};
    } catch (error) {
      sessionStorage.removeItem(TOKEN_KEY);
      this.signInError = error instanceof AdminApiError ? error.code : 'network_error';
    }
  }

  /** The sign-in failure in the current language. */
  private signInMessage(): string {
    const s = ADMIN_STRINGS[this.language];
    const messages: Record<string, string> = {
      admin_disabled: s.adminDisabled,
      unauthorized: s.badToken,
      network_error: s.unreachable,
    };
    return messages[this.signInError] ?? this.signInError;
  }

  private signOut = (): void => {
    sessionStorage.removeItem(TOKEN_KEY);
    this.token = '';
    this.api = null;
    this.connections = [];
    this.view = {kind: 'empty'};
  };

  private created = async (event: CustomEvent<Connection>): Promise<void> => {
    this.connections = await this.api!.listConnections();
    this.view = {kind: 'connection', identifier: event.detail.identifier};
  };

  private changed = async (event: CustomEvent<Connection | null>): Promise<void> => {
    this.connections = await this.api!.listConnections();
    if (event.detail === null)
      this.view = this.connections[0]
        ? {kind: 'connection', identifier: this.connections[0].identifier}
        : {kind: 'empty'};
  };
}
customElements.define('wecom-sp-admin', WecomSpAdminElement);

declare global {
  interface HTMLElementTagNameMap {
    'wecom-sp-admin': WecomSpAdminElement;
  }
}
