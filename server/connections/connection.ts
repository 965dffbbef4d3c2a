import type {LoginFlow} from '../login/flows/protocol-catalogue.ts';

/** How a connection treats a WeCom user it has not seen before. */
export type LoginMode = 'login-and-register' | 'login-only';

/** The `usertype` sent to 3rd_qrConnect: `member` scans with WeCom, `admin` with WeChat. */
export type QrUserType = 'member' | 'admin';

/**
 * Which WeCom login a connection's QR codes use: `legacy`, the provider QR login (3rd_qrConnect,
 * CorpID + ProviderSecret, get_login_info), or `service-app`, WeCom's new login (wwlogin with
 * login_type=ServiceApp, the 登录授权 SuiteID, its suite_ticket pushes and getuserinfo3rd). The
 * list lives in the protocol catalogue.
 */
export type {LoginFlow};

/** The write-only fields of a connection: sealed at rest, never returned, rendered or logged. */
export type SecretField =
  | 'providerSecret'
  | 'suiteSecret'
  | 'callbackToken'
  | 'encodingAesKey'
  | 'appSuiteSecret'
  | 'appCallbackToken'
  | 'appEncodingAesKey';

/** Every secret field, in the order the console and the CLI show them. */
export const SECRET_FIELDS: readonly SecretField[] = [
  'providerSecret',
  'suiteSecret',
  'callbackToken',
  'encodingAesKey',
  'appSuiteSecret',
  'appCallbackToken',
  'appEncodingAesKey',
];

/** A connection as every API, page and log may show it: it has no secret. */
export interface Connection {
  identifier: string;
  displayName: string;
  /** The provider's CorpID (服务商 CorpID), in both flows. */
  corpId: string;
  flow: LoginFlow;
  /** The 登录授权 SuiteID (service-app); null for legacy connections. */
  suiteId: string | null;
  /**
   * The SuiteID of the provider's app suite (第三方应用 → 网页应用), for logins inside the WeCom
   * client (workbench, chat links) with no QR code; null when the connection has none.
   */
  appSuiteId: string | null;
  /** Which secrets are stored (their values are never shown). */
  secretsSet: SecretField[];
  /** Deprecated console field kept for parity; '' or '#' means unused. */
  callbackUrl: string;
  loginMode: LoginMode;
  usertype: QrUserType;
  /** Exact origins of the host sites that may start a login and receive its result. */
  allowedOrigins: string[];
  /** Host page the admin-console / workbench launch lands on; null when launch is not set up. */
  launchUrl: string | null;
  /**
   * CorpIDs of the enterprises whose users may log in; empty admits any. A provider's QR login
   * admits members of every enterprise that installed its app, so a site for some customers lists them.
   */
  allowedCorpIds: string[];
  createdAt: number;
  updatedAt: number;
}

/** A connection's secrets; null where unset. Secret: never return, render or log. */
export type ConnectionSecrets = Record<SecretField, string | null>;

/** A connection with its secrets, for the WeCom calls only. */
export interface ConnectionWithSecret extends Connection, ConnectionSecrets {}

/**
 * The fields an admin sets when creating a connection. flow defaults to legacy, allowedCorpIds to
 * any enterprise; a legacy connection has a providerSecret, a service-app one a suiteId, suiteSecret,
 * callbackToken and encodingAesKey (and a providerSecret only for the admin-console launch's role).
 * Either may add an app suite (appSuiteId and its three secrets) for logins inside the WeCom client.
 */
export type ConnectionInput = Omit<
  Connection,
  'createdAt' | 'updatedAt' | 'allowedCorpIds' | 'flow' | 'suiteId' | 'appSuiteId' | 'secretsSet'
> & {
  flow?: LoginFlow;
  suiteId?: string | null;
  appSuiteId?: string | null;
  allowedCorpIds?: string[];
} & Partial<Record<SecretField, string>>;

/** The fields an admin may change; the identifier is immutable. */
export type ConnectionPatch = Partial<Omit<ConnectionInput, 'identifier'>>;
