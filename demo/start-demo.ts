import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {loadConfig} from '../server/config.ts';
import {createLogger} from '../server/logger.ts';
import {resolveSecretKey} from '../server/secret-key.ts';
import {startDemoStack} from './demo-stack.ts';
import {DEMO} from './demo-settings.ts';

/**
 * `npm start`: the login server, the WeCom simulator and a host site on three localhost ports, on
 * the SQLite file under ./data/. Safe to run again: it reuses the data and the seeded connection.
 */
async function main(): Promise<void> {
  const config = loadConfig({...process.env, PORT: String(DEMO.loginPort)});
  const log = createLogger();
  const masterKey = resolveSecretKey(config.secretKeyBase64, config.databasePath, (message) => log.warn(message));
  const adminTokenFile = path.join(path.dirname(config.databasePath), 'admin.token');
  const adminToken = config.adminToken ?? demoAdminToken(adminTokenFile);
  const demo = await startDemoStack({
    adminToken,
    loginPort: DEMO.loginPort,
    simulatorPort: DEMO.simulatorPort,
    hostPort: DEMO.hostPort,
    databasePath: config.databasePath,
    masterKey,
    log,
  });
  console.log(`\nwecom-sp-login demo is running (data: ${config.databasePath})
  Demo site (open this):     ${demo.hostUrl}/
  Login server:              ${demo.loginUrl}/healthz
  WeCom simulator console:   ${demo.simulatorUrl}/sim/admin-console   (launch as an admin, no QR)
  WeCom workbench:           ${demo.simulatorUrl}/sim/workbench   (open the app inside WeCom as a member, no QR)
  Admin console:             ${demo.loginUrl}/admin   (sign in with ${
    config.adminToken ? 'your ADMIN_TOKEN' : `the token in ${adminTokenFile}`
  })
Press Ctrl+C to stop.`);
  const stop = () => {
    void demo.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** The demo's admin token: kept in the data folder (owner-only), made on the first start. */
function demoAdminToken(file: string): string {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), {recursive: true});
    fs.writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, {mode: 0o600});
  }
  return fs.readFileSync(file, 'utf8').trim();
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
