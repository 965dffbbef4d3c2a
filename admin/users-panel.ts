import {LitElement, html, nothing} from 'lit';
import type {AdminApi, Connection, User} from './admin-api.ts';
import {adminStyles} from './admin-styles.ts';
import type {AdminStrings} from './admin-strings.ts';

/** The users of one connection, newest first, with a search over name, userid and open_userid. */
export class AdminUsersPanel extends LitElement {
  static override styles = adminStyles;
  static override properties = {api: {attribute: false}, connection: {attribute: false}, strings: {attribute: false}, users: {state: true}, nextCursor: {state: true}, error: {state: true}};

  /** The admin API. */
  api!: AdminApi;
  /** Whose users to show. */
  connection!: Connection;
  /** The console's strings in the current language. */
  strings!: AdminStrings;
  private users: User[] = [];
  private nextCursor: string | null = null;
  private error = '';
  private query = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  protected override render() {
    const s = this.strings;
    return html`<div class="field"><label for="user-search">${s.search}</label>
        <input id="user-search" type="search" @input=${this.search}></div>
      ${this.error ? html`<div class="banner bad">${this.error}</div>` : nothing}
      ${this.users.length === 0 ? html`<p class="muted">${s.noUsers}</p>` : html`<div class="table-wrap"><table>
        <thead><tr>${s.userColumns.map((column) => html`<th scope="col">${column}</th>`)}</tr></thead>
        <tbody>${this.users.map((user) => html`<tr>
          <td>${user.name}</td><td>${user.userId ?? '—'}</td><td><code>${user.openUserId ?? '—'}</code></td><td><code>${user.corpId}</code></td>
          <td>${new Date(user.lastLoginAt).toLocaleString()}</td><td>${user.loginCount}</td></tr>`)}</tbody>
      </table></div>`}
      ${this.nextCursor ? html`<button type="button" class="secondary" @click=${() => this.load(this.nextCursor!)}>${s.more}</button>` : nothing}`;
  }

  private search = (event: Event): void => {
    this.query = (event.target as HTMLInputElement).value.trim();
    void this.load();
  };

  private async load(cursor?: string): Promise<void> {
    const query = this.query;
    try {
      const page = await this.api.listUsers(this.connection.identifier, {q: query || undefined, cursor});
      if (query !== this.query) return; // a later search has started
      this.users = cursor ? [...this.users, ...page.items] : page.items;
      this.nextCursor = page.nextCursor;
      this.error = '';
    } catch (error) {
      this.error = (error as Error).message;
    }
  }
}
customElements.define('admin-users-panel', AdminUsersPanel);
