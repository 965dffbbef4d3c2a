import type Router from '@koa/router';
import type Koa from 'koa';
import type {AppDeps} from '../app-deps.ts';
import {randomToken} from '../crypto/random-token.ts';
import type {LoginMethod, LoginTicket, LoginTransaction} from '../db/login-state-store.ts';
import {toLoginUser, type User, type WecomIdentity} from '../db/user-store.ts';
import {checkOidcAdmission} from '../oidc/oidc-policy.ts';
import {interactionUidOf} from './oidc-interaction-routes.ts';
import {AppError, InvalidRequest, InvalidState} from '../errors.ts';
import {
  completeLogin,
  recordLoginFailure,
  wasHeldBack,
  wasInvalidCode,
  wecomErrcodeOf,
} from '../login/complete-login.ts';
import {isPlausibleAuthCode, launchBudgetSpent} from '../login/exchange-errors.ts';
import {PROTOCOLS} from '../login/flows/protocol-catalogue.ts';
import type {Metrics} from '../metrics.ts';
import type {RefusalCounter} from '../refusal-counter.ts';
import {renderResultPage} from '../pages/result-page.ts';
import {RateLimited, takeOrHold, type RateLimiter} from '../rate-limit.ts';
import type {TokenBuckets} from '../token-buckets.ts';
import {hasBrowserBinding} from '../session.ts';
import {ERROR_FRAGMENT_PARAM, TICKET_FRAGMENT_PARAM} from '../../widget/protocol.ts';
import {queryParam, sendPage, sendRedirect, withFragment} from './http.ts';
import {resultPageOptions, sendLoginError} from './login-error.ts';

/** A ticket only has to survive one redirect and one request from the page it lands on. */
export const TICKET_TTL_MS = 2 * 60_000;

/** What the login routes count and limit with, made once per app. */
export interface LoginRouteServices {
  limiter: RateLimiter;
  refusals: RefusalCounter;
  metrics: Metrics;
  /** WeCom calls per connection and minute for launches (LAUNCH_CALLS_PER_MINUTE), in this process. */
  launchBudget: TokenBuckets;
}

/**
 * GET /connections/:identifier/callback (every login this server started, with its state: QR codes
 * and in-client OAuth) and GET /connections/:identifier/launch (the admin console, no state).
 */
