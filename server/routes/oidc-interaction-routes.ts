import type Router from '@koa/router';
import type Koa from 'koa';
import type Provider from 'oidc-provider';
import type {AppDeps} from '../app-deps.ts';
import {ERRORS, errorMessage, type ErrorKey} from '../error-catalogue.ts';
import {InvalidState} from '../errors.ts';
import {INTERACTION_PATH} from '../oidc/oidc-configuration.ts';
import {renderOidcLoginPage} from '../pages/oidc-pages.ts';
import {takeOrHold, type RateLimiter} from '../rate-limit.ts';
import {browserBinding} from '../session.ts';
import {startWecomLogin} from './authorize-route.ts';
import {pageLang, queryParam, sendPage, sendRedirect} from './http.ts';

/** The interaction's details as oidc-provider reads them from its cookie. */
type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

/**
 * The OpenID provider's login, between oidc-provider and the WeCom login this server already runs:
 * - GET /oidc/interaction/:uid names the application and its site, with a link on;
 * - GET /oidc/interaction/:uid/wecom starts the connection's WeCom login (QR, or in-WeCom OAuth),
 *   recorded as a login state bound to this browser that comes back to /connections/:id/callback;
 * - GET /oidc/interaction/:uid/finish?ticket=… is where that callback sends the browser with a
 *   one-time ticket for the user, bound to this interaction; it ends the interaction with the user
 *   logged in, and oidc-provider goes on to the client's redirect URI with a code;
 * - GET /oidc/interaction/:uid/abort?reason=… ends it with the refusal, which oidc-provider sends to
 *   the client's (already validated) redirect URI as `error=access_denied`.
 * Every step reads oidc-provider's interaction cookie, whose path is the interaction's: a step taken
 * in another browser, or for another interaction, finds none and is refused.
 */
export function addOidcInteractionRoutes(router: Router, deps: AppDeps, limiter: RateLimiter): void {
  router.get(`${INTERACTION_PATH}/:uid`, async (ctx) => {
    ctx.state.errorFormat = 'page';
    const interaction = await interactionOf(ctx, deps, ctx.params.uid!);
    const client = await deps.store.oidcClients.get(String(interaction.params.client_id));
    if (!client) throw new InvalidState('oidc_interaction_gone');
    frameNowhere(ctx);
    sendPage(
      ctx,
      renderOidcLoginPage(pageLang(ctx), {
        appName: client.name,
        site: new URL(String(interaction.params.redirect_uri)).host,
        continueUrl: `${INTERACTION_PATH}/${interaction.uid}/wecom`,
      }),
    );
  });

  router.get(`${INTERACTION_PATH}/:uid/wecom`, async (ctx) => {
    ctx.state.errorFormat = 'page';
    const limited = takeOrHold(limiter, ctx, 'oidc_login');
    if (limited) throw limited;
    const interaction = await interactionOf(ctx, deps, ctx.params.uid!);
    const client = await deps.store.oidcClients.get(String(interaction.params.client_id));
    if (!client) throw new InvalidState('oidc_interaction_gone');
    const connection = await deps.store.connections.get(client.connection);
    frameNowhere(ctx);
    await startWecomLogin(
      ctx,
      deps,
      connection,
      {
        nonce: '',
        origin: new URL(deps.publicUrl).origin,
        mode: 'oidc',
        returnTo: interactionUrl(deps, interaction.uid),
        // The login's outcome must come back to this browser: the one holding the interaction.
        browserBinding: browserBinding(ctx),
        codeChallenge: null,
      },
      null,
    );
  });

  router.get(`${INTERACTION_PATH}/:uid/finish`, async (ctx) => {
    ctx.state.errorFormat = 'page';
    const interaction = await interactionOf(ctx, deps, ctx.params.uid!);
    const ticketValue = queryParam(ctx, 'ticket');
    const ticket =
      ticketValue && ticketValue.length <= 128 ? await deps.store.loginStates.consumeTicket(ticketValue) : null;
    // A ticket is for the interaction that started its login: one from another interaction (a
    // callback replayed into this one) is refused, and used up.
    if (!ticket || ticket.nonce !== interaction.uid || ticket.origin !== new URL(deps.publicUrl).origin)
      throw new InvalidState('oidc_interaction_gone');
    const provider = await deps.oidc.provider();
    const returnTo = await provider.interactionResult(
      ctx.req,
      ctx.res,
      {login: {accountId: ticket.userId, amr: [ticket.amr ?? 'qr'], remember: true}},
      {mergeWithLastSubmission: false},
    );
    // The connection's login_succeeded row says who logged in; this one, which application they went to.
    const clientId = String(interaction.params.client_id);
    await deps.store.audit.record({
      event: 'oidc_login',
      connection: ticket.connection,
      userId: ticket.userId,
      detail: `client: ${clientId}`,
      ip: ctx.ip,
    });
    deps.metrics.oidcLogins.inc({client: clientId, outcome: 'success'});
    sendRedirect(ctx, returnTo);
  });

  router.get(`${INTERACTION_PATH}/:uid/abort`, async (ctx) => {
    ctx.state.errorFormat = 'page';
    const interaction = await interactionOf(ctx, deps, ctx.params.uid!);
    const reason = queryParam(ctx, 'reason') ?? 'server_error';
    const key: ErrorKey = Object.hasOwn(ERRORS, reason) ? (reason as ErrorKey) : 'server_error';
    const code = ERRORS[key].code;
    const provider = await deps.oidc.provider();
    const returnTo = await provider.interactionResult(
      ctx.req,
      ctx.res,
      {
        error: code === 'login_not_allowed' || code === 'login_cancelled' ? 'access_denied' : 'temporarily_unavailable',
        error_description: errorMessage(key, 'en'),
      },
      {mergeWithLastSubmission: false},
    );
    deps.metrics.oidcLogins.inc({client: String(interaction.params.client_id), outcome: code});
    sendRedirect(ctx, returnTo);
  });
}

/** The interaction's own URL, which the login state keeps as where its outcome goes. */
export function interactionUrl(deps: Pick<AppDeps, 'publicUrl'>, uid: string): string {
  return `${deps.publicUrl}${INTERACTION_PATH}/${uid}`;
}

/** The uid of an interaction URL (a login state's returnTo), or null when it is not one. */
export function interactionUidOf(deps: Pick<AppDeps, 'publicUrl'>, url: string): string | null {
  const prefix = `${deps.publicUrl}${INTERACTION_PATH}/`;
  return url.startsWith(prefix) ? url.slice(prefix.length) : null;
}

/**
 * The interaction this browser holds for the uid in the path; refused (a page, never a redirect)
 * when there is none: no cookie, another interaction's cookie, or one that expired.
 */
async function interactionOf(ctx: Koa.Context, deps: AppDeps, uid: string): Promise<Interaction> {
  const provider = await deps.oidc.provider();
  let interaction: Interaction;
  try {
    interaction = await provider.interactionDetails(ctx.req, ctx.res);
  } catch {
    throw new InvalidState('oidc_interaction_gone');
  }
  if (interaction.uid !== uid || interaction.prompt.name !== 'login') throw new InvalidState('oidc_interaction_gone');
  return interaction;
}

/** The provider's pages are never framed: a framed login page is a clickjacking target. */
function frameNowhere(ctx: Koa.Context): void {
  ctx.set('X-Frame-Options', 'DENY');
}
