import type Router from '@koa/router';
import type {AppDeps} from '../app-deps.ts';
import {createOidcClientManager} from '../oidc/oidc-clients.ts';
import {readJsonBody} from './request-body.ts';

/**
 * The OpenID provider's clients under /api/oidc-clients, behind the admin token like the rest of
 * /api (which requireAdminToken guards for every path below it). A secret is in the answer to the
 * create and the rotate only; the audit log names the fields changed, never a value.
 */
export function addOidcClientRoutes(router: Router, deps: AppDeps): void {
  const {store} = deps;
  const clients = createOidcClientManager(store, {httpsOnly: deps.production}, deps.now);
  const audit = (
    event: Parameters<typeof store.audit.record>[0]['event'],
    connection: string,
    ip: string,
    detail?: string,
  ) => store.audit.record({event, connection, ip, detail: detail ?? null});

  router.get('/api/oidc-clients', async (ctx) => {
    ctx.body = {items: await clients.list()};
  });

  router.post('/api/oidc-clients', readJsonBody, async (ctx) => {
    const client = await clients.create(ctx.request.body);
    await audit('oidc_client_created', client.connection, ctx.ip, `client: ${client.clientId}`);
    ctx.status = 201;
    ctx.body = client;
  });

  router.get('/api/oidc-clients/:clientId', async (ctx) => {
    ctx.body = await clients.get(ctx.params.clientId!);
  });

  router.patch('/api/oidc-clients/:clientId', readJsonBody, async (ctx) => {
    const {client, changed} = await clients.update(ctx.params.clientId!, ctx.request.body);
    await audit(
      'oidc_client_updated',
      client.connection,
      ctx.ip,
      `client: ${client.clientId}; changed: ${changed.join(', ') || 'nothing'}`,
    );
    ctx.body = client;
  });

  router.delete('/api/oidc-clients/:clientId', async (ctx) => {
    const client = await clients.get(ctx.params.clientId!);
    await clients.remove(client.clientId);
    await audit('oidc_client_deleted', client.connection, ctx.ip, `client: ${client.clientId}`);
    ctx.status = 204;
  });

  router.post('/api/oidc-clients/:clientId/secret', async (ctx) => {
    const client = await clients.rotateSecret(ctx.params.clientId!);
    await audit('oidc_client_secret_rotated', client.connection, ctx.ip, `client: ${client.clientId}`);
    ctx.body = client;
  });
}
