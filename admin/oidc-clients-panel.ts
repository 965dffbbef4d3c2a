import {LitElement, html, nothing} from 'lit';
import {AdminApiError, type AdminApi, type Connection, type OidcClient, type OidcClientFields} from './admin-api.ts';
import {adminStyles} from './admin-styles.ts';
import type {AdminStrings} from './admin-strings.ts';
import './copy-button.ts';

type Field = keyof AdminStrings['oidc']['fields'];

/** The non-empty lines of a textarea. */
const readLines = (value: FormDataEntryValue | null): string[] =>
  (typeof value === 'string' ? value : '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

/**
 * The OpenID provider's clients: the list, a form for a new one, a new secret (shown once, with a
 * copy button, after a create or a rotation) and deletion after a confirmation. The API's validation
 * is the authority; its `field` puts the message next to the input at fault.
 */
export class AdminOidcClientsPanel extends LitElement {
  static override styles = adminStyles;
  static override properties = {
    api: {attribute: false},
    connections: {attribute: false},
    strings: {attribute: false},
    publicUrl: {attribute: 'public-url'},
    clients: {state: true},
    adding: {state: true},
    errors: {state: true},
    newSecret: {state: true},
    confirming: {state: true},
  };

  /** The admin API. */
  api!: AdminApi;
  /** The connections a client may use. */
  connections: Connection[] = [];
  /** The console's strings in the current language. */
  strings!: AdminStrings;
  /** The login server's public URL: the provider's issuer is under it. */
  publicUrl = location.origin;
  private clients: OidcClient[] = [];
  private adding = false;
  private errors: Partial<Record<Field | 'form', string>> = {};
  private newSecret: {clientId: string; secret: string} | null = null;
  private confirming: string | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    this.clients = await this.api.listOidcClients();
  }

  protected override render() {
    const s = this.strings.oidc;
    const discovery = `${this.publicUrl}/oidc/.well-known/openid-configuration`;
    return html`<p class="muted">${s.intro}</p>
      <p>${s.discovery}: <code id="discovery">${discovery}</code>
        <admin-copy-button .value=${discovery} label=${this.strings.copy}
          done-label=${this.strings.copied}></admin-copy-button></p>
      ${this.newSecret ? this.renderSecret(this.newSecret) : nothing}
      ${this.clients.length === 0 ? html`<p class="muted" id="no-clients">${s.none}</p>` : this.renderTable()}
      ${
        this.adding
          ? this.renderForm()
          : html`<div class="row"><button type="button" id="new-oidc-client"
            @click=${() => (this.adding = true)}>+ ${s.add}</button></div>`
      }`;
  }

  private renderSecret({clientId, secret}: {clientId: string; secret: string}) {
    return html`<div class="banner ok" role="status" id="new-secret">
      <p>${this.strings.oidc.secretOnce.replace('{client}', clientId)}</p>
      <p><code id="client-secret">${secret}</code>
        <admin-copy-button .value=${secret} label=${this.strings.copy}
          done-label=${this.strings.copied}></admin-copy-button></p></div>`;
  }

  private renderTable() {
    const s = this.strings.oidc;
    const head = s.columns.map((column) => html`<th>${column}</th>`);
    return html`<div class="table-wrap"><table id="oidc-clients"><thead><tr>${head}</tr>
      </thead><tbody>${this.clients.map(
        (client) => html`<tr data-client=${client.clientId}><td><code>${client.clientId}</code></td>
          <td>${client.name}</td><td>${client.connection}</td>
          <td>${client.anyCorp ? s.anyCorp : client.allowedCorpIds.join(', ') || s.nobody}</td>
          <td class="row">${
            client.tokenEndpointAuthMethod === 'none'
              ? nothing
              : html`<button type="button" class="secondary rotate"
              @click=${() => this.rotate(client.clientId)}>${s.rotate}</button>`
          }${this.renderDelete(client.clientId)}</td></tr>`,
      )}</tbody></table></div>`;
  }

  private renderDelete(clientId: string) {
    if (this.confirming !== clientId)
      return html`<button type="button" class="secondary delete"
        @click=${() => (this.confirming = clientId)}>${this.strings.oidc.delete}</button>`;
    return html`<span role="alert">${this.strings.oidc.confirmDelete.replace('{client}', clientId)}</span>
      <button type="button" class="danger confirm-delete"
        @click=${() => this.deleteClient(clientId)}>${this.strings.confirmDeleteYes}</button>
      <button type="button" class="secondary" @click=${() => (this.confirming = null)}>${this.strings.cancel}</button>`;
  }

  private renderForm() {
    const s = this.strings.oidc;
    const methods = s.authMethods;
    return html`<form novalidate id="oidc-client-form" @submit=${this.submit}>
      <h3>${s.add}</h3>
      ${this.errors.form ? html`<div class="banner bad" role="alert">${this.errors.form}</div>` : nothing}
      ${this.input('clientId', s.hints.clientId)} ${this.input('name')}
      ${this.select(
        'connection',
        Object.fromEntries(this.connections.map((connection) => [connection.identifier, connection.displayName])),
      )}
      ${this.textarea('redirectUris', s.hints.redirectUris)} ${this.textarea('postLogoutRedirectUris')}
      ${this.select('tokenEndpointAuthMethod', methods)} ${this.textarea('allowedCorpIds', s.hints.allowedCorpIds)}
      <div class="field"><label><input type="checkbox" id="anyCorp" name="anyCorp"> ${s.fields.anyCorp}</label></div>
      ${this.select('idTokenSignedResponseAlg', {RS256: 'RS256', ES256: 'ES256'})}
      <div class="row"><button type="submit">${this.strings.create}</button>
        <button type="button" class="secondary" @click=${() => (this.adding = false)}>${this.strings.cancel}</button>
      </div></form>`;
  }

  private input(field: Field, hint?: string) {
    return html`<div class="field"><label for=${field}>${this.strings.oidc.fields[field]}</label>
      <input id=${field} name=${field} autocomplete="off" spellcheck="false" aria-invalid=${Boolean(this.errors[field])}
        aria-describedby=${`${field}-note`}>${this.note(field, hint)}</div>`;
  }

  private textarea(field: Field, hint?: string) {
    return html`<div class="field"><label for=${field}>${this.strings.oidc.fields[field]}</label>
      <textarea id=${field} name=${field} spellcheck="false" aria-invalid=${Boolean(this.errors[field])}
        aria-describedby=${`${field}-note`}></textarea>${this.note(field, hint)}</div>`;
  }

  private select(field: Field, choices: Record<string, string>) {
    return html`<div class="field"><label for=${field}>${this.strings.oidc.fields[field]}</label>
      <select id=${field} name=${field} aria-describedby=${`${field}-note`}>${Object.entries(choices).map(
        ([value, label]) => html`<option value=${value}>${label}</option>`,
      )}</select>${this.note(field)}</div>`;
  }

  private note(field: Field, hint?: string) {
    const error = this.errors[field];
    if (error) return html`<div class="error" id=${`${field}-note`} role="alert">${error}</div>`;
    return hint ? html`<div class="hint" id=${`${field}-note`}>${hint}</div>` : nothing;
  }

  private submit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const text = (name: string) => {
      const value = form.get(name);
      return typeof value === 'string' ? value.trim() : '';
    };
    const clientId = text('clientId');
    const fields: OidcClientFields = {
      ...(clientId && {clientId}),
      name: text('name'),
      connection: text('connection'),
      redirectUris: readLines(form.get('redirectUris')),
      postLogoutRedirectUris: readLines(form.get('postLogoutRedirectUris')),
      tokenEndpointAuthMethod: form.get('tokenEndpointAuthMethod') as OidcClientFields['tokenEndpointAuthMethod'],
      allowedCorpIds: readLines(form.get('allowedCorpIds')),
      anyCorp: form.get('anyCorp') === 'on',
      idTokenSignedResponseAlg: form.get('idTokenSignedResponseAlg') as OidcClientFields['idTokenSignedResponseAlg'],
    };
    try {
      const created = await this.api.createOidcClient(fields);
      this.errors = {};
      this.adding = false;
      this.newSecret =
        created.clientSecret === null ? null : {clientId: created.clientId, secret: created.clientSecret};
      await this.load();
    } catch (error) {
      this.showError(error);
    }
  };

  private async rotate(clientId: string): Promise<void> {
    try {
      const rotated = await this.api.rotateOidcClientSecret(clientId);
      this.newSecret = {clientId, secret: rotated.clientSecret!};
    } catch (error) {
      this.showError(error);
    }
  }

  private async deleteClient(clientId: string): Promise<void> {
    try {
      await this.api.deleteOidcClient(clientId);
      this.confirming = null;
      if (this.newSecret?.clientId === clientId) this.newSecret = null;
      await this.load();
    } catch (error) {
      this.showError(error);
    }
  }

  private showError(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    const field = error instanceof AdminApiError ? error.field : undefined;
    this.errors = field && field in this.strings.oidc.fields ? {[field]: message} : {form: message};
  }
}
customElements.define('admin-oidc-clients', AdminOidcClientsPanel);
