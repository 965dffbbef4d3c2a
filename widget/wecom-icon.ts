import {html} from 'lit';

/**
 * A WeCom-style mark (two speech bubbles) in `currentColor`, so it follows the button's text
 * colour in every theme. Decorative: the button's text names the action.
 */
export const wecomIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" fill="currentColor"><path d="M10 3a8 7 0 0 0-5.2 12.3L4 18.5l3.4-1.7A8 7 0 1 0 10 3Zm9.7 8.6a8.6 7.6 0 0 1-8.4 7.2 6 5.2 0 0 0 7 1.6l2.8 1.3-.6-2.5a5.2 4.6 0 0 0-.8-7.6Z"/></svg>`;
