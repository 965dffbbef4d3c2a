import {CONTROL_CHARACTERS} from '../control-characters.ts';
import {isLoopbackUrl} from '../network.ts';
import {InvalidRequest} from '../errors.ts';
import {decodeEncodingAesKey} from '../wecom/message-crypto.ts';
import {isWecomValue} from '../wecom/wecom-value.ts';
import {
  IN_CLIENT_PROTOCOL,
  isLoginFlow,
  LOGIN_FLOWS,
  PROTOCOLS,
  type ProtocolField,
} from '../login/flows/protocol-catalogue.ts';
import {
  SECRET_FIELDS,
  type Connection,
  type ConnectionInput,
  type ConnectionPatch,
  type SecretField,
} from './connection.ts';

const IDENTIFIER = /^[a-z0-9-]{1,31}$/;
const CORP_ID = /^w[wx][A-Za-z0-9]{4,62}$/;
const CALLBACK_TOKEN = /^[A-Za-z0-9]{1,32}$/;
const FIELDS = [
  'identifier',
  'displayName',
  'corpId',
  'callbackUrl',
  'loginMode',
  'usertype',
  'allowedOrigins',
  'launchUrl',
  'allowedCorpIds',
  'flow',
  'suiteId',
  'appSuiteId',
  ...SECRET_FIELDS,
];

/** The plain string fields: each one's test and, for the error, the rule it breaks. */
const STRING_FIELDS: ReadonlyArray<['corpId' | ProtocolField, (value: string) => boolean, string]> = [
  ['corpId', (value) => CORP_ID.test(value), 'a WeCom CorpID such as "ww1234567890abcdef".'],
  [
    'providerSecret',
    (value) => isWecomValue(value),
    'the ProviderSecret from 通用开发参数 (printable characters, no spaces).',
  ],
  // It looks like a CorpID (ww + 16 hex), which is exactly why it is so often confused with one.
  ['suiteId', (value) => CORP_ID.test(value), 'the SuiteID of 应用管理 → 登录授权, such as "ww1234567890abcdef".'],
  [
    'suiteSecret',
    (value) => isWecomValue(value),
    'the Secret of 应用管理 → 登录授权 (printable characters, no spaces).',
  ],
  [
    'callbackToken',
    (value) => CALLBACK_TOKEN.test(value),
    '1 to 32 letters or digits (the Token of the 登录授权 callback).',
  ],
  [
    'encodingAesKey',
    (value) => decodeEncodingAesKey(value) !== null,
    'the 43-character EncodingAESKey of the 登录授权 callback (it decodes to 32 bytes).',
  ],
  [
    'appSuiteId',
    (value) => CORP_ID.test(value),
    'the SuiteID of the app suite (应用管理 → 网页应用 → 基本信息), such as "ww1234567890abcdef".',
  ],
  ['appSuiteSecret', (value) => isWecomValue(value), 'the Secret of the app suite (printable characters, no spaces).'],
  [
    'appCallbackToken',
    (value) => CALLBACK_TOKEN.test(value),
    "1 to 32 letters or digits (the Token of the app suite's callbacks).",
  ],
  [
    'appEncodingAesKey',
    (value) => decodeEncodingAesKey(value) !== null,
    "the 43-character EncodingAESKey of the app suite's callbacks (it decodes to 32 bytes).",
  ],
];

/** Rules that depend on where the server runs rather than on the request. */
export interface ConnectionPolicy {
  /** NODE_ENV=production: sites and launch URLs must be https (localhost aside). */
  httpsOnly: boolean;
}

