import type {CredentialCheck} from '../../connections/check-credentials.ts';
import type {Connection, ConnectionWithSecret, LoginFlow} from '../../connections/connection.ts';
import type {WecomIdentity} from '../../db/user-store.ts';

/**
 * One WeCom login protocol, behind one interface: the routes dispatch on the connection's `flow`
 * and never branch on it themselves.
 */
export interface LoginProtocol {
  /** WeCom's login page for a login with `state`, coming back to `redirectUri` (embedded: inside the login server's iframe). */
  loginPageUrl(connection: Connection, state: string, redirectUri: string, embedded: boolean): string;
  /** The code WeCom came back to the callback with; throws an AppError when it came back wrong or without one. */
  readCallbackCode(query: (name: string) => string | undefined, connection: Connection): string;
  /** The identity behind a QR-login code. */
  exchange(connection: ConnectionWithSecret, code: string): Promise<WecomIdentity>;
  /** The identity behind an admin-console launch's auth_code. */
  exchangeLaunch(connection: ConnectionWithSecret, authCode: string): Promise<WecomIdentity>;
  /** Tries the stored credentials against WeCom and explains the outcome (the admin check). */
  checkCredentials(connection: ConnectionWithSecret): Promise<CredentialCheck>;
}

/** The protocol of each flow. */
export type LoginProtocols = Record<LoginFlow, LoginProtocol>;
