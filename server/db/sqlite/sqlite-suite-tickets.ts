import type {Sealer} from '../sealed-columns.ts';
import {
  RECORD_SUITE_TICKET,
  toSuiteTickets,
  type SuiteTicketRow,
  type SuiteTicketStore,
} from '../suite-ticket-store.ts';
import type {SqliteDatabase} from './sqlite-database.ts';

/** Creates the SQLite SuiteTicketStore; tickets are sealed at rest. */
export function createSqliteSuiteTicketStore(db: SqliteDatabase, sealer: Sealer, now = Date.now): SuiteTicketStore {
  const upsert = db.prepare(RECORD_SUITE_TICKET(['?', '?', '?', '?']));
  const select = db.prepare<[string], SuiteTicketRow>('SELECT * FROM suite_tickets WHERE suite_id = ?');
  const remove = db.prepare('DELETE FROM suite_tickets WHERE suite_id = ?');
  return {
    async record(suiteId, ticket, pushedAt) {
      return upsert.run(suiteId, sealer.suiteTicket.seal(suiteId, ticket), pushedAt, now()).changes === 1
        ? 'stored'
        : 'stale';
    },
    async read(suiteId) {
      const row = select.get(suiteId);
      return row ? toSuiteTickets(row, sealer.suiteTicket.open) : null;
    },
    async clear(suiteId) {
      return remove.run(suiteId).changes === 1;
    },
  };
}
