import {randomBytes} from 'node:crypto';
import type {OidcClient} from '../db/oidc-client-store.ts';
import type {Store} from '../db/store.ts';
import {AppError, InvalidRequest, UnknownConnection} from '../errors.ts';
import {randomToken} from '../crypto/random-token.ts';
import {validateOidcClientInput, validateOidcClientPatch, type OidcClientPolicy} from './oidc-client-validation.ts';

/** How long a rotated-out secret keeps working: a day to switch every copy of the relying party over. */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 60 * 60_000;

/** A client as created or rotated: with its secret, shown this once (null for a public client). */
export type OidcClientWithNewSecret = OidcClient & {clientSecret: string | null};

/**
 * The OpenID clients as the admin API and the CLI manage them: one validation, one place that
 * makes secrets (32 random bytes, base64url: nothing Basic authentication would have to escape).
 */
export interface OidcClientManager {
  create(body: unknown): Promise<OidcClientWithNewSecret>;
  /** Throws unknown_oidc_client when there is none. */
  get(clientId: string): Promise<OidcClient>;
  list(): Promise<OidcClient[]>;
  /** Applies a patch (any field but the id); returns the client and the names of the fields changed. */
  update(clientId: string, body: unknown): Promise<{client: OidcClient; changed: string[]}>;
  /** A new secret; the one it replaces works for PREVIOUS_SECRET_GRACE_MS more. */
  rotateSecret(clientId: string): Promise<OidcClientWithNewSecret>;
  remove(clientId: string): Promise<void>;
}

/** Creates the manager over the store. */
export function createOidcClientManager(
  store: Store,
  policy: OidcClientPolicy,
  now: () => number = Date.now,
): OidcClientManager {
  const newSecret = () => randomBytes(32).toString('base64url');
  const requireConnection = async (identifier: string) => {
    try {
      await store.connections.get(identifier);
    } catch (error) {
      if (error instanceof UnknownConnection) throw new InvalidRequest('oidc_connection_invalid', 'connection');
      throw error;
    }
  };
  const get = async (clientId: string) => {
    const client = await store.oidcClients.get(clientId);
    if (!client) throw new AppError('unknown_oidc_client');
    return client;
  };
  return {
    async create(body) {
      const input = validateOidcClientInput(body, policy);
      await requireConnection(input.connection);
      const time = now();
      const {clientId, ...fields} = input;
      const secret = input.tokenEndpointAuthMethod === 'none' ? null : newSecret();
      const client: OidcClient = {
        ...fields,
        clientId: clientId ?? `oc_${randomToken(16)}`,
        secretSet: secret !== null,
        createdAt: time,
        updatedAt: time,
      };
      await store.oidcClients.create(client, secret);
      return {...client, clientSecret: secret};
    },
    get,
    list: () => store.oidcClients.list(),
    async update(clientId, body) {
      const patch = validateOidcClientPatch(body, policy);
      const client = await get(clientId);
      if (patch.connection !== undefined) await requireConnection(patch.connection);
      // A public client has no secret and a confidential one needs one: switching between them is a new client.
      if (
        patch.tokenEndpointAuthMethod !== undefined &&
        (patch.tokenEndpointAuthMethod === 'none') !== (client.tokenEndpointAuthMethod === 'none')
      )
        throw new InvalidRequest('oidc_auth_method_kind_fixed', 'tokenEndpointAuthMethod');
      const updated = {...client, ...patch, updatedAt: now()};
      if (!(await store.oidcClients.update(updated))) throw new AppError('unknown_oidc_client');
      return {client: updated, changed: Object.keys(patch)};
    },
    async rotateSecret(clientId) {
      const client = await get(clientId);
      if (client.tokenEndpointAuthMethod === 'none')
        throw new InvalidRequest('oidc_public_client_secret', 'tokenEndpointAuthMethod');
      const secret = newSecret();
      const time = now();
      if (!(await store.oidcClients.rotateSecret(clientId, secret, time + PREVIOUS_SECRET_GRACE_MS, time)))
        throw new AppError('unknown_oidc_client');
      return {...client, secretSet: true, updatedAt: time, clientSecret: secret};
    },
    async remove(clientId) {
      if (!(await store.oidcClients.remove(clientId))) throw new AppError('unknown_oidc_client');
    },
  };
}
