import {CONTROL_CHARACTERS} from '../control-characters.ts';
import {isLoopbackUrl} from '../network.ts';
import type {ErrorKeyWithCode} from '../error-catalogue.ts';
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

/** The plain string fields: each one's test and the error of a value that fails it. */
const STRING_FIELDS: ReadonlyArray<
  ['corpId' | ProtocolField, (value: string) => boolean, ErrorKeyWithCode<'invalid_request'>]
> = [
  ['corpId', (value) => CORP_ID.test(value), 'corp_id_invalid'],
  ['providerSecret', (value) => isWecomValue(value), 'provider_secret_invalid'],
  // It looks like a CorpID (ww + 16 hex), which is exactly why it is so often confused with one.
  ['suiteId', (value) => CORP_ID.test(value), 'suite_id_invalid'],
  ['suiteSecret', (value) => isWecomValue(value), 'suite_secret_invalid'],
  ['callbackToken', (value) => CALLBACK_TOKEN.test(value), 'callback_token_invalid'],
  ['encodingAesKey', (value) => decodeEncodingAesKey(value) !== null, 'encoding_aes_key_invalid'],
  ['appSuiteId', (value) => CORP_ID.test(value), 'app_suite_id_invalid'],
  ['appSuiteSecret', (value) => isWecomValue(value), 'app_suite_secret_invalid'],
  ['appCallbackToken', (value) => CALLBACK_TOKEN.test(value), 'app_callback_token_invalid'],
  ['appEncodingAesKey', (value) => decodeEncodingAesKey(value) !== null, 'app_encoding_aes_key_invalid'],
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
    throw new InvalidRequest('identifier_invalid', 'identifier');
  }
  for (const field of ['displayName', 'corpId']) {
    if (input[field] === undefined) throw new InvalidRequest('field_required', field, {field});
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
    throw new InvalidRequest('identifier_fixed', 'identifier');
  }
  if (input.displayName !== undefined) patch.displayName = readDisplayName(input.displayName);
  for (const [field, valid, error] of STRING_FIELDS) {
    const value = input[field];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !valid(value)) throw new InvalidRequest(error, field);
    patch[field] = value;
  }
  if (input.flow !== undefined) {
    if (!isLoginFlow(input.flow))
      throw new InvalidRequest('flow_invalid', 'flow', {flows: LOGIN_FLOWS.map((flow) => `"${flow}"`).join(' or ')});
    patch.flow = input.flow;
  }
  if (input.callbackUrl !== undefined) patch.callbackUrl = readCallbackUrl(input.callbackUrl);
  if (input.loginMode !== undefined) {
    if (input.loginMode !== 'login-and-register' && input.loginMode !== 'login-only')
      throw new InvalidRequest('login_mode_invalid', 'loginMode');
    patch.loginMode = input.loginMode;
  }
  if (input.usertype !== undefined) {
    if (input.usertype !== 'member' && input.usertype !== 'admin')
      throw new InvalidRequest('usertype_invalid', 'usertype');
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
    throw new InvalidRequest('field_required_by_flow', missing, {field: missing, flow: connection.flow});
  // The app suite is optional on either flow, but all of it or none: half of one fails only when a
  // member opens the app inside WeCom, far from the admin who saved it.
  const appSuite = PROTOCOLS[IN_CLIENT_PROTOCOL].requires;
  const appMissing = appSuite.find((field) => !hasField(connection, field));
  if (appMissing !== undefined && appSuite.some((field) => hasField(connection, field))) {
    throw new InvalidRequest('app_suite_incomplete', appMissing, {field: appMissing, fields: appSuite.join(', ')});
  }
  // The launch admits WeCom admins only, and on this flow only get_login_info (with the
  // ProviderSecret) tells an admin from a member: without it a replanted QR code would log anyone in.
  if (connection.flow === 'service-app' && launchUrl !== null && !connection.secretsSet.includes('providerSecret')) {
    throw new InvalidRequest('launch_needs_provider_secret', 'providerSecret');
  }
  if (launchUrl !== null && !allowedOrigins.includes(new URL(launchUrl).origin)) {
    throw new InvalidRequest('launch_url_off_origins', 'launchUrl');
  }
  if (!policy.httpsOnly) return;
  const plainOrigin = allowedOrigins.find((origin) => origin.startsWith('http:') && !isLoopbackUrl(origin));
  if (plainOrigin !== undefined) throw new InvalidRequest('origin_plain_http', 'allowedOrigins', {origin: plainOrigin});
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
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidRequest('body_not_object');
  // Unknown keys (including "__proto__" or "constructor" from JSON) are refused, never merged.
  const unknown = Object.keys(body).find((key) => !FIELDS.includes(key));
  if (unknown !== undefined) {
    const field = unknown.slice(0, 40);
    throw new InvalidRequest('field_unknown', field, {field});
  }
  return body as Record<string, unknown>;
}

function readDisplayName(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 64 || CONTROL_CHARACTERS.test(value)) {
    throw new InvalidRequest('display_name_invalid', 'displayName');
  }
  return value.trim();
}

function readCallbackUrl(value: unknown): string {
  if (value === '' || value === '#') return value;
  if (typeof value === 'string' && value.length <= 2048 && isHttpUrl(value)) return value;
  throw new InvalidRequest('callback_url_invalid', 'callbackUrl');
}

function readOrigins(value: unknown): string[] {
  if (!Array.isArray(value) || value.length > 50) throw new InvalidRequest('origins_invalid', 'allowedOrigins');
  const origins = value.map((item) => {
    const origin = parseExactOrigin(item);
    if (origin === null)
      throw new InvalidRequest('origin_not_exact', 'allowedOrigins', {value: String(item).slice(0, 80)});
    return origin;
  });
  return [...new Set(origins)];
}

/** A list of CorpIDs (at most 500, each like ww…), without repeats; throws InvalidRequest naming allowedCorpIds. */
export function readCorpIds(value: unknown): string[] {
  if (!Array.isArray(value) || value.length > 500) throw new InvalidRequest('corp_ids_invalid', 'allowedCorpIds');
  for (const item of value) {
    if (typeof item !== 'string' || !CORP_ID.test(item))
      throw new InvalidRequest('corp_id_not_valid', 'allowedCorpIds', {value: String(item).slice(0, 80)});
  }
  return [...new Set(value as string[])];
}

function readLaunchUrl(value: unknown): string | null {
  if (value === null || value === '') return null;
  if (typeof value === 'string' && value.length <= 2048 && isHttpUrl(value) && !value.includes('#')) return value;
  throw new InvalidRequest('launch_url_invalid', 'launchUrl');
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}
