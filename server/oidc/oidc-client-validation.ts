import {CONTROL_CHARACTERS} from '../control-characters.ts';
import {readCorpIds} from '../connections/connection-validation.ts';
import type {OidcAuthMethod, OidcClient, OidcSigningAlg} from '../db/oidc-client-store.ts';
import {InvalidRequest} from '../errors.ts';
import {isLoopbackUrl} from '../network.ts';

/** The fields an admin sets on a client; the rest (id aside) have defaults. */
export type OidcClientFields = Pick<
  OidcClient,
  | 'name'
  | 'connection'
  | 'redirectUris'
  | 'postLogoutRedirectUris'
  | 'tokenEndpointAuthMethod'
  | 'allowedCorpIds'
  | 'anyCorp'
  | 'idTokenSignedResponseAlg'
>;

/** A new client's id as given (or null: generate one) and its fields. */
export interface OidcClientInput extends OidcClientFields {
  clientId: string | null;
}

/** Rules that depend on where the server runs. */
export interface OidcClientPolicy {
  /** NODE_ENV=production: redirect URIs must be https (else http on this machine is allowed too). */
  httpsOnly: boolean;
}

const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/;
const AUTH_METHODS: readonly OidcAuthMethod[] = ['client_secret_basic', 'client_secret_post', 'none'];
const SIGNING_ALGS: readonly OidcSigningAlg[] = ['RS256', 'ES256'];
const FIELDS = [
  'clientId',
  'name',
  'connection',
  'redirectUris',
  'postLogoutRedirectUris',
  'tokenEndpointAuthMethod',
  'allowedCorpIds',
  'anyCorp',
  'idTokenSignedResponseAlg',
];
/** The longest redirect URI kept, and the most of them: enough for any relying party's environments. */
const MAX_URI_LENGTH = 1024;
const MAX_URIS = 20;

/** Validates a create request's body; throws InvalidRequest naming the first bad field. */
export function validateOidcClientInput(body: unknown, policy: OidcClientPolicy): OidcClientInput {
  const input = readObject(body, true);
  for (const field of ['name', 'connection', 'redirectUris']) {
    if (input[field] === undefined) throw new InvalidRequest('field_required', field, {field});
  }
  const fields = readFields(input, policy);
  const clientId = input.clientId;
  if (clientId !== undefined && (typeof clientId !== 'string' || !CLIENT_ID.test(clientId)))
    throw new InvalidRequest('oidc_client_id_invalid', 'clientId');
  return {
    clientId: (clientId as string | undefined) ?? null,
    name: fields.name!,
    connection: fields.connection!,
    redirectUris: fields.redirectUris!,
    postLogoutRedirectUris: fields.postLogoutRedirectUris ?? [],
    tokenEndpointAuthMethod: fields.tokenEndpointAuthMethod ?? 'client_secret_basic',
    allowedCorpIds: fields.allowedCorpIds ?? [],
    anyCorp: fields.anyCorp ?? false,
    idTokenSignedResponseAlg: fields.idTokenSignedResponseAlg ?? 'RS256',
  };
}

/** Validates an update request's body: any of the fields, never the id. */
export function validateOidcClientPatch(body: unknown, policy: OidcClientPolicy): Partial<OidcClientFields> {
  return readFields(readObject(body, false), policy);
}

function readFields(input: Record<string, unknown>, policy: OidcClientPolicy): Partial<OidcClientFields> {
  const fields: Partial<OidcClientFields> = {};
  if (input.name !== undefined) fields.name = readName(input.name);
  if (input.connection !== undefined) {
    if (typeof input.connection !== 'string' || input.connection.length > 64)
      throw new InvalidRequest('oidc_connection_invalid', 'connection');
    fields.connection = input.connection;
  }
  if (input.redirectUris !== undefined)
    fields.redirectUris = readUris(input.redirectUris, 'redirectUris', policy, {required: true});
  if (input.postLogoutRedirectUris !== undefined)
    fields.postLogoutRedirectUris = readUris(input.postLogoutRedirectUris, 'postLogoutRedirectUris', policy, {
      required: false,
    });
  if (input.tokenEndpointAuthMethod !== undefined) {
    if (!AUTH_METHODS.includes(input.tokenEndpointAuthMethod as OidcAuthMethod))
      throw new InvalidRequest('oidc_auth_method_invalid', 'tokenEndpointAuthMethod');
    fields.tokenEndpointAuthMethod = input.tokenEndpointAuthMethod as OidcAuthMethod;
  }
  if (input.allowedCorpIds !== undefined) fields.allowedCorpIds = readCorpIds(input.allowedCorpIds);
  if (input.anyCorp !== undefined) {
    if (typeof input.anyCorp !== 'boolean') throw new InvalidRequest('oidc_any_corp_invalid', 'anyCorp');
    fields.anyCorp = input.anyCorp;
  }
  if (input.idTokenSignedResponseAlg !== undefined) {
    if (!SIGNING_ALGS.includes(input.idTokenSignedResponseAlg as OidcSigningAlg))
      throw new InvalidRequest('oidc_signing_alg_invalid', 'idTokenSignedResponseAlg');
    fields.idTokenSignedResponseAlg = input.idTokenSignedResponseAlg as OidcSigningAlg;
  }
  return fields;
}

function readObject(body: unknown, allowClientId: boolean): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidRequest('body_not_object');
  // Unknown keys (including "__proto__" or "constructor" from JSON) are refused, never merged.
  const unknown = Object.keys(body).find((key) => !FIELDS.includes(key) || (key === 'clientId' && !allowClientId));
  if (unknown !== undefined) {
    const field = unknown.slice(0, 40);
    throw new InvalidRequest(unknown === 'clientId' ? 'oidc_client_id_fixed' : 'field_unknown', field, {field});
  }
  return body as Record<string, unknown>;
}

function readName(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 64 || CONTROL_CHARACTERS.test(value))
    throw new InvalidRequest('oidc_client_name_invalid', 'name');
  return value.trim();
}

/**
 * A list of exact URIs a browser is sent to: absolute http(s), no fragment, no user info, no
 * control characters; https, or http on this machine outside production. Compared as
 * strings by the provider, so they are kept exactly as given.
 */
function readUris(
  value: unknown,
  field: 'redirectUris' | 'postLogoutRedirectUris',
  policy: OidcClientPolicy,
  {required}: {required: boolean},
): string[] {
  if (!Array.isArray(value) || value.length > MAX_URIS || (required && value.length === 0))
    throw new InvalidRequest('oidc_uris_invalid', field, {field, max: MAX_URIS});
  for (const item of value) {
    if (!isRedirectUri(item, policy))
      throw new InvalidRequest('oidc_uri_invalid', field, {value: String(item).slice(0, 80)});
  }
  return [...new Set(value as string[])];
}

function isRedirectUri(value: unknown, policy: OidcClientPolicy): boolean {
  if (typeof value !== 'string' || value.length > MAX_URI_LENGTH || CONTROL_CHARACTERS.test(value)) return false;
  if (value.includes('#')) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && !policy.httpsOnly && isLoopbackUrl(value);
}
