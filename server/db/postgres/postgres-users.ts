import type pg from 'pg';
import {containsPattern, newUserValues, toUser, toUserPage, type UserRow, type UserStore} from '../user-store.ts';

/**
 * One statement per login, whatever happens: the upsert (on whichever partial unique index names the
 * person) and its audit row, in a data-modifying CTE. PostgreSQL's ON CONFLICT makes 20 concurrent
 * first logins of one person one user without a lock of our own; `xmax = 0` tells the row that was
 * inserted from one that was updated (a widely used reading of PostgreSQL's row header). An upsert
 * that updates still draws a `seq`, so seq has gaps; it only orders the users list.
 */
const upsertLogin = (conflict: string) => `
  WITH u AS (
    INSERT INTO users AS x (id, connection_identifier, corp_id, open_userid, userid, name, avatar, usertype,
      created_at, last_login_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
    ON CONFLICT ${conflict}
    DO UPDATE SET userid = COALESCE(EXCLUDED.userid, x.userid), name = EXCLUDED.name, avatar = EXCLUDED.avatar,
      usertype = EXCLUDED.usertype, last_login_at = EXCLUDED.last_login_at, login_count = x.login_count + 1
    RETURNING x.*, (x.xmax = 0) AS created
  ), audit AS (
    INSERT INTO audit_log (at, event, connection_identifier, user_id, detail, ip)
    SELECT $9, 'login_succeeded', left($2, 64), id, CASE WHEN created THEN 'user created' END, $10 FROM u
  )
  SELECT * FROM u`;

/** login-only: the same refresh and audit row, but no row (and nothing written) for an unknown person. */
const refreshLogin = (match: string) => `
  WITH u AS (
    UPDATE users AS x SET userid = COALESCE($5, x.userid), name = $6, avatar = $7, usertype = $8, last_login_at = $9,
      login_count = x.login_count + 1
    WHERE x.connection_identifier = $2 AND x.corp_id = $3 AND ${match} AND $1::text IS NOT NULL
    RETURNING x.*, false AS created
  ), audit AS (
    INSERT INTO audit_log (at, event, connection_identifier, user_id, ip)
    SELECT $9, 'login_succeeded', left($2, 64), id, $10 FROM u
  )
  SELECT * FROM u`;

const BY_OPEN_USERID = '(connection_identifier, corp_id, open_userid) WHERE open_userid IS NOT NULL';
const BY_USERID = '(connection_identifier, corp_id, userid) WHERE open_userid IS NULL';

/** Creates the PostgreSQL UserStore. */
export function createPostgresUserStore(pool: pg.Pool, now = Date.now): UserStore {
  return {
    async recordLogin(connection, identity, {allowCreate, ip}) {
      const byOpenUserId = identity.openUserId !== undefined;
      const statement = allowCreate
        ? {
            name: `login-upsert-${byOpenUserId ? 'open' : 'userid'}`,
            text: upsertLogin(byOpenUserId ? BY_OPEN_USERID : BY_USERID),
          }
        : {
            name: `login-refresh-${byOpenUserId ? 'open' : 'userid'}`,
            text: refreshLogin(
              byOpenUserId ? 'x.open_userid = $4' : 'x.userid = $5 AND x.open_userid IS NULL AND $4::text IS NULL',
            ),
          };
      const {rows} = await pool.query<UserRow & {created: boolean}>({
        ...statement,
        values: [...newUserValues(connection, identity, now()), ip],
      });
      const row = rows[0];
      return row ? {user: toUser(row), created: row.created} : null;
    },
    async get(id) {
      const {rows} = await pool.query<UserRow>({
        name: 'user-by-id',
        text: 'SELECT * FROM users WHERE id = $1',
        values: [id],
      });
      return rows[0] ? toUser(rows[0]) : null;
    },
    async list(connection, {query, limit, cursor}) {
      const before = cursor === undefined ? Number.MAX_SAFE_INTEGER : Number(cursor);
      // ILIKE: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
      const {rows} = await pool.query<UserRow>(
        `SELECT * FROM users WHERE connection_identifier = $1 AND seq < $2
        AND ($3::text IS NULL OR name ILIKE $3 ESCAPE '\\' OR userid ILIKE $3 ESCAPE '\\' OR open_userid ILIKE $3
          ESCAPE '\\')
        ORDER BY seq DESC LIMIT $4`,
        [connection, before, query ? containsPattern(query) : null, limit + 1],
      );
      return toUserPage(rows, limit);
    },
  };
}
