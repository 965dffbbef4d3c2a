import type {CredentialCheck} from '../../connections/check-credentials.ts';
import type {Connection, ConnectionWithSecret} from '../../connections/connection.ts';
import type {WecomIdentity} from '../../db/user-store.ts';
import type {ProtocolName, PROTOCOLS} from './protocol-catalogue.ts';

/**
 * One WeCom login protocol, behind one interface: the routes dispatch on the protocol a login
 * recorded (or a connection's `flow`) and never branch on it themselves.
 */
export interface LoginProtocol {
  /**
   * WeCom's page for a login with `state`, coming back to `redirectUri` (embedded: inside the login server's iframe).
   */
  loginPageUrl(connection: Connection, state: string, redirectUri: string, embedded: boolean): string;
  /** The code WeCom came back to the callback with; throws an AppError when it came back wrong or without one. */
  readCallbackCode(query: (name: string) => string | undefined, connection: Connection): string;
  /** The identity behind a login's code. */
  exchange(connection: ConnectionWithSecret, code: string): Promise<WecomIdentity>;
  /** Tries the stored credentials against WeCom and explains the outcome (the admin check). */
  checkCredentials(connection: ConnectionWithSecret): Promise<CredentialCheck>;
}

/** A QR flow's protocol: it also reads the admin-console launch, which comes to the connection's flow. */
export interface QrLoginProtocol extends LoginProtocol {
  /** The identity behind an admin-console launch's auth_code. */
  exchangeLaunch(connection: ConnectionWithSecret, authCode: string): Promise<WecomIdentity>;
}

/** The implementation of each protocol of the catalogue: QR flows' with the launch. */
export type LoginProtocols = {
  [Name in ProtocolName]: (typeof PROTOCOLS)[Name]['kind'] extends 'qr' ? QrLoginProtocol : LoginProtocol;
};