export function addCallbackRoutes(router: Router, deps: AppDeps, services: LoginRouteServices): void {
  const {limiter, refusals, metrics} = services;
  router.get('/connections/:identifier/callback', async (ctx) => {
    ctx.state.errorFormat = 'page';
    const limited = takeOrHold(limiter, ctx, 'callback');
    const identifier = ctx.params.identifier!;
    const state = queryParam(ctx, 'state');
    if (limited) return refuseCallback(ctx, deps, identifier, state, limited);
    // Consuming first makes every state single-use, whatever happens next.
    const tx = state && state.length <= 128 ? await deps.store.loginStates.consumeTransaction(state) : null;
    // No login of this connection: junk (forged, replayed or expired), refused before any WeCom
    // call. The error handler counts it; an audit row each would let a flood grow the database.
    if (!tx || tx.connection !== identifier) throw new InvalidState();
    try {
      if (tx.browserBinding !== null && !hasBrowserBinding(ctx, tx.browserBinding)) {
        throw new InvalidState('state_other_browser');
      }
      const connection = await deps.store.connections.getForExchange(identifier);
      // What WeCom sent back is read by the protocol that sent the browser there, whatever the
      // connection's flow: an in-client login comes back here too.
      const protocol = tx.protocol ?? connection.flow;
      const code = deps.protocols[protocol].readCallbackCode((name) => queryParam(ctx, name), connection);
      const admit = tx.mode === 'oidc' ? await oidcAdmission(deps, tx.returnTo!) : undefined;
      const user = await completeLogin(deps, connection, code, ctx.ip, protocol, admit);
      countAttempt(ctx, deps, metrics, {connection: identifier, mode: tx.mode, protocol, outcome: 'success'});
      const amr: LoginMethod = PROTOCOLS[protocol].kind === 'in-client' ? 'wecom_client' : 'qr';
      if (tx.mode === 'oidc') return finishOidcLogin(ctx, deps, tx.returnTo!, user, amr);
      // A workbench login has no element and no verifier: its ticket is redeemed with itself alone.
      if (tx.mode === 'workbench')
        return redirectWithTicket(ctx, deps, tx.returnTo!, user, {nonce: null, codeChallenge: null, amr});
      if (tx.mode === 'redirect')
        return redirectWithTicket(ctx, deps, tx.returnTo!, user, {
          nonce: tx.nonce,
          codeChallenge: tx.codeChallenge,
          amr,
        });
      const idToken = await deps.signer.sign(user, {
        audience: identifier,
        authorizedParty: tx.origin,
        nonce: tx.nonce,
        amr,
      });
      sendPage(
        ctx,
        renderResultPage(
          {type: 'wecom-sp-login:success', nonce: tx.nonce, idToken, user: toLoginUser(user)},
          resultPageOptions(tx, ctx),
        ),
      );
    } catch (error) {
      await deliverError(ctx, deps, services, tx, error);
    }
  });

  router.get('/connections/:identifier/launch', async (ctx) => {
    ctx.state.errorFormat = 'page';
    const limited = takeOrHold(limiter, ctx, 'launch');
    const connection = await deps.store.connections.getForExchange(ctx.params.identifier!).catch((error: unknown) => {
      throw limited ?? error;
    });
    if (connection.launchUrl === null) throw limited ?? new InvalidRequest('no_launch_url', 'launchUrl');
    const launchUrl = connection.launchUrl;
    // The launch page's element reports the refusal; nothing is exchanged or recorded.
    if (limited) return sendRedirect(ctx, withFragment(launchUrl, ERROR_FRAGMENT_PARAM, limited.code));
    // No state here by design: WeCom's 业务设置 link carries only auth_code, which is single-use and
    // exchanged at once. One that cannot be WeCom's is junk: counted, not audited, never sent to WeCom.
    const authCode = queryParam(ctx, 'auth_code') ?? '';
    const junk = authCode === '' ? 'invalid_request' : isPlausibleAuthCode(authCode) ? null : 'exchange_failed';
    if (junk) {
      refusals.count(junk);
      return sendRedirect(ctx, withFragment(launchUrl, ERROR_FRAGMENT_PARAM, junk));
    }
    try {
      // Nobody vouches for a launch (no state, no session: anyone can make one up), so launches spend
      // a small budget of their connection's, never the per-CorpID one that logins started here need.
      if (services.launchBudget.take(connection.identifier) > 0) throw launchBudgetSpent(connection.corpId);
      const user = await completeLogin(deps, connection, authCode, ctx.ip, 'launch');
      countAttempt(ctx, deps, metrics, {
        connection: connection.identifier,
        mode: 'launch',
        protocol: connection.flow,
        outcome: 'success',
      });
      await redirectWithTicket(ctx, deps, launchUrl, user, {nonce: null, codeChallenge: null, amr: 'launch'});
    } catch (error) {
      await recordFailure(
        ctx,
        deps,
        services,
        {connection: connection.identifier, mode: 'launch', protocol: connection.flow},
        error,
      );
      if (!(error instanceof AppError) || !error.expose) throw error;
      sendRedirect(ctx, withFragment(launchUrl, ERROR_FRAGMENT_PARAM, error.code));
    }
  });
}

/**
 * Audits a failed login. One that failed because this server held back its WeCom call (a back-off
 * after a rate limit) reached nothing, so it is counted like junk: a flood during the back-off must
 * not write a row per request.
 */
async function recordFailure(
  ctx: Koa.Context,
  deps: AppDeps,
  {refusals, metrics}: LoginRouteServices,
  attempt: Omit<LoginAttempt, 'outcome'>,
  error: unknown,
): Promise<void> {
  const ip = ctx.ip;
  const {connection, mode} = attempt;
  countAttempt(
    ctx,
    deps,
    metrics,
    {...attempt, outcome: error instanceof AppError && error.expose ? error.code : 'server_error'},
    wecomErrcodeOf(error),
  );
  if (wasHeldBack(error)) return refusals.count('wecom_unavailable');
  // A launch code WeCom does not know is what a flood of made-up codes earns: counted by reason, not
  // a row each. Configuration failures (60020, 40001, 45009 …) stay audited: an admin must act.
  if (mode === 'launch' && wasInvalidCode(error))
    return refusals.count(error instanceof AppError ? error.code : 'exchange_failed');
  await recordLoginFailure(deps, connection, error, ip);
}

