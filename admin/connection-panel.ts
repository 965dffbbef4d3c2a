import {LitElement} from 'lit';
import type {AdminApi, Connection} from './admin-api.ts';
import {adminStyles} from './admin-styles.ts';
import type {AdminStrings} from './admin-strings.ts';

/** What the console hands every panel about one connection; a panel adds its own state to `properties`. */
export class ConnectionPanel extends LitElement {
  static override styles = adminStyles;
  static override properties = {api: {attribute: false}, connection: {attribute: false}, strings: {attribute: false}};

  /** The admin API. */
  api!: AdminApi;
  /** The connection the panel is about. */
  connection!: Connection;
  /** The console's strings in the current language. */
  strings!: AdminStrings;
}
