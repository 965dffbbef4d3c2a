import path from 'node:path';
import {ConfigError, loadConfig} from './config.ts';
import {openDatabase} from './db/database.ts';
import {createLogger} from './logger.ts';
import {createLoginServer} from './login-server.ts';
import {resolveSecretKey} from './secret-key.ts';

/** Starts the login server from environment variables; the only place that reads process.env. */
export async function main(env: Record<string, string | undefined> = process.env): Promise<void> {
  const log = createLogger();
  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`Configuration error: ${error.message}`);
    process.exit(1);
  }
  const masterKey = resolveSecretKey(config.secretKeyBase64, path.dirname(config.databasePath), (message) => log.warn(message));
  const db = openDatabase(config.databasePath);
  const {app} = await createLoginServer({...config, db, masterKey, log});
  const server = app.listen(config.port, () => {
    log.info('wecom-sp-login server listening', {url: config.publicUrl, port: config.port, database: config.databasePath, adminApi: config.adminToken ? 'enabled' : 'disabled'});
  });
  const stop = (signal: string) => {
    log.info('Shutting down', {signal});
    server.close(() => {
      db.close();
      process.exit(0);
    });
    // Keep-alive connections would hold close() open; give in-flight requests a moment, then go.
    setTimeout(() => server.closeAllConnections(), 5_000).unref();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
