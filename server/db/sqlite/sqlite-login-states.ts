import {hashToken} from '../../crypto/random-token.ts';
import {
  ticketValues,
  transactionValues,
  SWEEP_INTERVAL_MS,
  toTicket,
  toTransaction,
  type LoginStateStore,
  type TicketRow,
  type TransactionRow,
} from '../login-state-store.ts';
import type {SqliteDatabase} from './sqlite-database.ts';
import type {WriteQueue} from './write-queue.ts';

/** Creates the SQLite LoginStateStore. */
export function createSqliteLoginStateStore(db: SqliteDatabase, writes: WriteQueue, now = Date.now): LoginStateStore {
  const insertTransaction = db.prepare(
    `INSERT INTO login_transactions (state_hash, connection_identifier, protocol, nonce, origin, mode, ` +
      `return_to, browser_binding, code_challenge, expires_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // DELETE … RETURNING makes "read and invalidate" one statement: two concurrent callbacks cannot both win.
  const takeTransaction = db.prepare<[string], TransactionRow>(
    'DELETE FROM login_transactions WHERE state_hash = ? RETURNING *',
  );
  const readTransaction = db.prepare<[string], TransactionRow>('SELECT * FROM login_transactions WHERE state_hash = ?');
  const purgeTransactions = db.prepare('DELETE FROM login_transactions WHERE expires_at < ?');
  const insertTicket = db.prepare(
    'INSERT INTO tickets (ticket_hash, connection_identifier, user_id, origin, nonce, code_challenge, amr, ' +
      'expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const takeTicket = db.prepare<[string], TicketRow>('DELETE FROM tickets WHERE ticket_hash = ? RETURNING *');
  const purgeTickets = db.prepare('DELETE FROM tickets WHERE expires_at < ?');

  let lastSweep = 0;
  const sweepExpired = (time: number) => {
    if (time - lastSweep < SWEEP_INTERVAL_MS) return;
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
        insertTransaction.run(...transactionValues(stateHash, tx, time + ttlMs));
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
        insertTicket.run(...ticketValues(ticketHash, value, time + ttlMs));
      });
    },
    async consumeTicket(ticket) {
      const ticketHash = hashToken(ticket);
      return toTicket(await writes.run(() => takeTicket.get(ticketHash)), now());
    },
  };
}
