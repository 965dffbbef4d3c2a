import {LitElement, html, nothing} from 'lit';
import {AdminApiError, type AdminApi, type Connection, type CredentialCheck, type SuiteTicketStatus} from './admin-api.ts';
import {adminStyles} from './admin-styles.ts';
import type {AdminStrings} from './admin-strings.ts';
import './copy-button.ts';

/**
 * What to enter in the WeCom service-provider console for one connection, each value copyable, and
 * a check of its credentials against WeCom explained in plain words.
 */
export class AdminSetupChecklist extends LitElement {
  static override styles = adminStyles;
  static override properties = {api: {attribute: false}, connection: {attribute: false}, strings: {attribute: false}, publicUrl: {attribute: 'public-url'}, result: {state: true}, busy: {state: true}, ticket: {state: true}};

  /** The admin API. */
  api!: AdminApi;
  /** The connection to set up. */
  connection!: Connection;
  /** The console's strings in the current language. */
  strings!: AdminStrings;
  /** The login server's public URL (PUBLIC_URL): its host is what WeCom must know. */
  publicUrl = location.origin;
  private result: CredentialCheck | {error: string} | null = null;
  private busy = false;
  /** The service-app connection's suite_ticket status; undefined while unknown. */
  private ticket: SuiteTicketStatus | undefined;

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('connection') && this.connection.flow === 'service-app') void this.loadTicket();
  }

  private async loadTicket(): Promise<void> {
    this.ticket = await this.api.suiteTicket(this.connection.identifier).catch(() => undefined);
  }

  protected override render() {
    const s = this.strings;
    const host = new URL(this.publicUrl).host;
    const base = `${this.publicUrl}/connections/${encodeURIComponent(this.connection.identifier)}`;
    const launch = `${base}/launch`;
    const serviceApp = this.connection.flow === 'service-app';
    const items: Array<[string, string | null, string?]> = [
      ...(serviceApp
        ? [
          [s.serviceAppItems.trustedDomain, host],
          [s.serviceAppItems.callbackUrl, `${base}/wecom-callback`],
          [s.serviceAppItems.token, null, s.hints.callbackSecrets],
          [s.serviceAppItems.refreshTicket, null, this.ticketText()],
        ] as Array<[string, string | null, string?]>
        : [[s.setupItems.loginDomain, host], [s.setupItems.callbackDomain, host]] as Array<[string, string | null, string?]>),
      [s.setupItems.businessUrl, launch],
      [s.setupItems.ipWhitelist, null, s.ipWhitelistValue],
      // Not a WeCom setting: which of the provider's customer enterprises this connection admits.
      [s.setupItems.allowedCorps, null, this.connection.allowedCorpIds.length ? `${this.connection.allowedCorpIds.join(', ')}. ${s.onlyTheseCorps}` : s.anyCorp],
    ];
    return html`<p class="muted">${serviceApp ? s.serviceAppSetupIntro : s.setupIntro}</p>
      <div class="table-wrap"><table>
        ${items.map(([name, value, note]) => html`<tr>
          <th scope="row">${name}</th>
          <td>${value ? html`<code>${value}</code>` : html`<span class="muted">${note}</span>`}</td>
          <td>${value ? html`<admin-copy-button .value=${value} label=${s.copy} done-label=${s.copied}></admin-copy-button>` : nothing}</td>
        </tr>`)}
      </table></div>
      <h3>${s.check}</h3>
      <div class="row"><button type="button" id="check" ?disabled=${this.busy} @click=${this.check}>${this.busy ? s.checking : s.check}</button></div>
      <div role="status">${this.renderResult()}</div>`;
  }

  /** "Last suite_ticket received 3 min ago" or "none yet: press 刷新Ticket". */
  private ticketText(): string {
    const received = this.ticket?.received;
    if (!received) return this.strings.ticketNone;
    const minutes = Math.max(0, Math.round((Date.now() - received.receivedAt) / 60_000));
    return this.strings.ticketReceived.replace('{ago}', minutes < 1 ? '< 1 min' : `${minutes} min`);
  }

  private renderResult() {
    const result = this.result;
    if (result === null) return nothing;
    if ('error' in result) return html`<div class="banner bad" id="check-result">${result.error}</div>`;
    return html`<div class="banner ${result.ok ? 'ok' : 'bad'}" id="check-result" data-diagnosis=${result.diagnosis}>
      <strong>${result.diagnosis === 'ok' && this.connection.flow === 'service-app' ? this.strings.okServiceApp : this.strings.diagnoses[result.diagnosis]}</strong>
      ${result.ip ? html`<div>${this.strings.ipSeen}: <code id="seen-ip">${result.ip}</code> <admin-copy-button .value=${result.ip} label=${this.strings.copy} done-label=${this.strings.copied}></admin-copy-button></div>` : nothing}
      ${result.errcode !== undefined ? html`<div class="muted">errcode ${result.errcode}: ${result.message}</div>` : nothing}
    </div>`;
  }

  private async check(): Promise<void> {
    this.busy = true;
    try {
      this.result = await this.api.checkCredentials(this.connection.identifier);
      if (this.connection.flow === 'service-app') await this.loadTicket();
    } catch (error) {
      this.result = {error: error instanceof AdminApiError ? error.message : String(error)};
    } finally {
      this.busy = false;
    }
  }
}
customElements.define('admin-setup-checklist', AdminSetupChecklist);
