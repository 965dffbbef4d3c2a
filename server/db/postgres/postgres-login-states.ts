import type pg from 'pg';
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

/** Creates the PostgreSQL LoginStateStore: each write one autocommitted statement. */
export function createPostgresLoginStateStore(pool: pg.Pool, now = Date.now): LoginStateStore {
  let lastSweep = 0;
  // The sweep is its own statement, started beside the insert rather than before it: a login never
  // waits for it, and a failed sweep is simply tried again a second later.
  const sweepExpired = (time: number) => {
    if (time - lastSweep < SWEEP_INTERVAL_MS) return;
    lastSweep = time;
    pool
      .query({
        name: 'sweep-expired',
        text:
          'WITH t AS (DELETE FROM login_transactions WHERE expires_at < $1) DELETE FROM tickets WHERE ' +
          'expires_at < $1',
        values: [time],
      })
      .catch(() => {});
  };

  return {
    async createTransaction(state, tx, ttlMs) {
      const time = now();
      sweepExpired(time);
      await pool.query({
        name: 'transaction-insert',
        text:
          `INSERT INTO login_transactions (state_hash, connection_identifier, protocol, nonce, origin, mode, ` +
          `return_to, browser_binding, code_challenge, expires_at)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        values: [...transactionValues(hashToken(state), tx, time + ttlMs)],
      });
    },
    async consumeTransaction(state) {
      // DELETE … RETURNING makes "read and invalidate" one statement: two concurrent callbacks cannot both win.
      const {rows} = await pool.query<TransactionRow>({
        name: 'transaction-take',
        text: 'DELETE FROM login_transactions WHERE state_hash = $1 RETURNING *',
        values: [hashToken(state)],
      });
      return toTransaction(rows[0], now());
    },
    async peekTransaction(state) {
      const {rows} = await pool.query<TransactionRow>({
        name: 'transaction-read',
        text: 'SELECT * FROM login_transactions WHERE state_hash = $1',
        values: [hashToken(state)],
      });
      return toTransaction(rows[0], now());
    },
    async createTicket(ticket, value, ttlMs) {
      const time = now();
      sweepExpired(time);
      await pool.query({
        name: 'ticket-insert',
        text:
          'INSERT INTO tickets (ticket_hash, connection_identifier, user_id, origin, nonce, code_challenge, ' +
          'amr, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        values: [...ticketValues(hashToken(ticket), value, time + ttlMs)],
      });
    },
    async consumeTicket(ticket) {
      const {rows} = await pool.query<TicketRow>({
        name: 'ticket-take',
        text: 'DELETE FROM tickets WHERE ticket_hash = $1 RETURNING *',
        values: [hashToken(ticket)],
      });
      return toTicket(rows[0], now());
    },
  };
}
