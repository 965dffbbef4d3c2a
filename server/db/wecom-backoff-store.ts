/** The first hold after a WeCom rate limit: WeCom itself blocks a CorpID for 60 s after a minute's excess. */
export const FIRST_BACKOFF_MS = 60_000;
/** The longest hold, reached after repeated strikes. */
export const MAX_BACKOFF_MS = 30 * 60_000;
/** Strikes further apart than this start over at FIRST_BACKOFF_MS. */
export const STRIKE_MEMORY_MS = 15 * 60_000;

/**
 * When each CorpID may call WeCom again, shared by every process on the database (like the token
 * lease), so one process's 45009 stops all of them.
 */
export interface WecomBackoffStore {
  /** The time before which no call for `corpId` may be made; 0 when there is none. */
  until(corpId: string): Promise<number>;
  /** Records a rate-limit answer: holds calls for 60 s, doubling on repeats up to 30 min. Returns the new `until`. */
  strike(corpId: string): Promise<number>;
}
