import {hashToken} from '../crypto/random-token.ts';
import type {SqliteDatabase} from './database.ts';
import type {WriteQueue} from './write-queue.ts';

/** How the element shows the login: a popup, an embedded QR iframe or a full-page redirect. */
export type LoginDisplayMode = 'popup' | 'embedded' | 'redirect';

/** One login in flight, keyed by its `state`. */
export interface LoginTransaction {
  connection: string;
  nonce: string;
  /** Host origin that started the login and alone may receive its result. */
  origin: string;
  mode: LoginDisplayMode;
  /** Where redirect mode goes back to (on `origin`). */
  returnTo: string | null;
  /** Random value also kept in the login server's first-party session cookie; null in embedded mode. */
  browserBinding: string | null;
  /** Redirect mode: base64url(SHA-256(code_verifier)), which the ticket's redeemer must answer; else null. */
  codeChallenge: string | null;
}

/** A one-time ticket that a host page redeems for an ID token (redirect and launch flows). */
export interface LoginTicket {
  connection: string;
  userId: string;
  /** The only origin allowed to redeem it. */
  origin: string;
  /** The element's nonce for redirect mode; null for a launch (no element started it). */
  nonce: string | null;
  /** The redirect's code challenge, which redemption must answer with its verifier; null for a launch. */
  codeChallenge: string | null;
}

/** Short-lived, single-use login state. Values are stored hashed; consuming deletes atomically. */
export interface LoginStateStore {
  createTransaction(state: string, transaction: LoginTransaction, ttlMs: number): Promise<void>;
  /** Deletes and returns the transaction; null when unknown, used or expired. */
  consumeTransaction(state: string): Promise<LoginTransaction | null>;
  /** Returns the transaction without using it up; null when unknown, used or expired. */
  peekTransaction(state: string): Promise<LoginTransaction | null>;
  createTicket(ticket: string, value: LoginTicket, ttlMs: number): Promise<void>;
  /** Deletes and returns the ticket; null when unknown, used or expired. */
  consumeTicket(ticket: string): Promise<LoginTicket | null>;
}

interface TransactionRow {
  connection_identifier: string;
  nonce: string;
  origin: string;
  mode: LoginDisplayMode;
  return_to: string | null;
  browser_binding: string | null;
  code_challenge: string | null;
  expires_at: number;
}

interface TicketRow {
  connection_identifier: string;
  user_id: string;
  origin: string;
  nonce: string | null;
  code_challenge: string | null;
  expires_at: number;
}

/** Creates the SQLite LoginStateStore. */
export function createLoginStateStore(db: SqliteDatabase, writes: WriteQueue, now = Date.now): LoginStateStore {
  const insertTransaction = db.prepare(`INSERT INTO login_transactions (state_hash, connection_identifier, nonce, origin, mode, return_to, browser_binding, code_challenge, expires_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  // DELETE … RETURNING makes "read and invalidate" one statement: two concurrent callbacks cannot both win.
  const takeTransaction = db.prepare<[string], TransactionRow>('DELETE FROM login_transactions WHERE state_hash = ? RETURNING *');
  const readTransaction = db.prepare<[string], TransactionRow>('SELECT * FROM login_transactions WHERE state_hash = ?');
  const purgeTransactions = db.prepare('DELETE FROM login_transactions WHERE expires_at < ?');
  const insertTicket = db.prepare('INSERT INTO tickets (ticket_hash, connection_identifier, user_id, origin, nonce, code_challenge, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const takeTicket = db.prepare<[string], TicketRow>('DELETE FROM tickets WHERE ticket_hash = ? RETURNING *');
  const purgeTickets = db.prepare('DELETE FROM tickets WHERE expires_at < ?');

  // Expired rows are swept at most once a second, not on every insert: consuming checks the expiry
  // anyway, and a sweep per login was a second write (and commit) on the hottest path.
  let lastSweep = 0;
  const sweepExpired = (time: number) => {
    if (time - lastSweep < 1_000) return;
    lastSweep = time;
    purgeTransactions.run(time);
    purgeTickets.run(time);
  };

  return {
    async createTransaction(state, tx, ttlMs) {
      const stateHash = hashToken(state);
      await writes.run(() => {
        const time = now();
        sweepExpired(time);
        insertTransaction.run(stateHash, tx.connection, tx.nonce, tx.origin, tx.mode, tx.returnTo, tx.browserBinding, tx.codeChallenge, time + ttlMs);
      });
    },
    async consumeTransaction(state) {
      const stateHash = hashToken(state);
      return toTransaction(await writes.run(() => takeTransaction.get(stateHash)), now());
    },
    async peekTransaction(state) {
      return toTransaction(readTransaction.get(hashToken(state)), now());
    },
    async createTicket(ticket, value, ttlMs) {
      const ticketHash = hashToken(ticket);
      await writes.run(() => {
        const time = now();
        sweepExpired(time);
        insertTicket.run(ticketHash, value.connection, value.userId, value.origin, value.nonce, value.codeChallenge, time + ttlMs);
      });
    },
    async consumeTicket(ticket) {
      const ticketHash = hashToken(ticket);
      const row = await writes.run(() => takeTicket.get(ticketHash));
      if (!row || row.expires_at < now()) return null;
      return {connection: row.connection_identifier, userId: row.user_id, origin: row.origin, nonce: row.nonce, codeChallenge: row.code_challenge};
    },
  };
}

function toTransaction(row: TransactionRow | undefined, time: number): LoginTransaction | null {
  if (!row || row.expires_at < time) return null;
  return {
    connection: row.connection_identifier,
    nonce: row.nonce,
    origin: row.origin,
    mode: row.mode,
    returnTo: row.return_to,
    browserBinding: row.browser_binding,
    codeChallenge: row.code_challenge,
  };
}
