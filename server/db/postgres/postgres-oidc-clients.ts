import type pg from 'pg';
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

/** Creates the PostgreSQL OidcClientStore; secrets are sealed at rest. */
export function createPostgresOidcClientStore(pool: pg.Pool, sealer: Sealer): OidcClientStore {
  const columns = ['client_id', ...OIDC_CLIENT_FIELD_COLUMNS, 'secret_sealed', 'created_at'];
  const insert =
    `INSERT INTO oidc_clients (${columns.join(', ')}) VALUES ` + `(${columns.map((_, at) => `$${at + 1}`).join(', ')})`;
  const update =
    `UPDATE oidc_clients SET ${OIDC_CLIENT_FIELD_COLUMNS.map((column, at) => `${column} = $${at + 1}`).join(', ')} ` +
    `WHERE client_id = $${OIDC_CLIENT_FIELD_COLUMNS.length + 1}`;
  const bool = (value: boolean) => value;
  const select = async (clientId: string) =>
    (
      await pool.query<OidcClientRow>({
        name: 'oidc-client-read',
        text: 'SELECT * FROM oidc_clients WHERE client_id = $1',
        values: [clientId],
      })
    ).rows[0];
  return {
    async create(client, secret) {
      const sealed = secret === null ? null : sealer.oidcClientSecret.seal(client.clientId, secret);
      try {
        await pool.query(insert, [client.clientId, ...oidcClientValues(client, bool), sealed, client.createdAt]);
      } catch (error) {
        if ((error as {code?: string}).code === '23505') throw oidcClientIdTaken(client.clientId);
        throw error;
      }
    },
    async get(clientId) {
      const row = await select(clientId);
      return row ? toOidcClient(row) : null;
    },
    async getWithSecrets(clientId) {
      const row = await select(clientId);
      return row ? toOidcClientWithSecrets(row, sealer.oidcClientSecret.open) : null;
    },
    async list() {
      const {rows} = await pool.query<OidcClientRow>('SELECT * FROM oidc_clients ORDER BY client_id COLLATE "C"');
      return rows.map(toOidcClient);
    },
    async update(client) {
      const {rowCount} = await pool.query(update, [...oidcClientValues(client, bool), client.clientId]);
      return rowCount === 1;
    },
    async rotateSecret(clientId, secret, previousValidUntil, time) {
      const sealed = sealer.oidcClientSecret.seal(clientId, secret);
      const {rowCount} = await pool.query(ROTATE_OIDC_CLIENT_SECRET(['$1', '$2', '$3', '$4']), [
        sealed,
        previousValidUntil,
        time,
        clientId,
      ]);
      return rowCount === 1;
    },
    async remove(clientId) {
      const {rowCount} = await pool.query('DELETE FROM oidc_clients WHERE client_id = $1', [clientId]);
      return rowCount === 1;
    },
  };
}
