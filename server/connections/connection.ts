/** How a connection treats a WeCom user it has not seen before. */
export type LoginMode = 'login-and-register' | 'login-only';

/** The `usertype` sent to 3rd_qrConnect: `member` scans with WeCom, `admin` with WeChat. */
export type QrUserType = 'member' | 'admin';

/** A connection as every API, page and log may show it: it has no secret. */
export interface Connection {
  identifier: string;
  displayName: string;
  corpId: string;
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

/** A connection with its ProviderSecret, for the code exchange only. */
export interface ConnectionWithSecret extends Connection {
  /** Secret: never return, render or log. */
  providerSecret: string;
}

/** The fields an admin sets when creating a connection; allowedCorpIds defaults to any enterprise. */
export type ConnectionInput = Omit<ConnectionWithSecret, 'createdAt' | 'updatedAt' | 'allowedCorpIds'> & {allowedCorpIds?: string[]};

/** The fields an admin may change; the identifier is immutable. */
export type ConnectionPatch = Partial<Omit<ConnectionInput, 'identifier'>>;
