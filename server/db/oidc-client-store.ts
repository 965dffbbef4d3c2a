import {AppError} from '../errors.ts';

/** How a client authenticates at the token endpoint; `none` is a public client, which must use PKCE. */
export type OidcAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

/** The algorithms a client's ID tokens may be signed with: RS256 (every relying party's default) or ES256. */
export type OidcSigningAlg = 'RS256' | 'ES256';

/** A relying party of the OpenID provider at /oidc, as every API, page and log may show it: no secret. */
export interface OidcClient {
  clientId: string;
  /** The application's name, shown on the login page before the QR code. */
  name: string;
  /** The WeCom connection whose login this client's users go through. */
  connection: string;
  /** Where codes may be sent: exact URLs, compared as strings. */
  redirectUris: string[];
  /** Where RP-initiated logout may return to: exact URLs. */
  postLogoutRedirectUris: string[];
  tokenEndpointAuthMethod: OidcAuthMethod;
  /** CorpIDs of the enterprises whose members may log in to this client. */
  allowedCorpIds: string[];
  /** True admits every enterprise; false with no allowedCorpIds admits nobody. */
  anyCorp: boolean;
  idTokenSignedResponseAlg: OidcSigningAlg;
  /** Whether a secret is stored (never shown again after it is made). */
  secretSet: boolean;
  createdAt: number;
  updatedAt: number;
}

/** A client's secrets, for the token endpoint only. Secret: never return, render or log. */
export interface OidcClientSecrets {
  secret: string | null;
  /** The secret before the last rotation, accepted until previousSecretExpiresAt. */
  previousSecret: string | null;
  previousSecretExpiresAt: number | null;
}

/** The clients of the OpenID provider, shared by every process; secrets sealed at rest. */
export interface OidcClientStore {
  /** Stores a new client with its secret (null for a public one); throws `oidc_client_exists` if the id is taken. */
  create(client: OidcClient, secret: string | null): Promise<void>;
  /** The client, or null. */
  get(clientId: string): Promise<OidcClient | null>;
  /** The client with its secrets, or null. */
  getWithSecrets(clientId: string): Promise<(OidcClient & OidcClientSecrets) | null>;
  /** Every client, by id. */
  list(): Promise<OidcClient[]>;
  /** Replaces the client's fields (not its secrets); false when there is no such client. */
  update(client: OidcClient): Promise<boolean>;
  /**
   * Makes `secret` the client's secret; the one it replaces stays valid until `previousValidUntil`.
   * False when there is no such client.
   */
  rotateSecret(clientId: string, secret: string, previousValidUntil: number, time: number): Promise<boolean>;
  /** Removes the client; false when there was none. */
  remove(clientId: string): Promise<boolean>;
}

/** An `oidc_clients` row, the same in every database (any_corp is 0/1 in SQLite, a boolean in PostgreSQL). */
export interface OidcClientRow {
  client_id: string;
  name: string;
  connection_identifier: string;
  redirect_uris: string;
  post_logout_redirect_uris: string;
  token_endpoint_auth_method: OidcAuthMethod;
  allowed_corp_ids: string;
  any_corp: number | boolean;
  id_token_signed_response_alg: OidcSigningAlg;
  secret_sealed: string | null;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: number | string | null;
  created_at: number | string;
  updated_at: number | string;
}

/** The columns a client's fields fill, in the order oidcClientValues gives them. */
export const OIDC_CLIENT_FIELD_COLUMNS = [
  'name',
  'connection_identifier',
  'redirect_uris',
  'post_logout_redirect_uris',
  'token_endpoint_auth_method',
  'allowed_corp_ids',
  'any_corp',
  'id_token_signed_response_alg',
  'updated_at',
] as const;

/** A client's field values in OIDC_CLIENT_FIELD_COLUMNS' order; `anyCorp` as the database spells booleans. */
export function oidcClientValues<B>(client: OidcClient, bool: (value: boolean) => B) {
  return [
    client.name,
    client.connection,
    JSON.stringify(client.redirectUris),
    JSON.stringify(client.postLogoutRedirectUris),
    client.tokenEndpointAuthMethod,
    JSON.stringify(client.allowedCorpIds),
    bool(client.anyCorp),
    client.idTokenSignedResponseAlg,
    client.updatedAt,
  ] as const;
}

/** Reads a row. */
export function toOidcClient(row: OidcClientRow): OidcClient {
  return {
    clientId: row.client_id,
    name: row.name,
    connection: row.connection_identifier,
    redirectUris: JSON.parse(row.redirect_uris) as string[],
    postLogoutRedirectUris: JSON.parse(row.post_logout_redirect_uris) as string[],
    tokenEndpointAuthMethod: row.token_endpoint_auth_method,
    allowedCorpIds: JSON.parse(row.allowed_corp_ids) as string[],
    anyCorp: row.any_corp === true || row.any_corp === 1,
    idTokenSignedResponseAlg: row.id_token_signed_response_alg,
    secretSet: row.secret_sealed !== null,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** Reads a row with its secrets, opening them. */
export function toOidcClientWithSecrets(
  row: OidcClientRow,
  open: (clientId: string, sealed: string) => string,
): OidcClient & OidcClientSecrets {
  const expiresAt = row.previous_secret_expires_at === null ? null : Number(row.previous_secret_expires_at);
  return {
    ...toOidcClient(row),
    secret: row.secret_sealed === null ? null : open(row.client_id, row.secret_sealed),
    previousSecret: row.previous_secret_sealed === null ? null : open(row.client_id, row.previous_secret_sealed),
    previousSecretExpiresAt: expiresAt,
  };
}

/** The refusal of a client id already in use. */
export function oidcClientIdTaken(clientId: string): AppError {
  return new AppError('oidc_client_exists', {params: {clientId}, field: 'clientId'});
}

/**
 * The rotation both databases run: the stored secret becomes the previous one (one sealing context
 * for both, so it moves as it is), the new one takes its place.
 */
export const ROTATE_OIDC_CLIENT_SECRET = (placeholders: [string, string, string, string]) =>
  // SET reads the row as it was: previous_secret_sealed gets the old secret. Placeholders in order.
  `UPDATE oidc_clients SET previous_secret_sealed = secret_sealed, secret_sealed = ${placeholders[0]}, ` +
  `previous_secret_expires_at = ${placeholders[1]}, updated_at = ${placeholders[2]} ` +
  `WHERE client_id = ${placeholders[3]}`;
