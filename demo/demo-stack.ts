import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {createSecretBox} from '../server/crypto/secret-box.ts';
import {createSealer} from '../server/db/sealed-columns.ts';
import {assertSecretKeyOpens} from '../server/db/secret-key-check.ts';
import {openDatabase, type SqliteDatabase} from '../server/db/sqlite/sqlite-database.ts';
import {createSqliteStore} from '../server/db/sqlite/sqlite-store.ts';
import type {ConnectionInput, ConnectionWithSecret} from '../server/connections/connection.ts';
import type {Store} from '../server/db/store.ts';
import {UnknownConnection} from '../server/errors.ts';
import type {Logger} from '../server/logger.ts';
import {createLoginServer} from '../server/login-server.ts';
import {generateCallbackSecrets} from '../server/wecom/callback-secrets.ts';
import {DEMO} from './demo-settings.ts';
import {createOidcClientManager} from '../server/oidc/oidc-clients.ts';
import {DEFAULT_CUSTOMER_CORP_ID} from './wecom-simulator/identities.ts';
import {createHostSite} from './host-site/host-site.ts';
import {createWecomSimulator, type WecomSimulator} from './wecom-simulator/simulator.ts';
import {appSuiteFor, loginSuiteFor} from './wecom-simulator/connection-suites.ts';

/** Where the demo listens and keeps its data. Port 0 picks a free port (tests). */
export interface DemoStackOptions {
  loginPort: number;
  simulatorPort: number;
  hostPort: number;
  databasePath: string;
  masterKey: Buffer;
  log: Logger;
  /** Host for the three origins' URLs; `localhost` by default. */
  hostname?: string;
  /** ADMIN_TOKEN of the login server: enables /api and the /admin console. */
  adminToken?: string;
  /** RATE_LIMIT_PER_MINUTE of the login server; the server's default when unset. */
  rateLimitPerMinute?: number;
}

/** The running demo: three origins, their state, and how to stop them. */
export interface DemoStack {
  loginUrl: string;
  simulatorUrl: string;
  hostUrl: string;
  store: Store;
  db: SqliteDatabase;
  simulator: WecomSimulator;
  close(): Promise<void>;
}

/**
 * Starts the login server, the WeCom simulator (as the server's WECOM_API_BASE and WECOM_SSO_BASE)
 * and the demo host site, each on its own port, and seeds the demo connection when it is missing.
 * The ports are bound first, so that each origin is known before the apps that name it are made.
 */
export async function startDemoStack(options: DemoStackOptions): Promise<DemoStack> {
  const hostname = options.hostname ?? 'localhost';
  const servers: http.Server[] = [];
  const bind = async (port: number, name: string): Promise<{server: http.Server; url: string}> => {
    const server = http.createServer();
    servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        reject(
          new Error(
            error.code === 'EADDRINUSE'
              ? `Port ${port} (${name}) is in use. Stop what uses it, or set DEMO_LOGIN_PORT / ` +
                  `DEMO_SIMULATOR_PORT / DEMO_HOST_PORT.`
              : error.message,
          ),
        );
      });
      server.listen(port, resolve);
    });
    return {server, url: `http://${hostname}:${(server.address() as AddressInfo).port}`};
  };
  const login = await bind(options.loginPort, 'login server');
  const wecom = await bind(options.simulatorPort, 'WeCom simulator');
  const host = await bind(options.hostPort, 'demo host site');

  const simulator = createWecomSimulator({
    providers: [
      {
        corpId: DEMO.corpId,
        providerSecret: DEMO.providerSecret,
        loginDomains: [new URL(login.url).host],
        callbackDomains: [new URL(login.url).host],
        businessSettingUrl: `${login.url}/connections/${DEMO.connection}/launch`,
      },
    ],
  });
  // The demo is SQLite by design (one file, no setup); `db` lets its tests write history directly.
  const db = openDatabase(options.databasePath);
  const box = createSecretBox(options.masterKey);
  const store = createSqliteStore(db, createSealer(box));
  await assertSecretKeyOpens(store, box);
  const {app} = await createLoginServer({
    store,
    masterKey: options.masterKey,
    publicUrl: login.url,
    wecomApiBase: wecom.url,
    wecomSsoBase: wecom.url,
    wecomLoginBase: wecom.url,
    wecomOauthBase: wecom.url,
    adminToken: options.adminToken,
    rateLimitPerMinute: options.rateLimitPerMinute,
    log: options.log,
  });
  // The demo connection also has the provider's app suite, for members inside the WeCom client.
  const appSecrets = generateCallbackSecrets();
  const demo = await seedConnection(
    store,
    host.url,
    {
      identifier: DEMO.connection,
      displayName: 'Demo 企业微信',
      corpId: DEMO.corpId,
      providerSecret: DEMO.providerSecret,
      appSuiteId: DEMO.appSuiteId,
      appSuiteSecret: DEMO.appSuiteSecret,
      appCallbackToken: appSecrets.callbackToken,
      appEncodingAesKey: appSecrets.encodingAesKey,
    },
    '/app',
  );
  // The 登录授权 app's callback settings are the connection's, as an operator copies them into WeCom.
  const serviceApp = await seedConnection(
    store,
    host.url,
    {
      identifier: DEMO.serviceAppConnection,
      displayName: 'Demo 企业微信 · 新版登录',
      corpId: DEMO.corpId,
      flow: 'service-app',
      suiteId: DEMO.suiteId,
      suiteSecret: DEMO.suiteSecret,
      // The 业务设置 launch admits admins only, and only get_login_info (with the ProviderSecret) says who is one.
      providerSecret: DEMO.providerSecret,
      ...generateCallbackSecrets(),
    },
    '/app?flow=service-app',
  );
  simulator.suites.suites.push(
    loginSuiteFor(login.url, DEMO.serviceAppConnection, {
      corpId: DEMO.corpId,
      suiteId: DEMO.suiteId,
      suiteSecret: DEMO.suiteSecret,
      callbackToken: serviceApp.callbackToken!,
      encodingAesKey: serviceApp.encodingAesKey!,
    }),
    appSuiteFor(login.url, DEMO.connection, {
      corpId: DEMO.corpId,
      suiteId: DEMO.appSuiteId,
      suiteSecret: DEMO.appSuiteSecret,
      callbackToken: demo.appCallbackToken!,
      encodingAesKey: demo.appEncodingAesKey!,
    }),
  );
  wecom.server.on('request', simulator.app.callback());
  login.server.on('request', app.callback());
  const oidcAppUrl = `${host.url}/oidc-app`;
  host.server.on(
    'request',
    createHostSite({
      loginServerUrl: login.url,
      simulatorUrl: wecom.url,
      siteOrigin: host.url,
      connections: {legacy: DEMO.connection, serviceApp: DEMO.serviceAppConnection},
      oidcApp: {
        issuer: `${login.url}/oidc`,
        appUrl: oidcAppUrl,
        clientId: DEMO.oidcClient,
        clientSecret: await seedOidcClient(store, oidcAppUrl),
      },
    }).callback(),
  );
  // As WeCom does when the callback is saved (the URL check), then a ticket now and every ten minutes.
  for (const suiteId of [DEMO.suiteId, DEMO.appSuiteId]) {
    const check = await simulator.ticketPusher.verifyCallback(suiteId);
    if (!check.accepted) options.log.warn("The simulator's callback check failed", {suiteId, status: check.status});
  }
  simulator.ticketPusher.start();

  return {
    loginUrl: login.url,
    simulatorUrl: wecom.url,
    hostUrl: host.url,
    store,
    db,
    simulator,
    async close() {
      simulator.ticketPusher.stop();
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
      await store.close();
    },
  };
}

