import http from 'node:http';
import {loadConfig, type Config} from './config.ts';
import {ConfigError} from './settings/config-error.ts';
import {checkConnection} from './connections/connection-validation.ts';
import {createSecretBox} from './crypto/secret-box.ts';
import {openStore} from './db/open-store.ts';
import type {Store} from './db/store.ts';
import {InvalidRequest} from './errors.ts';
import {createLogger, type Logger} from './logger.ts';
import {createLoginServer} from './login-server.ts';
import {resolveSecretKey} from './secret-key.ts';
import {VERSION} from './version.ts';

/** Starts the login server from environment variables; the only place that reads process.env. */
export async function main(env: Record<string, string | undefined> = process.env): Promise<void> {
  // Set on SIGTERM: /readyz then answers 503, so a load balancer that checks it sends nothing new here.
  let draining = false;
  let started;
  try {
    started = await start(env, () => draining);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // One line in the log's own format, naming the variable; a stack would only bury it.
    createLogger().error(`Configuration error: ${error.message}`, {variable: error.variable});
    process.exit(1);
  }
  const {server, store, config, log, schema} = started;
  server.listen(config.port, config.host, () => {
    log.info('wecom-sp-login server listening', {
      version: VERSION,
      url: config.publicUrl,
      host: config.host ?? '*',
      port: config.port,
      trustProxy: config.trustProxy,
      database: store.location,
      schema,
      adminApi: config.adminToken ? 'enabled' : 'disabled',
    });
  });
  // SIGTERM (systemd's stop, a rolling restart): stop accepting at once, so the proxy sends new
  // requests to another process (a refused connection is retried there); answer what is in flight;
  // then close the database and exit. Idle keep-alive connections close now, busy ones after their
  // answer, and any still open after 10 s are cut.
  const stop = (signal: string) => {
    if (draining) return;
    draining = true;
    log.info('Shutting down: no new connections, finishing the requests in flight', {signal});
    server.close(() => {
      log.info('Stopped', {signal});
      void store.close().finally(() => process.exit(0));
    });
    setTimeout(() => server.closeAllConnections(), 10_000).unref();
  };
  // Hourly, and once now: retention, expired states, and the freed space given back.
  const maintain = async () => {
    try {
      const removed = await store.maintain({auditRetentionDays: config.auditRetentionDays});
      if (Object.values(removed).some((n) => n > 0)) log.info('Maintenance', {...removed});
    } catch (error) {
      log.warn('Maintenance failed; it runs again within the hour', {error});
    }
  };
  void maintain();
  setInterval(maintain, 60 * 60_000).unref();
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

/**
 * Reads the configuration, opens the database and builds the server; throws ConfigError for anything an operator must
 * fix.
 */
async function start(
  env: Record<string, string | undefined>,
  isDraining: () => boolean,
): Promise<{server: http.Server; store: Store; config: Config; log: Logger; schema: string}> {
  const config = loadConfig(env);
  const log = createLogger(undefined, config.logLevel);
  const masterKey = resolveSecretKey(config.secretKeyBase64, config.databasePath, (message) => log.warn(message));
  let schema = 'current';
  const store = await openStore(config, createSecretBox(masterKey, config.previousMasterKeys), {
    onConnectionError: (error) =>
      log.warn('A pooled PostgreSQL connection was closed; the next query opens a new one', {error: error.message}),
    // Said in the start-up line: an operator rolling an upgrade sees which process moved the schema.
    onMigrated: (from, to) => (schema = `migrated from ${from} to ${to}`),
  });
  try {
    const {app} = await createLoginServer({...config, store, masterKey, log, draining: isDraining});
    // A connection stored before NODE_ENV=production was set could still send results over plain http.
    if (config.production) await assertHttpsConnections(store);
    return {server: limitServer(http.createServer(app.callback()), config), store, config, log, schema};
  } catch (error) {
    await store.close();
    throw error;
  }
}

async function assertHttpsConnections(store: Store): Promise<void> {
  for (const connection of await store.connections.list()) {
    try {
      checkConnection(connection, {httpsOnly: true});
    } catch (error) {
      if (!(error instanceof InvalidRequest)) throw error;
      throw new ConfigError(
        'NODE_ENV',
        `connection "${connection.identifier}": ${error.message} Fix it with \`wecom-sp-login connections update ` +
          `${connection.identifier}\`.`,
      );
    }
  }
}

/**
 * Limits what one client can hold: a slow client gets 15 s for its headers and 30 s for the whole
 * request (no route reads a large body or streams), idle keep-alive sockets close after 5 s, and no
 * more than MAX_CONNECTIONS sockets are open at once.
 */
function limitServer(server: http.Server, config: Config): http.Server {
  server.headersTimeout = 15_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  server.maxConnections = config.maxConnections;
  return server;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
