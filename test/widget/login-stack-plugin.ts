import type {TestRunnerPlugin} from '@web/test-runner';
import {redirectParams, startLoginStack, type Harness} from '../helpers/login-harness.ts';

/** What the browser tests learn from GET /__login-stack. */
export interface LoginStackInfo {
  /** The login server's base URL (its own origin). */
  server: string;
  /** The WeCom simulator's base URL. */
  simulator: string;
  /** The test pages' origin, the one origin the `acme` connection allows. */
  origin: string;
}

/**
 * A web-test-runner plugin that runs the real login server and the WeCom simulator beside the
 * test pages, each on its own port (so three origins, as in production), and gives the browser
 * tests a few GET hooks under /__login-stack for what only a phone or another browser could do.
 */
export function loginStackPlugin(): TestRunnerPlugin {
  let stack: {harness: Harness; close: () => Promise<void>} | undefined;
  let origin = '';
  return {
    name: 'login-stack',
    async serverStart({config}) {
      origin = `http://${config.hostname}:${config.port}`;
      stack = await startLoginStack({allowedOrigins: [origin], connection: {launchUrl: `${origin}/launch-landing`}});
    },
    async serverStop() {
      await stack?.close();
    },
    async serve(context) {
      if (!context.path.startsWith('/__login-stack') || !stack) return undefined;
      const {harness} = stack;
      const query = new URLSearchParams(context.querystring);
      const json = (value: unknown) => ({
        body: JSON.stringify(value),
        type: 'application/json',
        headers: {'cache-control': 'no-store'},
      });
      switch (context.path) {
        case '/__login-stack':
          return json({server: harness.baseUrl, simulator: harness.simulatorUrl, origin} satisfies LoginStackInfo);
        case '/__login-stack/scan-url': {
          // The URL a phone's scan of the QR code of the login with this nonce leads to; the test
          // navigates the popup or panel there. Matched by nonce, not "the newest": earlier tests'
          // QR codes stay on the simulator's screen, and this login's page may not have loaded yet.
          const key = await qrCodeOfNonce(harness, query.get('nonce') ?? '');
          return json({
            url: key ? `${harness.simulatorUrl}/wwopen/sso/sim/scan?key=${key}&as=${query.get('as') ?? 'alice'}` : null,
          });
        }
        case '/__login-stack/redirect-login': {
          // A whole redirect-mode login done by another browser, with that browser's own code
          // verifier: the Location it ends on, ticket included.
          const params = {...redirectParams(query.get('return_to')!).params, origin, nonce: query.get('nonce')!};
          const {qrPage} = await harness.openQrPage(params);
          const callback = await harness.scan(qrPage, query.get('as') ?? 'alice');
          return json({location: callback.headers.get('location')});
        }
        case '/__login-stack/launch': {
          // The admin console's launch of the app as an admin: the Location it ends on.
          const console = await harness.browser.get(
            `${harness.simulatorUrl}/sim/admin-console/launch?provider=${harness.simulator.providers[0]!.corpId}` +
              `&as=${query.get('as') ?? 'bob'}`,
          );
          const launch = await harness.browser.get(console.headers.get('location')!, console);
          return json({location: launch.headers.get('location')});
        }
        default:
          return {body: 'unknown hook', type: 'text/plain'};
      }
    },
  };
}

/** The key of the QR code shown for the login started with `nonce`, once its page has loaded. */
async function qrCodeOfNonce(harness: Harness, nonce: string): Promise<string | null> {
  for (const {key, state} of harness.simulator.shownQrCodes().reverse()) {
    const transaction = state ? await harness.store.loginStates.peekTransaction(state) : null;
    if (transaction?.nonce === nonce) return key;
  }
  return null;
}
