import {createHash} from 'node:crypto';

/** What oidc-provider stores of one artifact (a session, an interaction, a code, a token, a grant). */
export type OidcPayload = Record<string, unknown>;

/**
 * The artifacts oidc-provider keeps, for every process: its adapter's operations over one table.
 * An artifact's id is often the bearer value itself (a code, an access token, a session cookie), so
 * rows are keyed by a hash of model and id and their payloads are sealed: the database alone hands
 * out no token. Expired artifacts read as absent and are swept by maintenance.
 */
export interface OidcArtifactStore {
  /** Stores or replaces an artifact; it expires after `expiresInSeconds`. */
  upsert(model: string, id: string, payload: OidcPayload, expiresInSeconds: number): Promise<void>;
  /** The artifact's payload (with `consumed`, in seconds, once consumed), or undefined. */
  find(model: string, id: string): Promise<OidcPayload | undefined>;
  /** The artifact whose payload's `uid` is `uid` (sessions), or undefined. */
  findByUid(model: string, uid: string): Promise<OidcPayload | undefined>;
  /**
   * Marks the artifact consumed, atomically: true for the one caller that did, false for every
   * other (already consumed, expired or unknown), however many processes try at once.
   */
  consume(model: string, id: string): Promise<boolean>;
  destroy(model: string, id: string): Promise<void>;
  /** Removes every code and token of a grant (a reused code revokes what it issued). */
  revokeByGrantId(grantId: string): Promise<void>;
}

/** An `oidc_artifacts` row as read back, the same in every database. */
export interface OidcArtifactRow {
  id_hash: string;
  payload_sealed: string;
  expires_at: number | string;
  consumed_at: number | string | null;
}

/** The models a grant's revocation removes: what a code's redemption issued (an interaction keeps its grantId too). */
const GRANTABLE_MODELS = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken']);

/** The key of an artifact's row: SHA-256 of its model and id, so a row names no usable value. */
export function artifactKey(model: string, id: string): string {
  return createHash('sha256').update(`${model}:${id}`).digest('base64url');
}

/**
 * An artifact's row values in the column order both stores insert them: id_hash, model,
 * payload_sealed, grant_id, uid_hash, expires_at. The payload (which holds the id as `jti`) is sealed.
 */
export function artifactValues(
  model: string,
  id: string,
  payload: OidcPayload,
  expiresAt: number,
  seal: (key: string, payload: OidcPayload) => string,
) {
  const key = artifactKey(model, id);
  const grantId = GRANTABLE_MODELS.has(model) && typeof payload.grantId === 'string' ? payload.grantId : null;
  const uid = typeof payload.uid === 'string' ? artifactKey(`${model}.uid`, payload.uid) : null;
  return [key, model, seal(key, payload), grantId, uid, expiresAt] as const;
}

/** Reads a row: undefined when there is none or it expired by `time`. */
export function toOidcPayload(
  row: OidcArtifactRow | undefined,
  time: number,
  open: (key: string, sealed: string) => OidcPayload,
): OidcPayload | undefined {
  if (!row || Number(row.expires_at) <= time) return undefined;
  const payload = open(row.id_hash, row.payload_sealed);
  return {
    ...payload,
    ...(row.consumed_at !== null && {consumed: Math.floor(Number(row.consumed_at) / 1000)}),
  };
}
