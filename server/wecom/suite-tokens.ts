import type {SuiteTicketStore} from '../db/suite-ticket-store.ts';
import type {Metrics} from '../metrics.ts';
import {createAccessTokens, secretBoundKey, type AccessTokens, type AccessTokensOptions} from './access-tokens.ts';
import type {WecomClient} from './wecom-client.ts';
import {INVALID_SUITE_TICKET, NoSuiteTicket, WecomApiError} from './wecom-errors.ts';

/** What a suite_access_token is fetched with: the 登录授权 suite, and the provider its calls count against. */
export interface SuiteCredentials {
  /** The provider CorpID: the guard's back-off and caps count suite calls with the provider's. */
  corpId: string;
  suiteId: string;
  /** Secret. */
  suiteSecret: string;
}

/** How long WeCom accepts a suite_ticket after pushing it ("实际有效期为30分钟"). */
export const SUITE_TICKET_LIFETIME_MS = 30 * 60_000;

/** Options of createSuiteTokens. */
export interface SuiteTokensOptions extends Omit<AccessTokensOptions, 'onFetched'> {
  wecom: WecomClient;
  tickets: SuiteTicketStore;
  /** Counts the tokens fetched. */
  metrics?: Pick<Metrics, 'accessTokenFetches'>;
}

/**
 * suite_access_tokens of the 登录授权 suites, cached and shared across processes with a refresh
 * lease exactly like provider tokens (same store, keys prefixed `suite:`). A fetch uses the newest
 * pushed ticket; when WeCom calls it invalid (40085) it tries the previous one once, if WeCom pushed
 * it less than 30 minutes ago. No ticket at all is NoSuiteTicket: a configuration problem.
 */
export function createSuiteTokens(options: SuiteTokensOptions): AccessTokens<SuiteCredentials> {
  const now = options.now ?? Date.now;
  return createAccessTokens<SuiteCredentials>(
    {
      cacheKey: ({suiteId, suiteSecret}) => secretBoundKey(`suite:${suiteId}`, suiteSecret),
      guardKey: ({corpId}) => corpId,
      async fetch({suiteId, suiteSecret}) {
        const tickets = await options.tickets.read(suiteId);
        if (!tickets) throw new NoSuiteTicket(suiteId);
        try {
          return await options.wecom.getSuiteToken(suiteId, suiteSecret, tickets.newest.ticket);
        } catch (error) {
          const previous = tickets.previous;
          const retry =
            error instanceof WecomApiError &&
            error.errcode === INVALID_SUITE_TICKET &&
            previous !== null &&
            previous.pushedAt > now() - SUITE_TICKET_LIFETIME_MS;
          if (!retry) throw error;
          return options.wecom.getSuiteToken(suiteId, suiteSecret, previous.ticket);
        }
      },
    },
    {...options, onFetched: () => options.metrics?.accessTokenFetches.inc()},
  );
}
