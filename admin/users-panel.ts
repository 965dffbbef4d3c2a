import {html, nothing} from 'lit';
import type {User} from './admin-api.ts';
import {ConnectionPanel} from './connection-panel.ts';
import {PagedList} from './paged-list.ts';

/** The users of one connection, newest first, with a search over name, userid and open_userid. */
export class AdminUsersPanel extends ConnectionPanel {
  private query = '';
  private readonly users = new PagedList<User>(this, (cursor) =>
    this.api.listUsers(this.connection.identifier, {q: this.query || undefined, cursor}),
  );

  protected override render() {
    const s = this.strings;
    return html`<div class="field"><label for="user-search">${s.search}</label>
        <input id="user-search" type="search" @input=${this.search}></div>
      ${this.users.error ? html`<div class="banner bad">${this.users.error}</div>` : nothing}
      ${
        this.users.items.length === 0
          ? html`<p class="muted">${s.noUsers}</p>`
          : html`<div class="table-wrap"><table>
        <thead><tr>${s.userColumns.map((column) => html`<th scope="col">${column}</th>`)}</tr></thead>
        <tbody>${this.users.items.map(
          (user) => html`<tr>
          <td>${user.name}</td><td>${user.userId ?? '—'}</td><td><code>${
            user.openUserId ?? '—'
          }</code></td><td><code>${user.corpId}</code></td>
          <td>${new Date(user.lastLoginAt).toLocaleString()}</td><td>${user.loginCount}</td></tr>`,
        )}</tbody>
      </table></div>`
      }
      ${
        this.users.nextCursor
          ? html`<button type="button" class="secondary"
        @click=${() => this.users.load(this.users.nextCursor!)}>${s.more}</button>`
          : nothing
      }`;
  }

  private search = (event: Event): void => {
    this.query = (event.target as HTMLInputElement).value.trim();
    void this.users.load();
  };
}
customElements.define('admin-users-panel', AdminUsersPanel);