/**
 * Creates a demo connection unless it exists (a second start keeps what the first stored), and
 * points it at this start's host site, which moves when DEMO_HOST_PORT does. Returns it with its
 * secrets: the new login's callback secrets are made once and given to the simulator each start.
 */
async function seedConnection(
  store: Store,
  hostUrl: string,
  input: Omit<ConnectionInput, 'allowedOrigins' | 'launchUrl' | 'callbackUrl' | 'loginMode' | 'usertype'>,
  launchPath: string,
): Promise<ConnectionWithSecret> {
  const launchUrl = `${hostUrl}${launchPath}`;
  try {
    const existing = await store.connections.get(input.identifier);
    if (!existing.allowedOrigins.includes(hostUrl))
      await store.connections.update(input.identifier, {
        allowedOrigins: [...existing.allowedOrigins, hostUrl],
        launchUrl,
      });
    // A demo database from before a launch needed the ProviderSecret on the new login.
    if (input.providerSecret && !existing.secretsSet.includes('providerSecret'))
      await store.connections.update(input.identifier, {providerSecret: input.providerSecret});
    // A demo database from before the app suite (logins inside WeCom).
    if (input.appSuiteId && existing.appSuiteId === null)
      await store.connections.update(input.identifier, appSuiteOf(input));
  } catch (error) {
    if (!(error instanceof UnknownConnection)) throw error;
    await store.connections.create({
      ...input,
      callbackUrl: '',
      loginMode: 'login-and-register',
      usertype: 'member',
      allowedOrigins: [hostUrl],
      launchUrl,
    });
  }
  return store.connections.getForExchange(input.identifier);
}

/**
 * Registers the demo's team app as an OpenID client of the `demo` connection (the default cast's
 * enterprise only), or points the one a first start registered at this start's host site; returns
 * a fresh secret either way (the store never gives one back).
 */
async function seedOidcClient(store: Store, appUrl: string): Promise<string> {
  const clients = createOidcClientManager(store, {httpsOnly: false});
  const fields = {redirectUris: [`${appUrl}/callback`], postLogoutRedirectUris: [appUrl]};
  if (await store.oidcClients.get(DEMO.oidcClient)) {
    await clients.update(DEMO.oidcClient, fields);
    return (await clients.rotateSecret(DEMO.oidcClient)).clientSecret!;
  }
  const created = await clients.create({
    clientId: DEMO.oidcClient,
    name: 'Demo team app',
    connection: DEMO.connection,
    allowedCorpIds: [DEFAULT_CUSTOMER_CORP_ID],
    ...fields,
  });
  return created.clientSecret!;
}

/** The app suite fields of a seed, for a demo database made before it had one. */
function appSuiteOf(input: Partial<ConnectionInput>): Partial<ConnectionInput> {
  const {appSuiteId, appSuiteSecret, appCallbackToken, appEncodingAesKey} = input;
  return {appSuiteId, appSuiteSecret, appCallbackToken, appEncodingAesKey};
}
