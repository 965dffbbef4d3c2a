import type {WecomBackoffStore} from '../db/wecom-backoff-store.ts';
import {createTokenBuckets} from '../token-buckets.ts';
import {RATE_LIMIT_ERRCODES, WecomApiError, WecomHeldBack} from './wecom-errors.ts';

/**
 * On whose behalf a call is made: `login`, a login this server started with a state (or any other
 * call); `launch`, an admin-console launch nobody vouches for, which the launch route has already
 * counted against its connection's own budget (LAUNCH_CALLS_PER_MINUTE). Launch calls never take
 * from the per-CorpID minute budget, so made-up launch codes cannot spend it for real logins.
 */
export type CallLane = 'login' | 'launch';

/** Options of createWecomGuard. */
export interface WecomGuardOptions {
  backoff: WecomBackoffStore;
  /** Most calls in flight per CorpID in this process; further calls wait their turn. */
  maxConcurrentPerCorp: number;
  /** How long a call may wait for its turn before it is held back (the WeCom timeout). */
  maxWaitMs: number;
  /** Most `login` calls per CorpID and minute in this process (a token bucket of that size). */
  callsPerMinutePerCorp: number;
  now?: () => number;
}

/**
 * Stands between this server and WeCom for each CorpID. WeCom blocks a CorpID that calls too often
 * (45009, 45033), for everyone including the provider's other software, so after such an answer no
 * process calls for that CorpID until the shared back-off ends; and a flood of logins from many
 * addresses, each within the per-client limits, is capped here before it reaches WeCom's limits.
 * A call held back fails with WecomHeldBack at once, without a request.
 */
export interface WecomGuard {
  run<T>(corpId: string, call: () => Promise<T>, lane?: CallLane): Promise<T>;
}

/** Creates the WecomGuard. */
export function createWecomGuard({
  backoff,
  maxConcurrentPerCorp,
  maxWaitMs,
  callsPerMinutePerCorp,
  now = Date.now,
}: WecomGuardOptions): WecomGuard {
  const inFlight = new Map<string, number>();
  // Calls waiting for a turn, oldest first. A burst of logins queues here (as in undici's pool)
  // rather than failing, but only so many and only so long.
  const waiting = new Map<string, Array<() => void>>();
  const maxWaiting = maxConcurrentPerCorp * 20;
  const perMinute = createTokenBuckets(callsPerMinutePerCorp, now);

  /** Resolves when the call may start: at once while under the cap, else when a running call hands over its turn. */
  const takeTurn = (corpId: string): Promise<void> | void => {
    const running = inFlight.get(corpId) ?? 0;
    if (running < maxConcurrentPerCorp) return void inFlight.set(corpId, running + 1);
    const queue = waiting.get(corpId) ?? [];
    if (queue.length >= maxWaiting) throw new WecomHeldBack(corpId, 'concurrency');
    waiting.set(corpId, queue);
    return new Promise<void>((resolve, reject) => {
      const turn = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        queue.splice(queue.indexOf(turn), 1);
        reject(new WecomHeldBack(corpId, 'concurrency'));
      }, maxWaitMs);
      queue.push(turn);
    });
  };

  /** Hands the turn to the oldest waiting call, or frees the slot. */
  const endTurn = (corpId: string): void => {
    const next = waiting.get(corpId)?.shift();
    if (next) return next();
    const left = (inFlight.get(corpId) ?? 1) - 1;
    if (left > 0) inFlight.set(corpId, left);
    else {
      inFlight.delete(corpId);
      waiting.delete(corpId);
    }
  };

  return {
    async run(corpId, call, lane = 'login') {
      const until = await backoff.until(corpId);
      if (until > now()) throw new WecomHeldBack(corpId, 'backoff', until);
      if (lane === 'login' && perMinute.take(corpId) > 0) throw new WecomHeldBack(corpId, 'rate');
      await takeTurn(corpId);
      try {
        return await call();
      } catch (error) {
        if (error instanceof WecomApiError && RATE_LIMIT_ERRCODES.has(error.errcode)) await backoff.strike(corpId);
        throw error;
      } finally {
        endTurn(corpId);
      }
    },
  };
}
