import {
  containsPattern,
  newUserValues,
  storedUsertype,
  toUser,
  toUserPage,
  type UserRow,
  type UserStore,
  type WecomIdentity,
} from '../user-store.ts';
import {prepareAuditInsert} from './sqlite-audit.ts';
import type {SqliteDatabase} from './sqlite-database.ts';
import type {WriteQueue} from './write-queue.ts';

/** Creates the SQLite UserStore. */
export function createSqliteUserStore(db: SqliteDatabase, writes: WriteQueue, now = Date.now): UserStore {
  const audit = prepareAuditInsert(db, now);
  const byOpenUserId = db.prepare<[string, string, string], UserRow>(
    'SELECT * FROM users WHERE connection_identifier = ? AND corp_id = ? AND open_userid = ?',
  );
  const byUserId = db.prepare<[string, string, string], UserRow>(
    'SELECT * FROM users WHERE connection_identifier = ? AND corp_id = ? AND userid = ? AND open_userid IS NULL',
  );
  const byId = db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?');
  const insert = db.prepare<unknown[], UserRow>(
    `INSERT INTO users (id, connection_identifier, corp_id, open_userid, userid, name, avatar, usertype, created_at, ` +
      `last_login_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  );
  const refresh = db.prepare<unknown[], UserRow>(
    `UPDATE users SET userid = ?, name = ?, avatar = ?, usertype = ?, last_login_at = ?, login_count = ` +
      `login_count + 1 WHERE id = ? RETURNING *`,
  );
  // SQLite's LIKE ignores ASCII case, as PostgreSQL's ILIKE does.
  const search = db.prepare<unknown[], UserRow>(`SELECT * FROM users WHERE connection_identifier = ? AND seq < ?
    AND (? IS NULL OR name LIKE ? ESCAPE '\\' OR userid LIKE ? ESCAPE '\\' OR open_userid LIKE ? ESCAPE '\\')
    ORDER BY seq DESC LIMIT ?`);

  const recordLogin = (connection: string, identity: WecomIdentity, options: {allowCreate: boolean; ip: string}) => {
    const existing = identity.openUserId
      ? byOpenUserId.get(connection, identity.corpId, identity.openUserId)
      : byUserId.get(connection, identity.corpId, identity.userId!);
    if (!existing && !options.allowCreate) return null;
    const time = now();
    const row = existing
      ? refresh.get(
          identity.userId ?? existing.userid,
          identity.name,
          identity.avatar ?? null,
          storedUsertype(identity),
          time,
          existing.id,
        )!
      : insert.get(...newUserValues(connection, identity, time), time)!;
    audit({
      event: 'login_succeeded',
      connection,
      userId: row.id,
      detail: existing ? null : 'user created',
      ip: options.ip,
    });
    return {user: toUser(row), created: !existing};
  };

  return {
    async recordLogin(connection, identity, options) {
      // One transaction (the queue's, which takes the write lock up front), so two processes never both insert the
      // same user.
      return writes.run(() => recordLogin(connection, identity, options));
    },
    async get(id) {
      const row = byId.get(id);
      return row ? toUser(row) : null;
    },
    async list(connection, {query, limit, cursor}) {
      const before = cursor === undefined ? Number.MAX_SAFE_INTEGER : Number(cursor);
      const like = query ? containsPattern(query) : null;
      return toUserPage(search.all(connection, before, like, like, like, like, limit + 1), limit);
    },
  };
}
