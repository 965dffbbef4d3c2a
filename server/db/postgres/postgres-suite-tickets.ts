import type pg from 'pg';
import type {Sealer} from '../sealed-columns.ts';
import {
  RECORD_SUITE_TICKET,
  toSuiteTickets,
  type SuiteTicketRow,
  type SuiteTicketStore,
} from '../suite-ticket-store.ts';

/** Creates the PostgreSQL SuiteTicketStore; tickets are sealed at rest. */
export function createPostgresSuiteTicketStore(pool: pg.Pool, sealer: Sealer, now = Date.now): SuiteTicketStore {
  return {
    async record(suiteId, ticket, pushedAt) {
      const {rowCount} = await pool.query(RECORD_SUITE_TICKET(['$1', '$2', '$3', '$4']), [
        suiteId,
        sealer.suiteTicket.seal(suiteId, ticket),
        pushedAt,
        now(),
      ]);
      return rowCount === 1 ? 'stored' : 'stale';
    },
    async read(suiteId) {
      const {rows} = await pool.query<SuiteTicketRow>({
        name: 'suite-tickets-read',
        text: 'SELECT * FROM suite_tickets WHERE suite_id = $1',
        values: [suiteId],
      });
      return rows[0] ? toSuiteTickets(rows[0], sealer.suiteTicket.open) : null;
    },
    async clear(suiteId) {
      const {rowCount} = await pool.query('DELETE FROM suite_tickets WHERE suite_id = $1', [suiteId]);
      return rowCount === 1;
    },
  };
}
