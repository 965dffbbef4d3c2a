import {randomToken} from '../crypto/random-token.ts';
import type {LoginUser, WecomUserType} from '../../widget/protocol.ts';
import {prepareAuditInsert, type Page} from './audit-store.ts';
import type {SqliteDatabase} from './database.ts';
import type {WriteQueue} from './write-queue.ts';

/** Who WeCom says logged in: a LoginUser before it has our id. At least one of openUserId and userId is present. */
export type WecomIdentity = Omit<LoginUser, 'id'>;

/** A stored user of one connection. */
export interface User extends LoginUser {
  connection: string;
  createdAt: number;
  lastLoginAt: number;
  loginCount: number;
}

/** Users, unique per connection on (corp_id, open_userid), else (corp_id, userid). */
export interface UserStore {
  /**
   * Finds or (when `allowCreate`) creates the user, refreshes its WeCom fields and writes the
   * `login_succeeded` audit row, all in one transaction. Returns null when the user is unknown and
   * creation is not allowed; then nothing is written.
   */
  recordLogin(connection: string, identity: WecomIdentity, options: {allowCreate: boolean; ip: string}): Promise<{user: User; created: boolean} | null>;
  /** The user with this id, or null. */
  get(id: string): Promise<User | null>;
  /** Newest first; `query` matches name, userid or open_userid. */
  list(connection: string, options: {query?: string; limit: number; cursor?: string}): Promise<Page<User>>;
}

interface UserRow {
  seq: number;
  id: string;
  connection_identifier: string;
  corp_id: string;
  open_userid: string | null;
  userid: string | null;
  name: string;
  avatar: string | null;
  usertype: WecomUserType;
  created_at: number;
  last_login_at: number;
  login_count: number;
}

/** Creates the SQLite UserStore. */
export function createUserStore(db: SqliteDatabase, writes: WriteQueue, now = Date.now): UserStore {
  const audit = prepareAuditInsert(db, now);
  const byOpenUserId = db.prepare<[string, string, string], UserRow>('SELECT * FROM users WHERE connection_identifier = ? AND corp_id = ? AND open_userid = ?');
  const byUserId = db.prepare<[string, string, string], UserRow>('SELECT * FROM users WHERE connection_identifier = ? AND corp_id = ? AND userid = ? AND open_userid IS NULL');
  const byId = db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?');
  const insert = db.prepare<unknown[], UserRow>(`INSERT INTO users (id, connection_identifier, corp_id, open_userid, userid, name, avatar, usertype, created_at, last_login_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`);
  const refresh = db.prepare<unknown[], UserRow>(`UPDATE users SET userid = ?, name = ?, avatar = ?, usertype = ?, last_login_at = ?, login_count = login_count + 1 WHERE id = ? RETURNING *`);

  const recordLogin = (connection: string, identity: WecomIdentity, options: {allowCreate: boolean; ip: string}) => {
    const existing = identity.openUserId
      ? byOpenUserId.get(connection, identity.corpId, identity.openUserId)
      : byUserId.get(connection, identity.corpId, identity.userId!);
    if (!existing && !options.allowCreate) return null;
    const time = now();
    const row = existing
      ? refresh.get(identity.userId ?? existing.userid, identity.name, identity.avatar ?? null, identity.usertype, time, existing.id)!
      : insert.get(`usr_${randomToken(22)}`, connection, identity.corpId, identity.openUserId ?? null, identity.userId ?? null, identity.name, identity.avatar ?? null, identity.usertype, time, time)!;
    audit({event: 'login_succeeded', connection, userId: row.id, detail: existing ? null : 'user created', ip: options.ip});
    return {user: toUser(row), created: !existing};
  };

  return {
    async recordLogin(connection, identity, options) {
      // One transaction (the queue's, which takes the write lock up front), so two processes never both insert the same user.
      return writes.run(() => recordLogin(connection, identity, options));
    },
    async get(id) {
      const row = byId.get(id);
      return row ? toUser(row) : null;
    },
    async list(connection, {query, limit, cursor}) {
      const before = cursor === undefined ? Number.MAX_SAFE_INTEGER : Number(cursor);
      const like = query ? `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
      const rows = db
        .prepare<unknown[], UserRow>(`SELECT * FROM users WHERE connection_identifier = ? AND seq < ?
          AND (? IS NULL OR name LIKE ? ESCAPE '\\' OR userid LIKE ? ESCAPE '\\' OR open_userid LIKE ? ESCAPE '\\')
          ORDER BY seq DESC LIMIT ?`)
        .all(connection, before, like, like, like, like, limit + 1);
      const items = rows.slice(0, limit).map(toUser);
      return {items, nextCursor: rows.length > limit ? String(rows[limit - 1]!.seq) : null};
    },
  };
}

/** The public part of a stored user: what the host page and the ID token see. */
export function toLoginUser(user: User): LoginUser {
  const {connection: _c, createdAt: _a, lastLoginAt: _l, loginCount: _n, ...loginUser} = user;
  return loginUser;
}

function toUser(row: UserRow): User {
  return {
    id: row.id,
    connection: row.connection_identifier,
    corpId: row.corp_id,
    ...(row.open_userid !== null && {openUserId: row.open_userid}),
    ...(row.userid !== null && {userId: row.userid}),
    name: row.name,
    ...(row.avatar !== null && {avatar: row.avatar}),
    usertype: row.usertype,
    createdAt: row.created_at,
    lastLoginAt: row.last_login_at,
    loginCount: row.login_count,
  };
}
