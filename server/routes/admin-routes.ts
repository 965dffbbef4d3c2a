import type Router from '@koa/router';
import type Koa from 'koa';
import type {AppDeps} from '../app-deps.ts';
import {clearSuiteTicket} from '../connections/clear-suite-ticket.ts';
import {isProtocolName, PROTOCOL_NAMES} from '../login/flows/protocol-catalogue.ts';
import {
  checkConnection,
  validateConnectionInput,
  validateConnectionPatch,
} from '../connections/connection-validation.ts';
import {InvalidRequest} from '../errors.ts';
import type {RefusalCounter} from '../refusal-counter.ts';
import {requireAdminToken, type WrongTokenThrottle} from './admin-auth.ts';
import {queryParam} from './http.ts';
import {readJsonBody} from './request-body.ts';

/** The admin API under /api: connections, their users, the audit log and the credential check. */
export function addAdminRoutes(
  router: Router,
  deps: AppDeps,
  refusals: RefusalCounter,
  failures: WrongTokenThrottle,
): void {
  const {store} = deps;
  const policy = {httpsOnly: deps.production};
  router.use('/api', requireAdminToken(deps.adminToken, {audit: store.audit, failures}), async (ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    await next();
  });

  router.get('/api/connections', async (ctx) => {
    ctx.body = {items: await store.connections.list()};
  });

  router.post('/api/connections', readJsonBody, async (ctx) => {
    const connection = await store.connections.create(validateConnectionInput(ctx.request.body, policy));
    await store.audit.record({event: 'connection_created', connection: connection.identifier, ip: ctx.ip});
    ctx.status = 201;
    ctx.body = connection;
  });

  router.get('/api/connections/:identifier', async (ctx) => {
    ctx.body = await store.connections.get(ctx.params.identifier!);
  });

  router.patch('/api/connections/:identifier', readJsonBody, async (ctx) => {
    const identifier = ctx.params.identifier!;
    const patch = validateConnectionPatch(ctx.request.body, {identifier});
    const connection = await store.connections.update(identifier, patch, (merged) => checkConnection(merged, policy));
    // Names of the changed fields only: the audit log never holds a value that could be a secret.
    await store.audit.record({
      event: 'connection_updated',
      connection: identifier,
      detail: `changed: ${Object.keys(patch).join(', ') || 'nothing'}`,
      ip: ctx.ip,
    });
    ctx.body = connection;
  });

  router.delete('/api/connections/:identifier', async (ctx) => {
    await store.connections.remove(ctx.params.identifier!);
    await store.audit.record({event: 'connection_deleted', connection: ctx.params.identifier!, ip: ctx.ip});
    ctx.status = 204;
  });

  router.get('/api/connections/:identifier/users', async (ctx) => {
    const connection = await store.connections.get(ctx.params.identifier!);
    ctx.body = await store.users.list(connection.identifier, {
      query: queryParam(ctx, 'q') || undefined,
      ...readPage(ctx),
    });
  });

  router.get('/api/connections/:identifier/activity', async (ctx) => {
    const connection = await store.connections.get(ctx.params.identifier!);
    ctx.body = await store.audit.activity(connection.identifier, 30);
  });

  // The suite_ticket's status (never the ticket): when WeCom last pushed one, so the console can say
  // "last received 3 min ago" or "none yet: press 刷新Ticket".
  router.get('/api/connections/:identifier/suite-ticket', async (ctx) => {
    const connection = await store.connections.get(ctx.params.identifier!);
    const tickets = connection.suiteId === null ? null : await store.suiteTickets.read(connection.suiteId);
    ctx.body = {
      suiteId: connection.suiteId,
      received: tickets === null ? null : {receivedAt: tickets.newest.receivedAt, pushedAt: tickets.newest.pushedAt},
    };
  });

  // The same for the app suite (logins inside the WeCom client), whose tickets come to app-callback.
  router.get('/api/connections/:identifier/app-suite-ticket', async (ctx) => {
    const connection = await store.connections.get(ctx.params.identifier!);
    const tickets = connection.appSuiteId === null ? null : await store.suiteTickets.read(connection.appSuiteId);
    ctx.body = {
      appSuiteId: connection.appSuiteId,
      received: tickets === null ? null : {receivedAt: tickets.newest.receivedAt, pushedAt: tickets.newest.pushedAt},
    };
  });

  router.delete('/api/connections/:identifier/suite-ticket', async (ctx) => {
    ctx.body = await clearSuiteTicket(store, ctx.params.identifier!, {ip: ctx.ip});
  });

  // ?protocol= checks another protocol the connection is set up for (its app suite); its flow by default.
  router.post('/api/connections/:identifier/check', async (ctx) => {
    const connection = await store.connections.getForExchange(ctx.params.identifier!);
    const protocol = queryParam(ctx, 'protocol') ?? connection.flow;
    if (!isProtocolName(protocol))
      throw new InvalidRequest('protocol_invalid', 'protocol', {protocols: PROTOCOL_NAMES.join(', ')});
    const result = await deps.protocols[protocol].checkCredentials(connection);
    await store.audit.record({
      event: 'credentials_checked',
      connection: connection.identifier,
      code: result.diagnosis,
      wecomErrcode: result.errcode ?? null,
      ip: ctx.ip,
    });
    ctx.body = result;
  });

  router.get('/api/refusals', async (ctx) => {
    // This process's counts so far first; other processes add theirs within a minute.
    await refusals.flush();
    ctx.body = {items: await store.refusals.list((deps.now ?? Date.now)() - 48 * 60 * 60_000)};
  });

  router.get('/api/audit', async (ctx) => {
    ctx.body = await store.audit.list({
      connection: queryParam(ctx, 'connection') || undefined,
      event: queryParam(ctx, 'event') || undefined,
      ...readPage(ctx),
    });
  });
}

/** `limit` (1–200, default 50) and the opaque `cursor` of newest-first pages. */
function readPage(ctx: Koa.Context): {limit: number; cursor?: string} {
  const limitParam = queryParam(ctx, 'limit');
  const limit = limitParam === undefined ? 50 : Number(limitParam);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new InvalidRequest('limit_invalid', 'limit');
  const cursor = queryParam(ctx, 'cursor');
  if (cursor !== undefined && !/^[0-9]{1,15}$/.test(cursor)) throw new InvalidRequest('cursor_invalid', 'cursor');
  return {limit, cursor};
}
