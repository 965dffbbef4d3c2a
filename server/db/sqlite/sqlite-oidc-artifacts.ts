import {
  artifactKey,
  artifactValues,
  toOidcPayload,
  type OidcArtifactRow,
  type OidcArtifactStore,
} from '../oidc-artifact-store.ts';
import type {Sealer} from '../sealed-columns.ts';
import type {SqliteDatabase} from './sqlite-database.ts';

/** Creates the SQLite OidcArtifactStore. */
export function createSqliteOidcArtifactStore(db: SqliteDatabase, sealer: Sealer, now = Date.now): OidcArtifactStore {
  const upsert = db.prepare(
    'INSERT INTO oidc_artifacts (id_hash, model, payload_sealed, grant_id, uid_hash, expires_at) VALUES ' +
      '(?, ?, ?, ?, ?, ?) ON CONFLICT (id_hash) DO UPDATE SET payload_sealed = excluded.payload_sealed, ' +
      'grant_id = excluded.grant_id, uid_hash = excluded.uid_hash, expires_at = excluded.expires_at',
  );
  const select = db.prepare<[string], OidcArtifactRow>('SELECT * FROM oidc_artifacts WHERE id_hash = ?');
  const selectByUid = db.prepare<[string], OidcArtifactRow>('SELECT * FROM oidc_artifacts WHERE uid_hash = ?');
  // One conditional statement: of any number of processes redeeming one code, one changes the row.
  const consume = db.prepare(
    'UPDATE oidc_artifacts SET consumed_at = ? WHERE id_hash = ? AND consumed_at IS NULL AND expires_at > ?',
  );
  const destroy = db.prepare('DELETE FROM oidc_artifacts WHERE id_hash = ?');
  const revoke = db.prepare('DELETE FROM oidc_artifacts WHERE grant_id = ?');
  const open = sealer.oidcArtifact.open;
  return {
    async upsert(model, id, payload, expiresInSeconds) {
      upsert.run(...artifactValues(model, id, payload, now() + expiresInSeconds * 1000, sealer.oidcArtifact.seal));
    },
    async find(model, id) {
      return toOidcPayload(select.get(artifactKey(model, id)), now(), open);
    },
    async findByUid(model, uid) {
      return toOidcPayload(selectByUid.get(artifactKey(`${model}.uid`, uid)), now(), open);
    },
    async consume(model, id) {
      const time = now();
      return consume.run(time, artifactKey(model, id), time).changes === 1;
    },
    async destroy(model, id) {
      destroy.run(artifactKey(model, id));
    },
    async revokeByGrantId(grantId) {
      revoke.run(grantId);
    },
  };
}
