import type Router from '@koa/router';
import type Koa from 'koa';
import type {AppDeps} from '../app-deps.ts';
import {verifierMatches} from '../crypto/pkce.ts';
import {AppError, InvalidRequest} from '../errors.ts';
import {toLoginUser} from '../db/user-store.ts';
import {limitRoute, type RateLimiter} from '../rate-limit.ts';
import {readJsonBody} from './request-body.ts';

/**
 * GET /healthz, GET /readyz, GET /.well-known/jwks.json, GET /connections/:identifier, POST
 * /connections/:identifier/tickets.
 */
export function addPublicRoutes(router: Router, deps: AppDeps, limiter: RateLimiter): void {
  router.get('/healthz', async (ctx) => {
    await deps.store.ping();
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {status: 'ok'};
  });

  // Readiness, beside /healthz's liveness: a load balancer sends no logins here while the database
  // does not answer or its schema is not this server's (a migration pending or from a newer version).
  router.get('/readyz', async (ctx) => {
    const problem = deps.draining?.() ? 'shutting down' : await deps.store.unreadiness();
    ctx.set('Cache-Control', 'no-store');
    ctx.status = problem === null ? 200 : 503;
    ctx.body = problem === null ? {status: 'ready'} : {status: 'unavailable', reason: problem};
  });

  router.get('/.well-known/jwks.json', async (ctx) => {
    // Public keys, fetched by every host site's backend: cacheable and readable from any origin.
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = await deps.signer.jwks();
  });

  router.get('/connections/:identifier', async (ctx) => {
    const connection = await deps.store.connections.get(ctx.params.identifier!);
    // What the button shows; nothing here is secret, so any page may read it.
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Cache-Control', 'public, max-age=60');
    ctx.body = {identifier: connection.identifier, displayName: connection.displayName, usertype: connection.usertype};
  });

  router.options('/connections/:identifier/tickets', async (ctx) => {
    await allowCorsFromAllowedOrigin(ctx, deps);
    ctx.set('Access-Control-Allow-Methods', 'POST');
    ctx.set('Access-Control-Allow-Headers', 'content-type');
    ctx.set('Access-Control-Max-Age', '600');
    ctx.status = 204;
  });

  router.post('/connections/:identifier/tickets', limitRoute(limiter, 'tickets'), readJsonBody, async (ctx) => {
    const origin = await allowCorsFromAllowedOrigin(ctx, deps);
    const body = ctx.request.body as {ticket?: unknown; code_verifier?: unknown} | undefined;
    const ticket = typeof body?.ticket === 'string' && body.ticket.length <= 128 ? body.ticket : null;
    if (ticket === null) throw new InvalidRequest('ticket_body_invalid', 'ticket');
    // Consumed before any check, so a ticket presented from a foreign origin or with a wrong
    // verifier is burnt, not left for another guess.
    const value = await deps.store.loginStates.consumeTicket(ticket);
    const user = value ? await deps.store.users.get(value.userId) : null;
    if (!value || !user || origin === null || value.connection !== ctx.params.identifier || value.origin !== origin)
      throw new AppError('ticket_unknown');
    // A redirect's ticket answers to the browser that started the login; a launch has no such browser.
    if (value.codeChallenge !== null && !verifierMatches(body?.code_verifier, value.codeChallenge)) {
      throw new AppError('ticket_verifier_wrong');
    }
    // An older release's ticket says nothing of how: a launch had no nonce.
    const amr = value.amr ?? (value.nonce === null ? 'launch' : 'qr');
    const idToken = await deps.signer.sign(user, {
      audience: value.connection,
      authorizedParty: origin,
      nonce: value.nonce,
      amr,
    });
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {idToken, user: toLoginUser(user)};
  });
}

/**
 * Answers CORS only for an origin the connection allows, echoing that one origin (never '*').
 * Returns the request's origin, or null when it has none or is not allowed.
 */
async function allowCorsFromAllowedOrigin(
  ctx: Koa.ParameterizedContext<unknown, {params: Record<string, string>}>,
  deps: AppDeps,
): Promise<string | null> {
  ctx.vary('Origin');
  const origin = ctx.get('Origin');
  if (!origin) return null;
  const connection = await deps.store.connections.get(ctx.params.identifier!);
  if (!connection.allowedOrigins.includes(origin)) return null;
  ctx.set('Access-Control-Allow-Origin', origin);
  return origin;
}
