import {html, nothing} from 'lit';
import type {Connection} from './admin-api.ts';
import {ConnectionPanel} from './connection-panel.ts';
import './connection-form.ts';
import './copy-button.ts';
import './setup-checklist.ts';
import './users-panel.ts';
import './activity-panel.ts';

type Tab = 'settings' | 'setup' | 'activity' | 'users' | 'snippet';

/**
 * One connection: its settings form, the WeCom setup checklist, its users, the snippet for a site,
 * and deletion behind an explicit confirmation.
 *
 * @fires changed - The connection was saved (`detail` is the Connection) or deleted (`detail` null).
 */
export class AdminConnectionDetail extends ConnectionPanel {
  static override properties = {
    ...ConnectionPanel.properties,
    publicUrl: {attribute: 'public-url'},
    tab: {state: true},
    confirming: {state: true},
    error: {state: true},
  };

  /** The login server's public URL. */
  publicUrl = location.origin;
  private tab: Tab = 'settings';
  private confirming = false;
  private error = '';

  protected override render() {
    const s = this.strings;
    const tabs: Array<[Tab, string]> = [
      ['settings', s.settings],
      ['setup', s.setup],
      ['activity', s.activity],
      ['users', s.users],
      ['snippet', s.snippet],
    ];
    return html`<h2>${this.connection.displayName} <span class="muted">· ${this.connection.identifier}</span></h2>
      <div class="row" role="tablist" @keydown=${this.moveTab}>
        ${tabs.map(
          ([
            tab,
            label,
          ]) => html`<button type="button" role="tab" id=${`tab-${tab}`} class=${this.tab === tab ? '' : 'secondary'}
          aria-selected=${this.tab === tab} tabindex=${
            this.tab === tab ? 0 : -1
          } @click=${() => (this.tab = tab)}>${label}</button>`,
        )}
      </div>
      <div role="tabpanel" aria-labelledby=${`tab-${this.tab}`} class="panel">${this.renderTab()}</div>`;
  }

  private renderTab() {
    const s = this.strings;
    switch (this.tab) {
      case 'settings':
        return html`<admin-connection-form .api=${this.api} .connection=${this.connection} .strings=${s}
          @saved=${this.saved}></admin-connection-form>
          <h3>${s.delete}</h3>
          ${
            this.confirming
              ? html`<div class="banner bad" role="alertdialog" aria-labelledby="confirm-text"><p
                id="confirm-text">${s.confirmDelete.replace('{id}', this.connection.identifier)}</p>
                <div class="row"><button type="button" class="danger" id="confirm-delete"
                  @click=${this.deleteConnection}>${s.confirmDeleteYes}</button>
                <button type="button" class="secondary"
                  @click=${() => (this.confirming = false)}>${s.cancel}</button></div></div>`
              : html`<button type="button" class="danger" id="delete"
                @click=${() => (this.confirming = true)}>${s.delete}</button>`
          }
          ${this.error ? html`<div class="banner bad" role="alert">${this.error}</div>` : nothing}`;
      case 'setup':
        return html`<admin-setup-checklist .api=${this.api} .connection=${this.connection} .strings=${s}
          public-url=${this.publicUrl}></admin-setup-checklist>`;
      case 'activity':
        return html`<admin-activity-panel .api=${this.api} .connection=${this.connection}
          .strings=${s}></admin-activity-panel>`;
      case 'users':
        return html`<admin-users-panel .api=${this.api} .connection=${this.connection}
          .strings=${s}></admin-users-panel>`;
      case 'snippet': {
        const snippet =
          `<script type="module" src="${this.publicUrl}/widget/wecom-sp-login.js"></script>\n<wecom-sp-login ` +
          `server="${this.publicUrl}" connection="${this.connection.identifier}"></wecom-sp-login>`;
        return html`<p class="muted">${s.snippetText}</p><pre id="snippet">${snippet}</pre>
          <div class="row spaced"><admin-copy-button .value=${snippet} label=${s.copy}
            done-label=${s.copied}></admin-copy-button></div>`;
      }
    }
  }

  /** Arrow keys move between tabs, as in any tab list. */
  private moveTab = (event: KeyboardEvent): void => {
    const order: Tab[] = ['settings', 'setup', 'activity', 'users', 'snippet'];
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    this.tab = order[(order.indexOf(this.tab) + step + order.length) % order.length]!;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${this.tab}`)?.focus());
  };

  private saved = (event: CustomEvent<Connection>): void => {
    this.dispatchEvent(new CustomEvent('changed', {detail: event.detail}));
  };

  private deleteConnection = async (): Promise<void> => {
    try {
      await this.api.deleteConnection(this.connection.identifier);
      this.confirming = false;
      this.dispatchEvent(new CustomEvent('changed', {detail: null}));
    } catch (error) {
      this.error = (error as Error).message;
    }
  };
}
customElements.define('admin-connection-detail', AdminConnectionDetail);
