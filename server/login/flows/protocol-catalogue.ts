/**
 * Every WeCom login protocol, described as data: what a connection must hold for it and whether
 * WeCom pushes to it. Validation, the stores, the CLI and the console derive their lists from here,
 * so a protocol is added by describing it here and registering its implementation in
 * login-protocols.ts. Pure data: the admin console's bundle imports it too.
 */

/** A connection field a protocol needs: an id shown in the console or a write-only secret. */
export type ProtocolField =
  | 'providerSecret'
  | 'suiteId'
  | 'suiteSecret'
  | 'callbackToken'
  | 'encodingAesKey'
  | 'appSuiteId'
  | 'appSuiteSecret'
  | 'appCallbackToken'
  | 'appEncodingAesKey';

/** What one protocol is. */
export interface ProtocolDescription {
  /**
   * `qr`: a connection's `flow`, which its QR logins (and admin-console launches) use. `in-client`:
   * chosen per login when the browser is WeCom's own webview, on a connection that is set up for it.
   */
  kind: 'qr' | 'in-client';
  /** The fields a connection must have set to use it (beside the provider CorpID). */
  requires: readonly ProtocolField[];
  /** Where and how WeCom pushes this protocol's suite_tickets and events; null when it pushes nothing. */
  callback: SuiteCallback | null;
}

/** A suite's callback URL (/connections/:id/<path>) and the connection fields it is read with. */
export interface SuiteCallback {
  path: string;
  /** The field holding the SuiteID whose suite_tickets arrive here. */
  suiteId: 'suiteId' | 'appSuiteId';
  /** The fields holding the callback's Token and EncodingAESKey. */
  token: 'callbackToken' | 'appCallbackToken';
  aesKey: 'encodingAesKey' | 'appEncodingAesKey';
  /**
   * An app suite's URL is its 指令回调 and 数据回调 at once: it also takes install events
   * (create_auth, cancel_auth …) and enterprises' data callbacks, encrypted for their CorpIDs.
   */
  appEvents: boolean;
}

/** The protocols, by the name a transaction records (and, for `qr` ones, a connection's `flow`). */
export const PROTOCOLS = {
  // 3rd_qrConnect with the provider CorpID, exchanged with get_provider_token + get_login_info.
  legacy: {kind: 'qr', requires: ['providerSecret'], callback: null},
  // wwlogin with login_type=ServiceApp and the 登录授权 SuiteID, exchanged with get_suite_token + getuserinfo3rd.
  'service-app': {
    kind: 'qr',
    requires: ['suiteId', 'suiteSecret', 'callbackToken', 'encodingAesKey'],
    callback: {
      path: 'wecom-callback',
      suiteId: 'suiteId',
      token: 'callbackToken',
      aesKey: 'encodingAesKey',
      appEvents: false,
    },
  },
  // Inside the WeCom client: oauth2/authorize with the app suite's SuiteID, exchanged with its token + getuserinfo3rd.
  'wecom-client': {
    kind: 'in-client',
    requires: ['appSuiteId', 'appSuiteSecret', 'appCallbackToken', 'appEncodingAesKey'],
    callback: {
      path: 'app-callback',
      suiteId: 'appSuiteId',
      token: 'appCallbackToken',
      aesKey: 'appEncodingAesKey',
      appEvents: true,
    },
  },
} as const satisfies Record<string, ProtocolDescription>;

/** A protocol's name. */
export type ProtocolName = keyof typeof PROTOCOLS;

/** The protocols a connection's `flow` may name: the QR ones. */
export type LoginFlow = {
  [Name in ProtocolName]: (typeof PROTOCOLS)[Name]['kind'] extends 'qr' ? Name : never;
}[ProtocolName];

/** Every protocol name, in catalogue order. */
export const PROTOCOL_NAMES = Object.keys(PROTOCOLS) as ProtocolName[];

/** The flows a connection may have, in catalogue order (the first is the default). */
export const LOGIN_FLOWS = PROTOCOL_NAMES.filter((name) => PROTOCOLS[name].kind === 'qr') as LoginFlow[];

/** The in-client protocol: what a login inside WeCom's webview uses. */
export const IN_CLIENT_PROTOCOL = PROTOCOL_NAMES.find((name) => PROTOCOLS[name].kind === 'in-client')!;

/** True when `value` names a protocol (a stored transaction's, say). */
export function isProtocolName(value: unknown): value is ProtocolName {
  return typeof value === 'string' && Object.hasOwn(PROTOCOLS, value);
}

/** True when `value` names a flow. */
export function isLoginFlow(value: unknown): value is LoginFlow {
  return isProtocolName(value) && PROTOCOLS[value].kind === 'qr';
}

/**
 * The browser is WeCom's own webview (desktop or phone): `wxwork/<version>` in its User-Agent, the
 * test WeCom's JS-SDK uses. `MicroMessenger` alone is personal WeChat, which is not WeCom.
 */
export const WECOM_CLIENT_USER_AGENT = /wxwork\/[\d.]+/i;