/** Validates the body of a create request; throws InvalidRequest naming the first bad field. */
export function validateConnectionInput(body: unknown, policy: ConnectionPolicy): ConnectionInput {
  const input = readObject(body);
  const identifier = input.identifier;
  if (typeof identifier !== 'string' || !IDENTIFIER.test(identifier)) {
    throw new InvalidRequest('identifier must be 1 to 31 lowercase letters, digits or "-".', 'identifier');
  }
  for (const field of ['displayName', 'corpId']) {
    if (input[field] === undefined) throw new InvalidRequest(`${field} is required.`, field);
  }
  const patch = validateConnectionPatch(input, {allowIdentifier: true});
  const connection: ConnectionInput = {
    ...Object.fromEntries(
      SECRET_FIELDS.filter((field) => patch[field] !== undefined).map((field) => [field, patch[field]]),
    ),
    identifier,
    displayName: patch.displayName!,
    corpId: patch.corpId!,
    flow: patch.flow ?? LOGIN_FLOWS[0]!,
    suiteId: patch.suiteId ?? null,
    appSuiteId: patch.appSuiteId ?? null,
    callbackUrl: patch.callbackUrl ?? '',
    loginMode: patch.loginMode ?? 'login-and-register',
    usertype: patch.usertype ?? 'member',
    allowedOrigins: patch.allowedOrigins ?? [],
    launchUrl: patch.launchUrl ?? null,
    allowedCorpIds: patch.allowedCorpIds ?? [],
  };
  checkConnection(
    {
      ...connection,
      flow: connection.flow!,
      suiteId: connection.suiteId!,
      appSuiteId: connection.appSuiteId!,
      secretsSet: SECRET_FIELDS.filter((field) => connection[field] !== undefined),
    },
    policy,
  );
  return connection;
}

/**
 * Validates the body of an update request. The identifier may appear only unchanged (and only
 * when `allowIdentifier`); call checkConnection on the merged result.
 */
export function validateConnectionPatch(
  body: unknown,
  options: {allowIdentifier?: boolean; identifier?: string} = {},
): ConnectionPatch {
  const input = readObject(body);
  const patch: ConnectionPatch = {};
  if ('identifier' in input && !options.allowIdentifier && input.identifier !== options.identifier) {
    throw new InvalidRequest('identifier cannot be changed after creation.', 'identifier');
  }
  if (input.displayName !== undefined) patch.displayName = readDisplayName(input.displayName);
  for (const [field, valid, rule] of STRING_FIELDS) {
    const value = input[field];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !valid(value)) throw new InvalidRequest(`${field} must be ${rule}`, field);
    patch[field] = value;
  }
  if (input.flow !== undefined) {
    if (!isLoginFlow(input.flow))
      throw new InvalidRequest(`flow must be ${LOGIN_FLOWS.map((flow) => `"${flow}"`).join(' or ')}.`, 'flow');
    patch.flow = input.flow;
  }
  if (input.callbackUrl !== undefined) patch.callbackUrl = readCallbackUrl(input.callbackUrl);
  if (input.loginMode !== undefined) {
    if (input.loginMode !== 'login-and-register' && input.loginMode !== 'login-only')
      throw new InvalidRequest('loginMode must be "login-and-register" or "login-only".', 'loginMode');
    patch.loginMode = input.loginMode;
  }
  if (input.usertype !== undefined) {
    if (input.usertype !== 'member' && input.usertype !== 'admin')
      throw new InvalidRequest('usertype must be "member" or "admin".', 'usertype');
    patch.usertype = input.usertype;
  }
  if (input.allowedOrigins !== undefined) patch.allowedOrigins = readOrigins(input.allowedOrigins);
  if (input.launchUrl !== undefined) patch.launchUrl = readLaunchUrl(input.launchUrl);
  if (input.allowedCorpIds !== undefined) patch.allowedCorpIds = readCorpIds(input.allowedCorpIds);
  return patch;
}

/**
 * The rules across fields of a whole connection: the launch URL (when set) is on one of the allowed
 * origins, and under an https-only policy no origin (so no launch URL either) is plain http off this
 * machine, where a result or ticket would cross the network readable and changeable by anyone on the path.
 */
