/** A suite_ticket WeCom pushed. */
export interface SuiteTicket {
  ticket: string;
  /** WeCom's TimeStamp of the push, in ms. */
  pushedAt: number;
  /** When this server received it, in ms. */
  receivedAt: number;
}

/** A suite's newest ticket and the one before it. */
export interface SuiteTickets {
  newest: SuiteTicket;
  previous: SuiteTicket | null;
}

/**
 * The suite_tickets WeCom pushes to the 登录授权 callback, keyed by the decrypted SuiteId and shared
 * by every process. Kept until replaced, never for a fixed time: WeCom pushes every 7–14 minutes and
 * a ticket works for 30, so an expiry shorter than that (a known SDK bug) loses it between pushes.
 */
export interface SuiteTicketStore {
  /**
   * Stores a pushed ticket as the newest, the old newest becoming the previous. A push no newer than
   * the stored newest (a replay, a duplicate, a delayed retry) changes nothing: 'stale'.
   */
  record(suiteId: string, ticket: string, pushedAt: number): Promise<'stored' | 'stale'>;
  /** The suite's tickets, or null before the first push. */
  read(suiteId: string): Promise<SuiteTickets | null>;
  /**
   * Forgets the suite's tickets (an operator's way out of a bad one: the next push is stored
   * whatever its TimeStamp). False when there were none.
   */
  clear(suiteId: string): Promise<boolean>;
}

/** A `suite_tickets` row, the same in every database. */
export interface SuiteTicketRow {
  suite_id: string;
  ticket_sealed: string;
  pushed_at: number;
  received_at: number;
  previous_ticket_sealed: string | null;
  previous_pushed_at: number | null;
  previous_received_at: number | null;
}

/** Reads a row, opening its tickets. */
export function toSuiteTickets(row: SuiteTicketRow, open: (suiteId: string, sealed: string) => string): SuiteTickets {
  return {
    newest: {ticket: open(row.suite_id, row.ticket_sealed), pushedAt: row.pushed_at, receivedAt: row.received_at},
    previous:
      row.previous_ticket_sealed === null
        ? null
        : {
            ticket: open(row.suite_id, row.previous_ticket_sealed),
            pushedAt: row.previous_pushed_at!,
            receivedAt: row.previous_received_at!,
          },
  };
}

/**
 * The upsert both databases run: the old newest moves to previous, and only a newer push replaces
 * it. In DO UPDATE the unqualified columns are the stored row's.
 */
export const RECORD_SUITE_TICKET = (placeholders: [string, string, string, string]) => `
  INSERT INTO suite_tickets AS t (suite_id, ticket_sealed, pushed_at, received_at) VALUES (${placeholders.join(', ')})
  ON CONFLICT (suite_id) DO UPDATE SET
    previous_ticket_sealed = t.ticket_sealed, previous_pushed_at = t.pushed_at, previous_received_at = t.received_at,
    ticket_sealed = excluded.ticket_sealed, pushed_at = excluded.pushed_at, received_at = excluded.received_at
  WHERE excluded.pushed_at > t.pushed_at`;
