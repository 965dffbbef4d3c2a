import {html, nothing} from 'lit';
import {AdminApiError, type AppSuiteTicketStatus, type CredentialCheck, type SuiteTicketStatus} from './admin-api.ts';
import {ConnectionPanel} from './connection-panel.ts';
import {IN_CLIENT_PROTOCOL} from '../server/login/flows/protocol-catalogue.ts';
import './copy-button.ts';

/**
 * What to enter in the WeCom service-provider console for one connection, each value copyable, and
 * a check of its credentials against WeCom explained in plain words.
 */
export class AdminSetupChecklist extends ConnectionPanel {
  static override properties = {
    ...ConnectionPanel.properties,
    publicUrl: {attribute: 'public-url'},
    result: {state: true},
    busy: {state: true},
    ticket: {state: true},
    appResult: {state: true},
    appTicket: {state: true},
  };

  /** The login server's public URL (PUBLIC_URL): its host is what WeCom must know. */
  publicUrl = location.origin;
  private result: CredentialCheck | {error: string} | null = null;
  private busy = false;
  /** The service-app connection's suite_ticket status; undefined while unknown. */
  private ticket: SuiteTicketStatus | undefined;
  /** The app suite's check and suite_ticket status (logins inside the WeCom client). */
  private appResult: CredentialCheck | {error: string} | null = null;
  private appTicket: AppSuiteTicketStatus | undefined;

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('connection') && this.connection.flow === 'service-app') void this.loadTicket();
    if (changed.has('connection') && this.connection.appSuiteId !== null) void this.loadAppTicket();
  }

  private async loadAppTicket(): Promise<void> {
    this.appTicket = await this.api.appSuiteTicket(this.connection.identifier).catch(() => undefined);
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
        ? ([
            [s.serviceAppItems.trustedDomain, host],
            [s.serviceAppItems.callbackUrl, `${base}/wecom-callback`],
            [s.serviceAppItems.token, null, s.hints.callbackSecrets],
            [s.serviceAppItems.refreshTicket, null, this.ticketText()],
          ] as Array<[string, string | null, string?]>)
        : ([
            [s.setupItems.loginDomain, host],
            [s.setupItems.callbackDomain, host],
          ] as Array<[string, string | null, string?]>)),
      [s.setupItems.businessUrl, launch],
      [s.setupItems.ipWhitelist, null, s.ipWhitelistValue],
      // Not a WeCom setting: which of the provider's customer enterprises this connection admits.
      [
        s.setupItems.allowedCorps,
        null,
        this.connection.allowedCorpIds.length
          ? `${this.connection.allowedCorpIds.join(', ')}. ${s.onlyTheseCorps}`
          : s.anyCorp,
      ],
    ];
    return html`<p class="muted">${serviceApp ? s.serviceAppSetupIntro : s.setupIntro}</p>
      ${this.table(items)}
      <h3>${s.check}</h3>
      <div class="row"><button type="button" id="check" ?disabled=${this.busy}
        @click=${this.check}>${this.busy ? s.checking : s.check}</button></div>
      <div role="status">${this.renderResult(
        this.result,
        'check-result',
        this.connection.flow === 'service-app' ? s.okServiceApp : undefined,
      )}</div>
      ${this.renderInWecom(base, host)}`;
  }

  /** What to enter on the app's page (应用管理 → 网页应用) for logins inside the WeCom client, and its check. */
  private renderInWecom(base: string, host: string) {
    const s = this.strings;
    if (this.connection.appSuiteId === null)
      return html`<h3>${s.inWecom}</h3><p class="muted" id="in-wecom-none">${s.inWecomNone}</p>`;
    const callback = `${base}/app-callback`;
    const received = this.appTicket?.received;
    const items: Array<[string, string | null, string?]> = [
      [s.inWecomItems.homepage, `${base}/workbench`],
      [s.inWecomItems.trustedDomain, host],
      [s.inWecomItems.commandCallback, callback],
      [s.inWecomItems.dataCallback, callback],
      [s.inWecomItems.token, null, s.hints.appCallbackSecrets],
      [s.inWecomItems.licence, null, s.licenceNote],
      [s.inWecomItems.ticket, null, received ? this.ago(received.receivedAt) : s.appTicketNone],
    ];
    return html`<h3>${s.inWecom}</h3><p class="muted">${s.inWecomIntro}</p>
      ${this.table(items)}
      <div class="row"><button type="button" id="check-app" ?disabled=${this.busy}
        @click=${this.checkApp}>${this.busy ? s.checking : s.checkInWecom}</button></div>
      <div role="status">${this.renderResult(this.appResult, 'check-app-result', s.okInWecom)}</div>`;
  }

  private table(items: Array<[string, string | null, string?]>) {
    const s = this.strings;
    return html`<div class="table-wrap"><table>
        ${items.map(
          ([name, value, note]) => html`<tr>
          <th scope="row">${name}</th>
          <td>${value ? html`<code>${value}</code>` : html`<span class="muted">${note}</span>`}</td>
          <td>${
            value
              ? html`<admin-copy-button .value=${value} label=${s.copy}
            done-label=${s.copied}></admin-copy-button>`
              : nothing
          }</td>
        </tr>`,
        )}
      </table></div>`;
  }

  /** "Last suite_ticket received 3 min ago" or "none yet: press 刷新Ticket". */
  private ticketText(): string {
    const received = this.ticket?.received;
    return received ? this.ago(received.receivedAt) : this.strings.ticketNone;
  }

  private ago(receivedAt: number): string {
    const minutes = Math.max(0, Math.round((Date.now() - receivedAt) / 60_000));
    return this.strings.ticketReceived.replace('{ago}', minutes < 1 ? '< 1 min' : `${minutes} min`);
  }

  /** A check's outcome; `okText` replaces the generic success where a protocol says more. */
  private renderResult(result: CredentialCheck | {error: string} | null, id: string, okText?: string) {
    if (result === null) return nothing;
    if ('error' in result) return html`<div class="banner bad" id=${id}>${result.error}</div>`;
    return html`<div class="banner ${result.ok ? 'ok' : 'bad'}" id=${id} data-diagnosis=${result.diagnosis}>
      <strong>${result.diagnosis === 'ok' && okText ? okText : this.strings.diagnoses[result.diagnosis]}</strong>
      ${
        result.ip
          ? html`<div>${this.strings.ipSeen}: <code id="seen-ip">${result.ip}</code> <admin-copy-button
        .value=${result.ip} label=${this.strings.copy}
          done-label=${this.strings.copied}></admin-copy-button></div>`
          : nothing
      }
      ${
        result.errcode !== undefined
          ? html`<div
        class="muted">errcode ${result.errcode}: ${result.message}</div>`
          : nothing
      }
    </div>`;
  }

  private async checkApp(): Promise<void> {
    this.busy = true;
    try {
      this.appResult = await this.api.checkCredentials(this.connection.identifier, IN_CLIENT_PROTOCOL);
      await this.loadAppTicket();
    } catch (error) {
      this.appResult = {error: error instanceof AdminApiError ? error.message : String(error)};
    } finally {
      this.busy = false;
    }
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