export function checkConnection(
  connection: Pick<Connection, 'allowedOrigins' | 'launchUrl' | 'flow' | 'suiteId' | 'appSuiteId' | 'secretsSet'>,
  policy: ConnectionPolicy,
): void {
  const {launchUrl, allowedOrigins} = connection;
  const missing = PROTOCOLS[connection.flow].requires.find((field) => !hasField(connection, field));
  if (missing !== undefined)
    throw new InvalidRequest(`${missing} is required for a ${connection.flow} connection.`, missing);
  // The app suite is optional on either flow, but all of it or none: half of one fails only when a
  // member opens the app inside WeCom, far from the admin who saved it.
  const appSuite = PROTOCOLS[IN_CLIENT_PROTOCOL].requires;
  const appMissing = appSuite.find((field) => !hasField(connection, field));
  if (appMissing !== undefined && appSuite.some((field) => hasField(connection, field))) {
    throw new InvalidRequest(
      `${appMissing} is required with the other app suite fields (${appSuite.join(', ')}).`,
      appMissing,
    );
  }
  // The launch admits WeCom admins only, and on this flow only get_login_info (with the
  // ProviderSecret) tells an admin from a member: without it a replanted QR code would log anyone in.
  if (connection.flow === 'service-app' && launchUrl !== null && !connection.secretsSet.includes('providerSecret')) {
    throw new InvalidRequest(
      'providerSecret is required for a service-app connection with a launchUrl: only get_login_info tells WeCom admins (who alone may launch) from members.',
      'providerSecret',
    );
  }
  if (launchUrl !== null && !allowedOrigins.includes(new URL(launchUrl).origin)) {
    throw new InvalidRequest('launchUrl must be on one of allowedOrigins.', 'launchUrl');
  }
  if (!policy.httpsOnly) return;
  const plainOrigin = allowedOrigins.find((origin) => origin.startsWith('http:') && !isLoopbackUrl(origin));
  if (plainOrigin !== undefined)
    throw new InvalidRequest(
      `"${plainOrigin}" is plain http: with NODE_ENV=production allowedOrigins must be https (localhost aside).`,
      'allowedOrigins',
    );
}

/** True when the connection has `field`: an id that is not null, or a secret that is stored. */
function hasField(
  connection: Pick<Connection, 'suiteId' | 'appSuiteId' | 'secretsSet'>,
  field: ProtocolField,
): boolean {
  if (field === 'suiteId' || field === 'appSuiteId') return connection[field] !== null;
  return connection.secretsSet.includes(field as SecretField);
}

/** Returns the origin if `value` is exactly an http(s) origin (scheme, host, optional port; nothing else). */
export function parseExactOrigin(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 300) return null;
  try {
    const url = new URL(value);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value) return value;
  } catch {
    // not a URL
  }
  return null;
}

function readObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new InvalidRequest('The body must be a JSON object.');
  // Unknown keys (including "__proto__" or "constructor" from JSON) are refused, never merged.
  const unknown = Object.keys(body).find((key) => !FIELDS.includes(key));
  if (unknown !== undefined) throw new InvalidRequest(`Unknown field "${unknown.slice(0, 40)}".`, unknown.slice(0, 40));
  return body as Record<string, unknown>;
}

function readDisplayName(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 64 || CONTROL_CHARACTERS.test(value)) {
    throw new InvalidRequest('displayName must be 1 to 64 characters with no control characters.', 'displayName');
  }
  return value.trim();
}

function readCallbackUrl(value: unknown): string {
  if (value === '' || value === '#') return value;
  if (typeof value === 'string' && value.length <= 2048 && isHttpUrl(value)) return value;
  throw new InvalidRequest('callbackUrl must be an http(s) URL, "#" or empty.', 'callbackUrl');
}

function readOrigins(value: unknown): string[] {
  if (!Array.isArray(value) || value.length > 50)
    throw new InvalidRequest('allowedOrigins must be a list of at most 50 origins.', 'allowedOrigins');
  const origins = value.map((item) => {
    const origin = parseExactOrigin(item);
    if (origin === null)
      throw new InvalidRequest(
        `"${String(item).slice(0, 80)}" is not an exact origin such as "https://shop.example" (no path, no trailing slash).`,
        'allowedOrigins',
      );
    return origin;
  });
  return [...new Set(origins)];
}

function readCorpIds(value: unknown): string[] {
  if (!Array.isArray(value) || value.length > 500)
    throw new InvalidRequest(
      'allowedCorpIds must be a list of at most 500 CorpIDs (empty admits every enterprise).',
      'allowedCorpIds',
    );
  for (const item of value) {
    if (typeof item !== 'string' || !CORP_ID.test(item))
      throw new InvalidRequest(
        `"${String(item).slice(0, 80)}" is not a CorpID such as "ww1234567890abcdef".`,
        'allowedCorpIds',
      );
  }
  return [...new Set(value as string[])];
}

function readLaunchUrl(value: unknown): string | null {
  if (value === null || value === '') return null;
  if (typeof value === 'string' && value.length <= 2048 && isHttpUrl(value) && !value.includes('#')) return value;
  throw new InvalidRequest('launchUrl must be an http(s) URL without a fragment.', 'launchUrl');
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}
