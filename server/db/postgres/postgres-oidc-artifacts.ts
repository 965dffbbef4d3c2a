import type pg from 'pg';
import {
  artifactKey,
  artifactValues,
  toOidcPayload,
  type OidcArtifactRow,
  type OidcArtifactStore,
} from '../oidc-artifact-store.ts';
import type {Sealer} from '../sealed-columns.ts';

/** Creates the PostgreSQL OidcArtifactStore. */
export function createPostgresOidcArtifactStore(pool: pg.Pool, sealer: Sealer, now = Date.now): OidcArtifactStore {
  const open = sealer.oidcArtifact.open;
  const readOne = async (name: string, text: string, key: string) =>
    (await pool.query<OidcArtifactRow>({name, text, values: [key]})).rows[0];
  return {
    async upsert(model, id, payload, expiresInSeconds) {
      await pool.query({
        name: 'oidc-artifact-upsert',
        text:
          'INSERT INTO oidc_artifacts (id_hash, model, payload_sealed, grant_id, uid_hash, expires_at) VALUES ' +
          '($1, $2, $3, $4, $5, $6) ON CONFLICT (id_hash) DO UPDATE SET payload_sealed = excluded.payload_sealed, ' +
          'grant_id = excluded.grant_id, uid_hash = excluded.uid_hash, expires_at = excluded.expires_at',
        values: [...artifactValues(model, id, payload, now() + expiresInSeconds * 1000, sealer.oidcArtifact.seal)],
      });
    },
    async find(model, id) {
      const row = await readOne(
        'oidc-artifact-find',
        'SELECT * FROM oidc_artifacts WHERE id_hash = $1',
        artifactKey(model, id),
      );
      return toOidcPayload(row, now(), open);
    },
    async findByUid(model, uid) {
      const key = artifactKey(`${model}.uid`, uid);
      const row = await readOne('oidc-artifact-find-uid', 'SELECT * FROM oidc_artifacts WHERE uid_hash = $1', key);
      return toOidcPayload(row, now(), open);
    },
    async consume(model, id) {
      const time = now();
      // One conditional statement: of any number of processes redeeming one code, one changes the row.
      const {rowCount} = await pool.query({
        name: 'oidc-artifact-consume',
        text:
          'UPDATE oidc_artifacts SET consumed_at = $1 WHERE id_hash = $2 AND consumed_at IS NULL ' +
          'AND expires_at > $1',
        values: [time, artifactKey(model, id)],
      });
      return rowCount === 1;
    },
    async destroy(model, id) {
      await pool.query('DELETE FROM oidc_artifacts WHERE id_hash = $1', [artifactKey(model, id)]);
    },
    async revokeByGrantId(grantId) {
      await pool.query('DELETE FROM oidc_artifacts WHERE grant_id = $1', [grantId]);
    },
  };
}
