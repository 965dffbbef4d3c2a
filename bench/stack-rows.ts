import Database from 'better-sqlite3';
import pg from 'pg';
import type {LoginStack} from './login-stack.ts';

/** What a load run checks in the database afterwards, on SQLite or PostgreSQL alike. */
export interface StackRows {
  users: number;
  /** `login_succeeded` audit rows. */
  succeeded: number;
  /** Every user's id. */
  userIds: Set<string>;
  /** SQLite's integrity_check (`ok`); PostgreSQL has no such check and says `n/a`. */
  integrity: string;
}

/** Reads the rows a load run checks from the stack's database (read-only). */
export async function readStackRows(stack: Pick<LoginStack, 'databasePath' | 'databaseUrl'>): Promise<StackRows> {
  const usersSql = 'SELECT id FROM users';
  const succeededSql = "SELECT COUNT(*) AS n FROM audit_log WHERE event = 'login_succeeded'";
  if (stack.databaseUrl) {
    const client = new pg.Client(stack.databaseUrl);
    await client.connect();
    try {
      const ids = (await client.query<{id: string}>(usersSql)).rows.map((row) => row.id);
      const succeeded = Number((await client.query<{n: string}>(succeededSql)).rows[0]!.n);
      return {users: ids.length, succeeded, userIds: new Set(ids), integrity: 'n/a'};
    } finally {
      await client.end();
    }
  }
  const db = new Database(stack.databasePath, {readonly: true});
  try {
    const ids = (db.prepare(usersSql).all() as Array<{id: string}>).map((row) => row.id);
    const succeeded = (db.prepare(succeededSql).get() as {n: number}).n;
    return {
      users: ids.length,
      succeeded,
      userIds: new Set(ids),
      integrity: String(db.pragma('integrity_check', {simple: true})),
    };
  } finally {
    db.close();
  }
}
