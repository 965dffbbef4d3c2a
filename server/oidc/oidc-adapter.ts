import {timingSafeEqual, createHash} from 'node:crypto';
import type {Adapter, AdapterPayload} from 'oidc-provider';
import {errors} from './oidc-provider-module.ts';
import type {OidcClient, OidcClientSecrets} from '../db/oidc-client-store.ts';
import type {Store} from '../db/store.ts';

/**
 * oidc-provider's storage on the Store, for every model: clients come from the admin-managed
 * oidc_clients (read on each use, so an edit applies at once on every process), everything else
 * from oidc_artifacts. Works the same on SQLite and PostgreSQL.
 */
export function createOidcAdapter(store: Store): new (model: string) => Adapter {
  return class StoreAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      // Clients are written by the admin API only (dynamic registration is off).
      if (this.model === 'Client') throw new Error('clients are managed through /api/oidc-clients');
      await store.oidcArtifacts.upsert(this.model, id, payload as Record<string, unknown>, expiresIn);
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.model === 'Client') {
        const client = await store.oidcClients.getWithSecrets(id);
        return client ? clientMetadata(client) : undefined;
      }
      return (await store.oidcArtifacts.find(this.model, id)) as AdapterPayload | undefined;
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return (await store.oidcArtifacts.findByUid(this.model, uid)) as AdapterPayload | undefined;
    }

    async findByUserCode(): Promise<AdapterPayload | undefined> {
      return undefined; // The device flow is off.
    }

    async consume(id: string): Promise<void> {
      // oidc-provider reads `consumed`, then consumes: two processes redeeming one code at once
      // would both pass its read. The conditional update lets one through; the other gets
      // invalid_grant, and what the first was issued is revoked as for any reused code.
      if (await store.oidcArtifacts.consume(this.model, id)) return;
      const payload = await store.oidcArtifacts.find(this.model, id);
      if (typeof payload?.grantId === 'string') await store.oidcArtifacts.revokeByGrantId(payload.grantId);
      throw new errors.InvalidGrant('authorization code already consumed');
    }

    async destroy(id: string): Promise<void> {
      await store.oidcArtifacts.destroy(this.model, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await store.oidcArtifacts.revokeByGrantId(grantId);
    }
  };
}

/** A client as oidc-provider reads it: the code flow only, with its secret where it has one. */
function clientMetadata(client: OidcClient & OidcClientSecrets): AdapterPayload {
  return {
    client_id: client.clientId,
    client_name: client.name,
    ...(client.secret !== null && {client_secret: client.secret}),
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    id_token_signed_response_alg: client.idTokenSignedResponseAlg,
    grant_types: ['authorization_code'],
    response_types: ['code'],
  };
}

/**
 * True when `given` is the client's previous secret and that is still within its day of grace
 * after a rotation, so relying parties can be switched over without an outage. Compared in
 * constant time, as oidc-provider compares the current one.
 */
export function matchesPreviousSecret(client: OidcClientSecrets | null, given: string, time: number): boolean {
  if (!client || client.previousSecret === null || (client.previousSecretExpiresAt ?? 0) <= time) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(client.previousSecret), digest(given));
}
