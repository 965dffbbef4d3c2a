import type {Store} from '../db/store.ts';

/**
 * Forgets the stored suite_ticket of a connection and audits it: the way out when a bad push pinned
 * one (the next push is stored whatever its TimeStamp). The admin API and the CLI both call this.
 * `suiteId` is null for a connection of another flow, which has no ticket.
 */
export async function clearSuiteTicket(
  store: Store,
  identifier: string,
  origin: {ip?: string; via?: string} = {},
): Promise<{suiteId: string | null; cleared: boolean}> {
  const connection = await store.connections.get(identifier);
  const cleared = connection.suiteId !== null && (await store.suiteTickets.clear(connection.suiteId));
  const outcome = cleared ? 'cleared' : 'none stored';
  await store.audit.record({
    event: 'suite_ticket_cleared',
    connection: connection.identifier,
    detail: origin.via ? `${origin.via}; ${outcome}` : outcome,
    ip: origin.ip,
  });
  return {suiteId: connection.suiteId, cleared};
}
