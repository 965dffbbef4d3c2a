import {LitElement, html} from 'lit';
import {adminStyles} from './admin-styles.ts';

/** A small button that copies `value` to the clipboard and says so. */
export class AdminCopyButton extends LitElement {
  static override styles = adminStyles;
  static override properties = {value: {}, label: {}, doneLabel: {attribute: 'done-label'}, done: {state: true}};

  /** The text to copy. */
  value = '';
  /** The button's text. */
  label = 'Copy';
  /** The button's text once copied. */
  doneLabel = 'Copied';
  private done = false;

  protected override render() {
    return html`<button type="button" class="secondary"
      @click=${this.copy}>${this.done ? this.doneLabel : this.label}</button>`;
  }

  private async copy(): Promise<void> {
    await navigator.clipboard.writeText(this.value);
    this.done = true;
  }
}
customElements.define('admin-copy-button', AdminCopyButton);
