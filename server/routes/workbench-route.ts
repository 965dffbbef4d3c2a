import type Router from '@koa/router';
import type Koa from 'koa';
import type {AppDeps} from '../app-deps.ts';
import type {Connection} from '../connections/connection.ts';
import {randomToken} from '../crypto/random-token.ts';
import {InvalidRequest} from '../errors.ts';
import {IN_CLIENT_PROTOCOL} from '../login/flows/protocol-catalogue.ts';
import {takeOrHold, type RateLimiter} from '../rate-limit.ts';
import {browserBinding} from '../session.ts';
import {readReturnTo, TRANSACTION_TTL_MS} from './authorize-route.ts';
import {queryParam, sendRedirect} from './http.ts';

/**
 * GET /connections/:identifier/workbench[?return_to=…]: what a provider sets as its app's 应用主页
 * (the WeCom workbench entry) and what chat links point at. It records a login bound to this
 * browser and sends it to WeCom's in-client OAuth page, which comes straight back to the callback
 * with a code; the browser then lands on return_to (or the connection's launch URL) with a ticket
 * the page redeems alone. Always the OAuth page: WeCom opens a 应用主页 inside its client only, and
 * elsewhere WeCom itself says to open the link in WeCom.
 */
export function addWorkbenchRoute(router: Router, deps: AppDeps, limiter: RateLimiter): void {
  router.get('/connections/:identifier/workbench', async (ctx) => {
    ctx.state.errorFormat = 'page';
    const limited = takeOrHold(limiter, ctx, 'workbench');
    if (limited) throw limited;
    const connection = await deps.store.connections.get(ctx.params.identifier!);
    if (connection.appSuiteId === null) {
      throw new InvalidRequest('no_app_suite', 'appSuiteId');
    }
    const returnTo = workbenchDestination(ctx, connection);
    const state = randomToken(32);
    await deps.store.loginStates.createTransaction(
      state,
      {
        connection: connection.identifier,
        protocol: IN_CLIENT_PROTOCOL,
        // No element started this login: nothing to echo, and the ticket is redeemed without a verifier.
        nonce: '',
        origin: new URL(returnTo).origin,
        mode: 'workbench',
        returnTo,
        // The cookie is what keeps a leaked state from finishing the login in another browser.
        browserBinding: browserBinding(ctx),
        codeChallenge: null,
      },
      TRANSACTION_TTL_MS,
    );
    const redirectUri = `${deps.publicUrl}/connections/${connection.identifier}/callback`;
    sendRedirect(ctx, deps.protocols[IN_CLIENT_PROTOCOL].loginPageUrl(connection, state, redirectUri, false));
  });
}

/** return_to when given (on one of the connection's allowed origins), else the connection's launch URL. */
function workbenchDestination(ctx: Koa.Context, connection: Connection): string {
  const returnTo = queryParam(ctx, 'return_to');
  if (returnTo !== undefined) {
    const url = readReturnTo(returnTo);
    if (!connection.allowedOrigins.includes(url.origin))
      throw new InvalidRequest('workbench_return_to_not_allowed', 'return_to');
    return url.href;
  }
  if (connection.launchUrl === null) {
    throw new InvalidRequest('workbench_no_landing', 'return_to');
  }
  return connection.launchUrl;
}
