/** How many requests were refused for one reason in one hour. */
export interface RefusalCount {
  /** The error code the requests got (`invalid_state`, `unknown_connection`, …): never a value a client chose. */
  reason: string;
  /** The hour's start, in milliseconds since the epoch. */
  hour: number;
  count: number;
}

/**
 * Aggregate counts of junk requests: refusals before any WeCom call (forged states, made-up
 * connections, malformed codes). A row per reason and hour, however many requests, so a flood
 * cannot grow the database the way an audit row per request would.
 */
export interface RefusalStore {
  /** Adds `counts` (reason → number) to `hour`'s rows. */
  add(hour: number, counts: ReadonlyMap<string, number>): Promise<void>;
  /** The rows of the hours since `sinceHour`, newest first. */
  list(sinceHour: number): Promise<RefusalCount[]>;
}
