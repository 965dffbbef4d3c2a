import {randomToken} from '../crypto/random-token.ts';
import type {LoginUser, WecomUserType} from '../../widget/protocol.ts';
import type {Page} from './audit-store.ts';

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
  recordLogin(
    connection: string,
    identity: WecomIdentity,
    options: {allowCreate: boolean; ip: string},
  ): Promise<{user: User; created: boolean} | null>;
  /** The user with this id, or null. */
  get(id: string): Promise<User | null>;
  /** Newest first; `query` matches name, userid or open_userid, ignoring ASCII case. */
  list(connection: string, options: {query?: string; limit: number; cursor?: string}): Promise<Page<User>>;
}

/** A `users` row, the same in every database. */
export interface UserRow {
  seq: number;
  id: string;
  connection_identifier: string;
  corp_id: string;
  open_userid: string | null;
  userid: string | null;
  name: string;
  avatar: string | null;
  /** 0 when WeCom gave none (its new login): the column predates that flow and is NOT NULL. */
  usertype: WecomUserType | 0;
  created_at: number;
  last_login_at: number;
  login_count: number;
}

/** The usertype column's value: 0 for none. */
export const storedUsertype = (identity: WecomIdentity): number => identity.usertype ?? 0;

/** A new user id: random, so ids reveal neither order nor count. */
export const newUserId = (): string => `usr_${randomToken(22)}`;

/**
 * A new user's values in the column order both stores insert them: id, connection, corp_id,
 * open_userid, userid, name, avatar, usertype, and the time of this first login.
 */
export function newUserValues(
  connection: string,
  identity: WecomIdentity,
  time: number,
): Array<string | number | null> {
  return [
    newUserId(),
    connection,
    identity.corpId,
    identity.openUserId ?? null,
    identity.userId ?? null,
    identity.name,
    identity.avatar ?? null,
    storedUsertype(identity),
    time,
  ];
}

/** The LIKE pattern of a search: `query` anywhere, with LIKE's own characters escaped by `\`. */
export const containsPattern = (query: string): string => `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** A page of `limit` users from a query that fetched `limit + 1` rows, newest first. */
export function toUserPage(rows: UserRow[], limit: number): Page<User> {
  return {
    items: rows.slice(0, limit).map(toUser),
    nextCursor: rows.length > limit ? String(rows[limit - 1]!.seq) : null,
  };
}

/** The public part of a stored user: what the host page and the ID token see. */
export function toLoginUser(user: User): LoginUser {
  const {connection: _c, createdAt: _a, lastLoginAt: _l, loginCount: _n, ...loginUser} = user;
  return loginUser;
}

/** Reads a row. */
export function toUser(row: UserRow): User {
  return {
    id: row.id,
    connection: row.connection_identifier,
    corpId: row.corp_id,
    ...(row.open_userid !== null && {openUserId: row.open_userid}),
    ...(row.userid !== null && {userId: row.userid}),
    name: row.name,
    ...(row.avatar !== null && {avatar: row.avatar}),
    ...(row.usertype !== 0 && {usertype: row.usertype}),
    createdAt: row.created_at,
    lastLoginAt: row.last_login_at,
    loginCount: row.login_count,
  };
}
