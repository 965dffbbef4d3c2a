import {LitElement, html, nothing} from 'lit';
import {
  AdminApiError,
  type AdminApi,
  type Connection,
  type ConnectionInput,
  type ConnectionPatch,
  type LoginFlow,
} from './admin-api.ts';
import {SECRET_FIELDS} from '../server/connections/connection.ts';
import {adminStyles} from './admin-styles.ts';
import type {AdminStrings} from './admin-strings.ts';

type Field = keyof AdminStrings['fields'];

/** The non-empty lines of a textarea. */
function readLines(value: string): string[] {
  return value
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/** The identifier rule of the API, checked as the admin types so the error shows before a round trip. */
const IDENTIFIER = /^[a-z0-9-]{1,31}$/;

/**
 * Creates a connection (`connection` null) or edits one. Every field of the design; the API's
 * validation is the authority, and its `field` puts the message next to the input at fault. The
 * ProviderSecret is write-only: the field starts empty and is sent only when the admin types one.
 *
 * @fires saved - The API stored the connection; `detail` is the Connection.
 * @fires cancel - The admin abandoned the form.
 */
export class AdminConnectionForm extends LitElement {
  static override styles = adminStyles;
  static override properties = {
    api: {attribute: false},
    connection: {attribute: false},
    strings: {attribute: false},
    errors: {state: true},
    busy: {state: true},
    savedNote: {state: true},
    flow: {state: true},
  };

  /** The admin API. */
  api!: AdminApi;
  /** The connection being edited, or null to create one. */
  connection: Connection | null = null;
  /** The console's strings in the current language. */
  strings!: AdminStrings;
  private errors: Partial<Record<Field | 'form', string>> = {};
  private busy = false;
  private savedNote = false;
  /** The flow chosen in the form; the connection's until the admin picks another. */
  private flow: LoginFlow | null = null;

  protected override firstUpdated(): void {
    // A new form takes the focus, so keyboard users land in it rather than behind it.
    if (!this.connection) this.renderRoot.querySelector<HTMLInputElement>('#identifier')?.focus();
  }

  protected override render() {
    const s = this.strings;
    const c = this.connection;
    const editing = c !== null;
    const flow = this.flow ?? c?.flow ?? 'legacy';
    const serviceApp = flow === 'service-app';
    const secretHint = (field: 'suiteSecret' | 'providerSecret' | 'appSuiteSecret', fresh: string) =>
      c?.secretsSet.includes(field)
        ? s.hints.providerSecretUnchanged.replace('ProviderSecret', s.fields[field])
        : fresh;
    const secret = (field: 'suiteSecret' | 'providerSecret' | 'appSuiteSecret', fresh: string) =>
      this.text(field, '', secretHint(field, fresh), {
        type: 'password',
        placeholder: c?.secretsSet.includes(field) ? s.unchanged : '',
      });
    const pair = (
      token: 'callbackToken' | 'appCallbackToken',
      key: 'encodingAesKey' | 'appEncodingAesKey',
      hint: string,
    ) => html`
      ${this.text(token, '', hint, {placeholder: c?.secretsSet.includes(token) ? s.unchanged : ''})}
      ${this.text(key, '', undefined, {placeholder: c?.secretsSet.includes(key) ? s.unchanged : ''})}
      <div class="row"><button type="button" class="secondary"
        id=${token === 'callbackToken' ? 'generate' : 'generate-app'}
          @click=${() => this.generateCallbackSecrets(token, key)}>${s.generate}</button></div>`;
    return html`<form novalidate @submit=${this.submit} @input=${() => (this.savedNote = false)}>
      ${this.errors.form ? html`<div class="banner bad" role="alert">${this.errors.form}</div>` : nothing}
      ${this.text('identifier', c?.identifier ?? '', editing ? s.hints.identifierFixed : s.hints.identifier, {
        readonly: editing,
        onInput: this.checkIdentifier,
      })}
      ${this.text('displayName', c?.displayName ?? '')}
      ${this.select(
        'flow',
        flow,
        s.flows,
        s.hints.flow,
        (event) => (this.flow = (event.target as HTMLSelectElement).value as LoginFlow),
      )}
      ${this.text('corpId', c?.corpId ?? '')}
      ${
        serviceApp
          ? html`
        ${this.text('suiteId', c?.suiteId ?? '', s.hints.suiteId)}
        ${secret('suiteSecret', s.hints.suiteSecret)}
        ${pair('callbackToken', 'encodingAesKey', s.hints.callbackSecrets)}
        ${secret('providerSecret', s.hints.providerSecretOptional)}`
          : secret('providerSecret', s.hints.providerSecret)
      }
      <fieldset id="in-wecom"><legend>${s.inWecom}</legend>
        ${this.text('appSuiteId', c?.appSuiteId ?? '', s.hints.appSuite)}
        ${secret('appSuiteSecret', s.hints.appSuiteSecret)}
        ${pair('appCallbackToken', 'appEncodingAesKey', s.hints.appCallbackSecrets)}
      </fieldset>
      ${this.text('callbackUrl', c?.callbackUrl ?? '', s.hints.callbackUrl)}
      ${this.select('loginMode', c?.loginMode ?? 'login-and-register', s.loginModes)}
      ${serviceApp ? nothing : this.select('usertype', c?.usertype ?? 'member', s.usertypes, s.hints.usertype)}
      ${this.lines('allowedOrigins', c?.allowedOrigins ?? [], s.hints.allowedOrigins)}
      ${this.text('launchUrl', c?.launchUrl ?? '', s.hints.launchUrl)}
      ${this.lines('allowedCorpIds', c?.allowedCorpIds ?? [], s.hints.allowedCorpIds)}
      <div class="row">
        <button type="submit" ?disabled=${this.busy}>${editing ? s.save : s.create}</button>
        ${
          editing
            ? nothing
            : html`<button type="button" class="secondary"
          @click=${() => this.dispatchEvent(new Event('cancel'))}>${s.cancel}</button>`
        }
        ${this.savedNote ? html`<span role="status" class="muted">${s.saved}</span>` : nothing}
      </div>
    </form>`;
  }

  private text(
    field: Field,
    value: string,
    hint?: string,
    options: {type?: string; readonly?: boolean; placeholder?: string; onInput?: (event: Event) => void} = {},
  ) {
    return html`<div class="field">
      <label for=${field}>${this.strings.fields[field]}</label>
      <input id=${field} name=${field} type=${options.type ?? 'text'} .value=${value} ?readonly=${options.readonly}
        placeholder=${options.placeholder ?? ''}
        autocomplete=${options.type === 'password' ? 'new-password' : 'off'} spellcheck="false"
        aria-invalid=${Boolean(this.errors[field])}
          aria-describedby=${`${field}-note`} @input=${options.onInput ?? nothing}>
      ${this.note(field, hint)}
    </div>`;
  }

  private select(
    field: Field,
    value: string,
    choices: Record<string, string>,
    hint?: string,
    onChange?: (event: Event) => void,
  ) {
    return html`<div class="field">
      <label for=${field}>${this.strings.fields[field]}</label>
      <select id=${field} name=${field} aria-describedby=${`${field}-note`} @change=${onChange ?? nothing}>
        ${Object.entries(choices).map(
          ([key, label]) => html`<option value=${key}
          ?selected=${key === value}>${label}</option>`,
        )}
      </select>
      ${this.note(field, hint)}
    </div>`;
  }

  /** The error for `field` when there is one (announced), else its hint. */
  /** A list field, one value per line. */
  private lines(field: Field, values: string[], hint: string) {
    return html`<div class="field">
      <label for=${field}>${this.strings.fields[field]}</label>
      <textarea id=${field} name=${field} aria-invalid=${Boolean(this.errors[field])} aria-describedby="${field}-note"
        .value=${values.join('\n')}></textarea>
      ${this.note(field, hint)}
    </div>`;
  }

  private note(field: Field, hint?: string) {
    const error = this.errors[field];
    if (error) return html`<div class="error" id=${`${field}-note`} role="alert">${error}</div>`;
    return hint ? html`<div class="hint" id=${`${field}-note`}>${hint}</div>` : nothing;
  }

  /**
   * New random Token (32) and EncodingAESKey (43) in WeCom's own form, letters and digits, from the
   * browser's CSPRNG: shown in the form so the admin can copy them to WeCom's page (登录授权, or the
   * app's callbacks) before saving.
   */
  private generateCallbackSecrets(
    token: 'callbackToken' | 'appCallbackToken',
    key: 'encodingAesKey' | 'appEncodingAesKey',
  ): void {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    // 62 × 4 = 248 < 256: bytes of 248 and above are dropped, so every character is equally likely.
    const random = (length: number) => {
      let out = '';
      while (out.length < length)
        for (const byte of crypto.getRandomValues(new Uint8Array(64)))
          if (byte < 248 && out.length < length) out += alphabet[byte % 62];
      return out;
    };
    this.renderRoot.querySelector<HTMLInputElement>(`#${token}`)!.value = random(32);
    this.renderRoot.querySelector<HTMLInputElement>(`#${key}`)!.value = random(43);
  }

  private checkIdentifier = (event: Event): void => {
    const value = (event.target as HTMLInputElement).value;
    this.errors = {
      ...this.errors,
      identifier: value === '' || IDENTIFIER.test(value) ? undefined : this.strings.identifierRule,
    };
  };

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    // Kept now: once dispatch ends, a shadow-tree event's target is cleared.
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    // Every field of this form is text: FormData gives strings for them.
    const read = (field: Field) => ((data.get(field) as string | null) ?? '').trim();
    const flow = read('flow') as LoginFlow;
    const body = {
      displayName: read('displayName'),
      flow,
      corpId: read('corpId'),
      callbackUrl: read('callbackUrl'),
      loginMode: read('loginMode'),
      ...(flow === 'legacy' && {usertype: read('usertype')}),
      ...(flow === 'service-app' && {suiteId: read('suiteId')}),
      // The app suite is optional: sent once one is typed (or kept), so an empty section changes nothing.
      ...(read('appSuiteId') && {appSuiteId: read('appSuiteId')}),
      allowedOrigins: readLines(read('allowedOrigins')),
      launchUrl: read('launchUrl') || null,
      allowedCorpIds: readLines(read('allowedCorpIds')),
      // Write-only: sent only when typed, so saving other fields never touches the stored secrets.
      ...Object.fromEntries(SECRET_FIELDS.filter((field) => read(field)).map((field) => [field, read(field)])),
    };
    if (!this.connection && !IDENTIFIER.test(read('identifier'))) {
      this.errors = {identifier: this.strings.identifierRule};
      return;
    }
    this.busy = true;
    try {
      const saved = this.connection
        ? await this.api.updateConnection(this.connection.identifier, body as ConnectionPatch)
        : await this.api.createConnection({...body, identifier: read('identifier')} as ConnectionInput);
      this.errors = {};
      this.savedNote = true;
      for (const input of form.querySelectorAll<HTMLInputElement>(SECRET_FIELDS.map((field) => `#${field}`).join(', ')))
        input.value = '';
      this.dispatchEvent(new CustomEvent('saved', {detail: saved}));
    } catch (error) {
      const known = error instanceof AdminApiError;
      const field = known && error.field && error.field in this.strings.fields ? (error.field as Field) : 'form';
      this.errors = {[field]: known ? error.message : String(error)};
    } finally {
      this.busy = false;
    }
  }
}
customElements.define('admin-connection-form', AdminConnectionForm);
