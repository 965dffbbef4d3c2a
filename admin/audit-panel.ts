import {LitElement, html, nothing} from 'lit';
import type {AdminApi, AuditEntry, Connection} from './admin-api.ts';
import {adminStyles} from './admin-styles.ts';
import {PagedList} from './paged-list.ts';
import type {AdminStrings} from './admin-strings.ts';

/** The audit log, newest first, filtered by connection and event, with WeCom errcodes explained. */
export class AdminAuditPanel extends LitElement {
  static override styles = adminStyles;
  static override properties = {api: {attribute: false}, connections: {attribute: false}, strings: {attribute: false}};

  /** The admin API. */
  api!: AdminApi;
  /** Connections to filter by. */
  connections: Connection[] = [];
  /** The console's strings in the current language. */
  strings!: AdminStrings;
  private filter: {connection?: string; event?: string} = {};
  private readonly entries = new PagedList<AuditEntry>(this, (cursor) => this.api.listAudit({...this.filter, cursor}));

  protected override render() {
    const s = this.strings;
    return html`<div class="row">
        <div class="field"><label for="audit-connection">${s.connections}</label>
          <select id="audit-connection"
            @change=${(e: Event) => this.setFilter({connection: (e.target as HTMLSelectElement).value || undefined})}>
            <option value="">${s.allConnections}</option>
            ${this.connections.map((c) => html`<option value=${c.identifier}>${c.identifier}</option>`)}
          </select></div>
        <div class="field"><label for="audit-event">${s.eventFilter}</label>
          <select id="audit-event"
            @change=${(e: Event) => this.setFilter({event: (e.target as HTMLSelectElement).value || undefined})}>
            <option value="">${s.allEvents}</option>
            ${Object.entries(s.events).map(([event, label]) => html`<option value=${event}>${label}</option>`)}
          </select></div>
      </div>
      ${this.entries.error ? html`<div class="banner bad">${this.entries.error}</div>` : nothing}
      ${
        this.entries.items.length === 0
          ? html`<p class="muted">${s.noEntries}</p>`
          : html`<div class="table-wrap"><table>
        <thead><tr>${s.auditColumns.map((column) => html`<th scope="col">${column}</th>`)}</tr></thead>
        <tbody>${this.entries.items.map(
          (entry) => html`<tr>
          <td>${new Date(entry.at).toLocaleString()}</td>
          <td>${s.events[entry.event] ?? entry.event}</td>
          <td>${entry.connection ?? '—'}</td>
          <td>${entry.code ? html`<code>${entry.code}</code>` : '—'}</td>
          <td>${
            entry.wecomErrcode === null
              ? '—'
              : html`<code>${entry.wecomErrcode}</code> ${s.errcodes[entry.wecomErrcode] ?? ''}`
          }</td>
          <td>${entry.detail ?? ''}</td>
          <td>${entry.ip ?? ''}</td></tr>`,
        )}</tbody>
      </table></div>`
      }
      ${
        this.entries.nextCursor
          ? html`<button type="button" class="secondary"
        @click=${() => this.entries.load(this.entries.nextCursor!)}>${s.more}</button>`
          : nothing
      }`;
  }

  private setFilter(change: {connection?: string; event?: string}): void {
    this.filter = {...this.filter, ...change};
    void this.entries.load();
  }
}
customElements.define('admin-audit-panel', AdminAuditPanel);
