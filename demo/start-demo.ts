import http from 'node:http';
import path from 'node:path';
import {loadConfig} from '../server/config.ts';
import {openDatabase} from '../server/db/database.ts';
import {UnknownConnection} from '../server/errors.ts';
import {createLogger} from '../server/logger.ts';
import {createLoginServer} from '../server/login-server.ts';
import {resolveSecretKey} from '../server/secret-key.ts';
import {DEMO, demoUrl} from './demo-settings.ts';
import {createHostSite} from './host-site/host-site.ts';
import {createWecomSimulator} from './wecom-simulator/simulator.ts';

/**
 * `npm start`: the login server, the WeCom simulator and a host site on three localhost ports, on
 * the SQLite file under ./data/. Safe to run again: it reuses the data and the seeded connection.
 */
async function startDemo(): Promise<void> {
  const loginUrl = demoUrl(DEMO.loginPort);
  const simulatorUrl = demoUrl(DEMO.simulatorPort);
  const hostUrl = demoUrl(DEMO.hostPort);
  const config = loadConfig({...process.env, PORT: String(DEMO.loginPort), PUBLIC_URL: loginUrl, WECOM_API_BASE: simulatorUrl, WECOM_SSO_BASE: simulatorUrl});
  const log = createLogger();

  const simulator = createWecomSimulator({
    providers: [{
      corpId: DEMO.corpId,
      providerSecret: DEMO.providerSecret,
      loginDomains: [new URL(loginUrl).host],
      callbackDomains: [new URL(loginUrl).host],
      businessSettingUrl: `${loginUrl}/connections/${DEMO.connection}/launch`,
    }],
  });
  const db = openDatabase(config.databasePath);
  const masterKey = resolveSecretKey(config.secretKeyBase64, path.dirname(config.databasePath), (message) => log.warn(message));
  const {app, store} = await createLoginServer({...config, db, masterKey, log});
  await seedDemoConnection(store, hostUrl);

  await Promise.all([
    listen(simulator.app.callback(), DEMO.simulatorPort, 'WeCom simulator'),
    listen(app.callback(), DEMO.loginPort, 'login server'),
    listen(createHostSite({loginServerUrl: loginUrl, connection: DEMO.connection}).callback(), DEMO.hostPort, 'demo host site'),
  ]);
  console.log(`\nwecom-sp-login demo is running (data: ${config.databasePath})
  Demo site (open this):     ${hostUrl}/
  Login server:              ${loginUrl}/healthz
  WeCom simulator console:   ${simulatorUrl}/sim/admin-console   (launch as an admin, no QR)
Press Ctrl+C to stop.`);
  const stop = () => {
    db.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function seedDemoConnection(store: Awaited<ReturnType<typeof createLoginServer>>['store'], hostUrl: string): Promise<void> {
  try {
    await store.connections.get(DEMO.connection);
  } catch (error) {
    if (!(error instanceof UnknownConnection)) throw error;
    await store.connections.create({
      identifier: DEMO.connection,
      displayName: 'Demo 企业微信',
      corpId: DEMO.corpId,
      providerSecret: DEMO.providerSecret,
      callbackUrl: '',
      loginMode: 'login-and-register',
      usertype: 'member',
      allowedOrigins: [hostUrl],
      launchUrl: `${hostUrl}/app`,
    });
  }
}

function listen(handler: http.RequestListener, port: number, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = http.createServer(handler);
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(new Error(error.code === 'EADDRINUSE' ? `Port ${port} (${name}) is in use. Stop what uses it, or set DEMO_LOGIN_PORT / DEMO_SIMULATOR_PORT / DEMO_HOST_PORT.` : error.message));
    });
    server.listen(port, resolve);
  });
}

startDemo().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