/** One login attempt as the log and the metrics see it. */
interface LoginAttempt {
  connection: string;
  mode: string;
  protocol: string;
  /** `success`, or the error code the visitor got. */
  outcome: string;
}

/**
 * Counts an attempt and logs its one line: connection, mode, protocol, outcome and WeCom's errcode
 * (never a code, state or token), so that "why did this person fail at 9:02" has an answer in the
 * log alone, beside the request line with the same request id.
 */
function countAttempt(
  ctx: Koa.Context,
  deps: AppDeps,
  metrics: Metrics,
  attempt: LoginAttempt,
  wecomErrcode: number | null = null,
): void {
  metrics.logins.inc({connection: attempt.connection, mode: attempt.mode, outcome: attempt.outcome});
  deps.log.info('login attempt', {...attempt, wecomErrcode, requestId: ctx.state.requestId});
}

/** Hands an error to the page that started the login: by message, or back to return_to. */
async function deliverError(
  ctx: Koa.Context,
  deps: AppDeps,
  services: LoginRouteServices,
  tx: LoginTransaction,
  error: unknown,
): Promise<void> {
  await recordFailure(
    ctx,
    deps,
    services,
    {connection: tx.connection, mode: tx.mode, protocol: tx.protocol ?? 'unknown'},
    error,
  );
  if (!(error instanceof AppError) || !error.expose)
    deps.log.error('Login failed unexpectedly', {connection: tx.connection, error});
  sendLoginError(ctx, tx, error instanceof AppError && error.expose ? error : new AppError('server_error'));
}

/**
 * A rate-limited callback: its login is looked up but not consumed (a refused request changes
 * nothing) and the element that started it hears `rate_limited`. A state that names no login of
 * this connection gets the bare 429 page.
 */
async function refuseCallback(
  ctx: Koa.Context,
  deps: AppDeps,
  identifier: string,
  state: string | undefined,
  limited: RateLimited,
): Promise<void> {
  const tx = state && state.length <= 128 ? await deps.store.loginStates.peekTransaction(state) : null;
  if (!tx || tx.connection !== identifier) throw limited;
  sendLoginError(ctx, tx, limited);
}

/** Redirect, workbench and launch: a one-time ticket for the origin of `location`, carried in its fragment. */
async function redirectWithTicket(
  ctx: Koa.Context,
  deps: AppDeps,
  location: string,
  user: User,
  binding: Pick<LoginTicket, 'nonce' | 'codeChallenge' | 'amr'>,
): Promise<void> {
  const ticket = randomToken(32);
  await deps.store.loginStates.createTicket(
    ticket,
    {connection: user.connection, userId: user.id, origin: new URL(location).origin, ...binding},
    TICKET_TTL_MS,
  );
  sendRedirect(ctx, withFragment(location, TICKET_FRAGMENT_PARAM, ticket));
}

/**
 * The policy of the OpenID client whose interaction (at `interactionUrl`) started this login, as
 * completeLogin's `admit`: checked before any user is written.
 */
async function oidcAdmission(deps: AppDeps, interactionUrl: string): Promise<(identity: WecomIdentity) => void> {
  const uid = interactionUidOf(deps, interactionUrl);
  const interaction = uid === null ? undefined : await (await deps.oidc.provider()).Interaction.find(uid);
  const client = interaction ? await deps.store.oidcClients.get(String(interaction.params.client_id)) : null;
  if (!client) throw new InvalidState('oidc_interaction_gone');
  return (identity) => checkOidcAdmission(client, identity);
}

/**
 * An OpenID login: back to its interaction with a one-time ticket for the user, bound to that
 * interaction (by its uid) and redeemed there, where oidc-provider's cookie proves the browser.
 */
async function finishOidcLogin(
  ctx: Koa.Context,
  deps: AppDeps,
  interactionUrl: string,
  user: User,
  amr: LoginMethod,
): Promise<void> {
  const ticket = randomToken(32);
  await deps.store.loginStates.createTicket(
    ticket,
    {
      connection: user.connection,
      userId: user.id,
      origin: new URL(deps.publicUrl).origin,
      nonce: interactionUidOf(deps, interactionUrl),
      // A challenge no verifier answers: the element's ticket redemption can never take this ticket.
      codeChallenge: randomToken(43),
      amr,
    },
    TICKET_TTL_MS,
  );
  sendRedirect(ctx, `${interactionUrl}/finish?ticket=${ticket}`);
}
