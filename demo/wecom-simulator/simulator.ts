import {bodyParser} from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import {addApiRoutes} from './api-routes.ts';
import {addOauthRoutes} from './oauth-routes.ts';
import {addSuiteApiRoutes} from './suite-api-routes.ts';
import {createSimulatorState, type SimulatorOptions, type SimulatorState} from './simulator-state.ts';
import {addSsoRoutes, type ShownQrCode} from './sso-routes.ts';
import {createTicketPusher, type TicketPusher} from './ticket-pusher.ts';

export type {SimulatedProvider, SimulatorOptions, Fault} from './simulator-state.ts';
export type {SimulatedLoginSuite} from './login-suites.ts';

/** The simulated WeCom: a Koa app plus the knobs and counters tests drive it with. */
export interface WecomSimulator extends SimulatorState {
  app: Koa;
  /** The 登录授权 callback's other end: URL checks and suite_ticket pushes. */
  ticketPusher: TicketPusher;
  /** The QR codes shown and not yet scanned or cancelled, oldest first. */
  shownQrCodes(): ShownQrCode[];
}

/**
 * Creates a WeCom stand-in faithful to §9 of docs/wecom-protocol.md: the 3rd_qrConnect page,
 * get_provider_token, get_login_info and the admin-console launch; WeCom's new login and its suite
 * callbacks (wecom-serviceapp.md); and the in-client OAuth of app suites (wecom-inclient.md §11).
 * One origin stands in for all of WeCom's hosts.
 */
export function createWecomSimulator(options: SimulatorOptions): WecomSimulator {
  const state = createSimulatorState(options);
  const app = new Koa();
  app.silent = true;
  app.use(
    bodyParser({
      enableTypes: ['json'],
      // WeCom parses the body whatever the content type says.
      detectJSON: () => true,
      onError: (_error, ctx) => {
        ctx.state.badJson = true;
      },
    }),
  );
  const router = new Router();
  addApiRoutes(router, state);
  addSuiteApiRoutes(router, state);
  const ticketPusher = createTicketPusher(state.suites, {fetch: options.callbackFetch});
  // "企业微信自动推送该通知事件至服务商后台" (doc 95716): a member without a licence opened the app.
  addOauthRoutes(router, state, {
    onUnlicensed: (suiteId, corpId, userId) =>
      void ticketPusher.pushDataEvent(suiteId, corpId, 'unlicensed_notify', userId).catch(() => {}),
  });
  const shownQrCodes = addSsoRoutes(router, state);
  // The 刷新Ticket button of the 登录授权 page, and "save" of its callback config (the URL check).
  router.post('/sim/suites/:suiteId/refresh-ticket', async (ctx) => {
    ctx.body = await ticketPusher.pushTicket(ctx.params.suiteId!);
  });
  router.post('/sim/suites/:suiteId/verify-callback', async (ctx) => {
    ctx.body = await ticketPusher.verifyCallback(ctx.params.suiteId!);
  });
  // An app suite's 指令回调 events (create_auth, change_auth, cancel_auth …) for an enterprise.
  router.post('/sim/suites/:suiteId/events/:infoType', async (ctx) => {
    ctx.body = await ticketPusher.pushSuiteEvent(
      ctx.params.suiteId!,
      ctx.params.infoType!,
      String(ctx.query.corp ?? ''),
    );
  });
  app.use(router.routes());
  return {...state, app, shownQrCodes, ticketPusher};
}
