import {bodyParser} from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import {addApiRoutes} from './api-routes.ts';
import {createSimulatorState, type SimulatorOptions, type SimulatorState} from './simulator-state.ts';
import {addSsoRoutes} from './sso-routes.ts';

export type {SimulatedProvider, SimulatorOptions, Fault} from './simulator-state.ts';

/** The simulated WeCom: a Koa app plus the knobs and counters tests drive it with. */
export interface WecomSimulator extends SimulatorState {
  app: Koa;
  /** Keys of the QR codes shown and not yet scanned or cancelled, oldest first. */
  shownQrCodes(): string[];
}

/**
 * Creates a WeCom stand-in faithful to §9 of docs/wecom-protocol.md: the 3rd_qrConnect page,
 * get_provider_token, get_login_info and the admin-console launch, on one origin.
 */
export function createWecomSimulator(options: SimulatorOptions): WecomSimulator {
  const state = createSimulatorState(options);
  const app = new Koa();
  app.silent = true;
  app.use(bodyParser({
    enableTypes: ['json'],
    // WeCom parses the body whatever the content type says.
    detectJSON: () => true,
    onError: (_error, ctx) => {
      ctx.state.badJson = true;
    },
  }));
  const router = new Router();
  addApiRoutes(router, state);
  const shownQrCodes = addSsoRoutes(router, state);
  app.use(router.routes());
  return {...state, app, shownQrCodes};
}
