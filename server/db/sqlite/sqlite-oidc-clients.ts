import {
  OIDC_CLIENT_FIELD_COLUMNS,
  ROTATE_OIDC_CLIENT_SECRET,
  oidcClientIdTaken,
  oidcClientValues,
  toOidcClient,
  toOidcClientWithSecrets,
  type OidcClientRow,
  type OidcClientStore,
} from '../oidc-client-store.ts';
import type {Sealer} from '../sealed-columns.ts';
import type {SqliteDatabase} from './sqlite-database.ts';

/** Creates the SQLite OidcClientStore; secrets are sealed at rest. */
export function createSqliteOidcClientStore(db: SqliteDatabase, sealer: Sealer): OidcClientStore {
  const select = db.prepare<[string], OidcClientRow>('SELECT * FROM oidc_clients WHERE client_id = ?');
  const columns = ['client_id', ...OIDC_CLIENT_FIELD_COLUMNS, 'secret_sealed', 'created_at'];
  const insert = db.prepare(
    `INSERT INTO oidc_clients (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
  );
  const update = db.prepare(
    `UPDATE oidc_clients SET ${OIDC_CLIENT_FIELD_COLUMNS.map((column) => `${column} = ?`).join(', ')} ` +
      'WHERE client_id = ?',
  );
  const rotate = db.prepare(ROTATE_OIDC_CLIENT_SECRET(['?', '?', '?', '?']));
  const bool = (value: boolean) => (value ? 1 : 0);
  return {
    async create(client, secret) {
      const sealed = secret === null ? null : sealer.oidcClientSecret.seal(client.clientId, secret);
      try {
        insert.run(client.clientId, ...oidcClientValues(client, bool), sealed, client.createdAt);
      } catch (error) {
        if ((error as {code?: string}).code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
          throw oidcClientIdTaken(client.clientId);
        throw error;
      }
    },
    async get(clientId) {
      const row = select.get(clientId);
      return row ? toOidcClient(row) : null;
    },
    async getWithSecrets(clientId) {
      const row = select.get(clientId);
      return row ? toOidcClientWithSecrets(row, sealer.oidcClientSecret.open) : null;
    },
    async list() {
      return db.prepare<[], OidcClientRow>('SELECT * FROM oidc_clients ORDER BY client_id').all().map(toOidcClient);
    },
    async update(client) {
      return update.run(...oidcClientValues(client, bool), client.clientId).changes === 1;
    },
    async rotateSecret(clientId, secret, previousValidUntil, time) {
      const sealed = sealer.oidcClientSecret.seal(clientId, secret);
      return rotate.run(sealed, previousValidUntil, time, clientId).changes === 1;
    },
    async remove(clientId) {
      return db.prepare('DELETE FROM oidc_clients WHERE client_id = ?').run(clientId).changes === 1;
    },
  };
}
