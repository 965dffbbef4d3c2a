import {execFile, execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {promisify} from 'node:util';
import {randomBytes} from 'node:crypto';
import {cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import type {LookupFunction} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {Agent, request} from 'undici';
import {freePort, listenOnFreePort} from '../helpers/local-ports.ts';
import {readEnvironmentFile} from '../../server/cli/env-file.ts';
import {createWecomSimulator, type WecomSimulator} from '../../demo/wecom-simulator/simulator.ts';
import {appSuiteFor, loginSuiteFor} from '../../demo/wecom-simulator/connection-suites.ts';
import {generateCallbackSecrets} from '../../server/wecom/callback-secrets.ts';
import {startNginx, stopProcess, type NginxProxy} from './nginx-proxy.ts';
import {createShopSite} from './shop-site.ts';
import {startApacheApp, type ApacheApp} from './apache-oidc-app.ts';
import {startConnectProxy} from './connect-proxy.ts';
import {
  DEFAULT_CUSTOMER_CORP_ID,
  DEFAULT_IDENTITIES,
  type ScriptedIdentity,
} from '../../demo/wecom-simulator/identities.ts';
import {makeTestCertificates} from './tls-certificates.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const execFileAsync = promisify(execFile);
const CORP_ID = 'wwprodprovider0001';
const PROVIDER_SECRET = `prod-secret-${randomBytes(12).toString('hex')}`;
/** The provider's 登录授权 app, and the `acme-sa` connection of WeCom's new login. */
const SUITE_ID = 'wwprodloginsuite1';
const SUITE_SECRET = `prod-suite-secret-${randomBytes(12).toString('hex')}`;
const {callbackToken: CALLBACK_TOKEN, encodingAesKey: ENCODING_AES_KEY} = generateCallbackSecrets();
/** The provider's app suite on `acme`: members inside the WeCom client log in with no QR code. */
const APP_SUITE_ID = 'wwprodappsuite001';
const APP_SUITE_SECRET = `prod-app-suite-secret-${randomBytes(12).toString('hex')}`;
const {callbackToken: APP_CALLBACK_TOKEN, encodingAesKey: APP_ENCODING_AES_KEY} = generateCallbackSecrets();
/** Where the edits put the shipped site's access log, in the test's nginx folder. */
const SITE_LOG = 'wecom-sp-login.access.log';
/** A line of the shipped log format: host, path and the upstream that answered. */
const SITE_LOG_LINE = /^\S+ \[[^\]]+\] (\S+) "\S+ (\S+) [^"]+" \d+ \S+ \S+ (\S+)/;
/** The login server's and the shop's host names, mapped to 127.0.0.1 in Chromium and in the test's own client. */
export const LOGIN_HOST = 'login.example.test';
export const SHOP_HOST = 'shop.example.test';
export const WECOM_HOST = 'wecom.example.test';
/** A team app behind Apache and mod_auth_openidc, which logs in through the OpenID provider. */
export const APP_HOST = 'app.example.test';
/** The enterprise of the default cast, which the app's `Require claim corp_id:` admits. */
export const APP_ADMITTED_CORP = DEFAULT_CUSTOMER_CORP_ID;
/** A member of another enterprise that installed the provider's app: the OpenID client admits it, Apache does not. */
export const OTHER_CORP_MEMBER: ScriptedIdentity = {
  key: 'zoe',
  label: 'Zoe · 其他企业成员 another enterprise',
  corpId: 'wwothercustomer01',
  usertype: 5,
  userid: 'zoe',
  openUserid: 'wozoe000OpenUserId5',
  avatar: 'https://wework.qpic.cn/wwhead/zoe/0',
  inContacts: true,
};

/** The deployment under test and what the test needs to drive it. */
export interface ProductionStack {
  loginUrl: string;
  shopUrl: string;
  wecomUrl: string;
  /** The team app protected by mod_auth_openidc (its pages under /protected). */
  appUrl: string;
  /** What Apache logged (mod_auth_openidc's errors). */
  apacheLog(): string;
  adminToken: string;
  /** METRICS_TOKEN of the processes. */
  metricsToken: string;
  /** base64 SHA-256 of the TLS key, for Chromium's --ignore-certificate-errors-spki-list. */
  spkiHash: string;
  /** Chromium's --host-resolver-rules value. */
  hostResolverRules: string;
  /** An https request through nginx from the loopback address `clientAddress` (127.0.0.1 by default). */
  fetchThroughProxy(
    url: string,
    options?: {clientAddress?: string; headers?: Record<string, string>; method?: string; body?: string},
  ): Promise<{status: number; headers: Record<string, string | string[] | undefined>; text: string}>;
  /** Upstream address of each proxied request to the login server, by path (from the site's own access log). */
  upstreamsOf(pathPrefix: string): string[];
  /** The lines of the shipped site's access log, as nginx wrote them to disk. */
  siteAccessLog(): string[];
  /**
   * The two server processes' own addresses, behind nginx (a request there must say what nginx would in X-Forwarded-*).
   */
  serverUrls: [string, string];
  /** The port nginx terminates TLS on, for raw connections to it. */
  tlsPort: number;
  /** The test CA, for raw TLS connections to nginx. */
  caPem: string;
  /** What the two server processes wrote to stderr. */
  serverLogs(): string;
  /**
   * Restarts server process 0 or 1 as `systemctl restart` does with the unit: SIGTERM, wait for it
   * to exit, start it, return once it answers /readyz. `change` edits the environment file first
   * (undefined removes a variable), as an operator does before a restart.
   */
  restartServer(index: 0 | 1, change?: Record<string, string | undefined>): Promise<void>;
  /** The environment file's settings as they are now. Secret. */
  environment(): Record<string, string>;
  /** Runs the CLI as the README shows, `--env-file` the service's file; returns its output. */
  cli(args: string[], input?: string, extra?: Record<string, string>): string;
  /** The simulated WeCom's side of the 登录授权 callback: it reaches the login server through nginx, over TLS. */
  ticketPusher: WecomSimulator['ticketPusher'];
  /** The SuiteID and secrets of `acme-sa`, which no log line may show. */
  newLogin: {suiteId: string; secrets: string[]};
  /** The app suite of `acme` (logins inside the WeCom client), and its secrets, which no log line may show. */
  appSuite: {suiteId: string; secrets: string[]};
  close(): Promise<void>;
}

/**
 * The production shape on one machine: a throw-away CA; nginx with the shipped site configuration
 * terminating TLS for login.example.test, shop.example.test and wecom.example.test; two login-server
 * processes from the compiled build with the systemd unit's settings (NODE_ENV=production,
 * TRUST_PROXY=1) on one SQLite file, or on one PostgreSQL database with `databaseUrl`; the WeCom
 * simulator and a shop page as the other parties.
 */
export async function startProductionStack(options: {
  rateLimitPerMinute: number;
  rateLimitExempt: string;
  databaseUrl?: string;
}): Promise<ProductionStack> {
  const compiledCli = join(ROOT, 'dist/node/server/cli/cli.js');
  if (!existsSync(compiledCli)) throw new Error('The server is not compiled: run `npm run build` first.');
  const folder = mkdtempSync(join(tmpdir(), 'wecom-production-'));
  const closers: Array<() => Promise<void> | void> = [];
  const [tlsPort, plainPort, serverPortA, serverPortB, apachePort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const loginUrl = `https://${LOGIN_HOST}:${tlsPort}`;
  const shopUrl = `https://${SHOP_HOST}:${tlsPort}`;
  const wecomUrl = `https://${WECOM_HOST}:${tlsPort}`;
  const appUrl = `https://${APP_HOST}:${tlsPort}`;
  const adminToken = randomBytes(24).toString('base64url');
  const metricsToken = randomBytes(24).toString('base64url');

  const certificates = makeTestCertificates(folder, [LOGIN_HOST, SHOP_HOST, WECOM_HOST, APP_HOST]);
  // WeCom pushes suite_tickets to the https callback URL, as it would on the internet: through nginx.
  const toLoginServer = new Agent({connect: {ca: certificates.caPem, lookup: resolveToLoopback}});
  closers.push(() => toLoginServer.close());
  const simulator = createWecomSimulator({
    identities: [...DEFAULT_IDENTITIES, OTHER_CORP_MEMBER],
    providers: [
      {
        corpId: CORP_ID,
        providerSecret: PROVIDER_SECRET,
        loginDomains: [new URL(loginUrl).host],
        callbackDomains: [new URL(loginUrl).host],
        businessSettingUrl: `${loginUrl}/connections/acme/launch`,
      },
    ],
    loginSuites: [
      loginSuiteFor(loginUrl, 'acme-sa', {
        corpId: CORP_ID,
        suiteId: SUITE_ID,
        suiteSecret: SUITE_SECRET,
        callbackToken: CALLBACK_TOKEN,
        encodingAesKey: ENCODING_AES_KEY,
      }),
      appSuiteFor(loginUrl, 'acme', {
        corpId: CORP_ID,
        suiteId: APP_SUITE_ID,
        suiteSecret: APP_SUITE_SECRET,
        callbackToken: APP_CALLBACK_TOKEN,
        encodingAesKey: APP_ENCODING_AES_KEY,
      }),
    ],
    callbackFetch: async (url, init = {}) => {
      const response = await request(url, {
        method: (init.method ?? 'GET') as 'GET',
        headers: init.headers,
        body: init.body,
        signal: init.signal,
        dispatcher: toLoginServer,
      });
      return {status: response.statusCode, text: () => response.body.text()};
    },
  });
  const simulatorPort = await listenOnFreePort(http.createServer(simulator.app.callback()), closers);
  const shopPort = await listenOnFreePort(
    http.createServer(createShopSite({loginUrl, connection: 'acme', newLoginConnection: 'acme-sa'})),
    closers,
  );

  const tls = `ssl_certificate ${certificates.certificateFile}; ssl_certificate_key ${certificates.keyFile};`;
  const otherSite = (
    host: string,
    port: number,
  ) => `  server { listen 127.0.0.1:${tlsPort} ssl http2; server_name ${host}; ${tls}
    location / { proxy_pass http://127.0.0.1:${port}; proxy_set_header Host $http_host; } }`;
  // The app's site: Apache behind nginx, told the request came over https (OIDCXForwardedHeaders).
  const appSite = `  server { listen 127.0.0.1:${tlsPort} ssl http2; server_name ${APP_HOST}; ${tls}
    location / { proxy_pass http://127.0.0.1:${apachePort}; proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-Proto https; } }`;
  let nginx: NginxProxy | undefined;
  let apache: ApacheApp | undefined;
  const servers: ChildProcess[] = [];
  let logs = '';
  const close = async () => {
    await Promise.all(servers.map(stopProcess));
    await apache?.stop();
    await nginx?.stop();
    for (const closer of closers) await closer();
  };
  try {
    nginx = await startNginx({
      folder,
      siteConfig: join(ROOT, 'deploy/nginx/wecom-sp-login.conf'),
      edits: [
        ['/etc/letsencrypt/live/login.example.com/fullchain.pem', certificates.certificateFile],
        ['/etc/letsencrypt/live/login.example.com/privkey.pem', certificates.keyFile],
        ['login.example.com', LOGIN_HOST],
        ['listen 443 ssl http2;', `listen 127.0.0.1:${tlsPort} ssl http2;`],
        ['listen [::]:443 ssl http2;', ''],
        ['listen 80;', `listen 127.0.0.1:${plainPort};`],
        ['listen [::]:80;', ''],
        ['/var/log/nginx/wecom-sp-login.access.log', join(folder, SITE_LOG)],
        ['server 127.0.0.1:3000 ', `server 127.0.0.1:${serverPortA} `],
        ['server 127.0.0.1:3001 ', `server 127.0.0.1:${serverPortB} `],
      ],
      otherServers: [otherSite(SHOP_HOST, shopPort), otherSite(WECOM_HOST, simulatorPort), appSite].join('\n'),
    });

    // The environment file as an operator fills it in from the example, at /etc/wecom-sp-login/env's place.
    const envFile = join(folder, 'env');
    let settings: Record<string, string> = {
      ...readEnvironmentFile(join(ROOT, 'deploy/wecom-sp-login.env.example')),
      DATABASE_PATH: join(folder, 'data/wecom-sp-login.db'),
      ...(options.databaseUrl && {DATABASE_URL: options.databaseUrl}),
      PUBLIC_URL: loginUrl,
      SECRET_KEY: randomBytes(32).toString('base64'),
      ADMIN_TOKEN: adminToken,
      METRICS_TOKEN: metricsToken,
      // WeCom's API is reached over loopback; its browser pages through nginx, as WeCom's would be https.
      WECOM_API_BASE: `http://127.0.0.1:${simulatorPort}`,
      WECOM_SSO_BASE: wecomUrl,
      WECOM_LOGIN_BASE: wecomUrl,
      WECOM_OAUTH_BASE: wecomUrl,
      RATE_LIMIT_PER_MINUTE: String(options.rateLimitPerMinute),
      RATE_LIMIT_EXEMPT: options.rateLimitExempt,
    };
    const writeEnvFile = () =>
      writeFileSync(
        envFile,
        Object.entries(settings)
          .map(([name, value]) => `${name}=${value}\n`)
          .join(''),
        {mode: 0o600},
      );
    writeEnvFile();
    // The release as the README installs it, at the path the unit runs it from.
    const bin = unitCommand(join(ROOT, 'deploy/systemd/wecom-sp-login@.service'), await installRelease());
    // As the unit: the EnvironmentFile, then Environment=PORT=%i; "start" returns once wait-ready does.
    const startServer = async (index: number) => {
      const port = String([serverPortA, serverPortB][index]);
      const server = spawn(process.execPath, [bin, 'serve'], {
        env: {PATH: process.env.PATH, ...readEnvironmentFile(envFile), PORT: port},
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      server.stderr!.on('data', (chunk) => (logs += chunk));
      servers[index] = server;
      // Awaited, not run synchronously: traffic in the test process goes on during a restart.
      await execFileAsync(process.execPath, [bin, '--env-file', envFile, 'wait-ready', '--timeout', '30'], {
        env: {PATH: process.env.PATH, PORT: port},
        encoding: 'utf8',
      });
    };
    for (const index of [0, 1]) await startServer(index);
    // The CLI as the README runs it, with the service's settings: on the database the servers made.
    const cli = (args: string[], input = '', extra: Record<string, string> = {}) =>
      execFileSync(process.execPath, [bin, '--env-file', envFile, ...args], {
        env: {PATH: process.env.PATH, ...extra},
        input,
        encoding: 'utf8',
      });
    cli(
      [
        'connections',
        'add',
        '--identifier',
        'acme',
        '--display-name',
        'Acme',
        '--corp-id',
        CORP_ID,
        '--provider-secret-stdin',
        '--allowed-origin',
        shopUrl,
        '--launch-url',
        `${shopUrl}/app`,
      ],
      PROVIDER_SECRET,
    );
    // The app suite as an operator adds it: its Secret on stdin, its callback pair from the environment.
    cli(
      ['connections', 'update', 'acme', '--app-suite-id', APP_SUITE_ID, '--app-suite-secret-stdin'],
      APP_SUITE_SECRET,
      {WECOM_APP_CALLBACK_TOKEN: APP_CALLBACK_TOKEN, WECOM_APP_ENCODING_AES_KEY: APP_ENCODING_AES_KEY},
    );
    // The new login's connection as an operator adds it: the Secret on stdin, the callback pair from the environment.
    cli(
      [
        'connections',
        'add',
        '--identifier',
        'acme-sa',
        '--display-name',
        'Acme 新版',
        '--corp-id',
        CORP_ID,
        '--flow',
        'service-app',
        '--suite-id',
        SUITE_ID,
        '--suite-secret-stdin',
        '--allowed-origin',
        shopUrl,
      ],
      SUITE_SECRET,
      {WECOM_CALLBACK_TOKEN: CALLBACK_TOKEN, WECOM_ENCODING_AES_KEY: ENCODING_AES_KEY},
    );
    // The team app's OpenID client, as the README registers one: both enterprises may log in at the
    // provider; the app's own Apache rule then admits one of them.
    const client = JSON.parse(
      cli([
        'oidc-clients',
        'add',
        '--client-id',
        'team-wiki',
        '--name',
        'Team wiki',
        '--connection',
        'acme',
        '--redirect-uri',
        `${appUrl}/protected/redirect_uri`,
        '--allowed-corp-id',
        APP_ADMITTED_CORP,
        '--allowed-corp-id',
        OTHER_CORP_MEMBER.corpId,
        '--json',
      ]),
    ) as {clientId: string; clientSecret: string};
    const outgoing = await startConnectProxy();
    closers.push(outgoing.close);
    apache = await startApacheApp({
      port: apachePort,
      loginUrl,
      appUrl,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      admittedCorpId: APP_ADMITTED_CORP,
      caPem: certificates.caPem,
      outgoingProxy: outgoing.address,
    });
    const restartServer: ProductionStack['restartServer'] = async (index, change = {}) => {
      // The operator edits /etc/wecom-sp-login/env, then `systemctl restart wecom-sp-login@<port>`.
      settings = Object.fromEntries(
        Object.entries({...settings, ...change}).filter((entry): entry is [string, string] => entry[1] !== undefined),
      );
      writeEnvFile();
      await stopProcess(servers[index]!);
      await startServer(index);
    };
    const agentsByAddress = new Map<string, Agent>();
    const fetchThroughProxy: ProductionStack['fetchThroughProxy'] = async (url, fetchOptions = {}) => {
      const address = fetchOptions.clientAddress ?? '127.0.0.1';
      let client = agentsByAddress.get(address);
      if (!client) {
        client = new Agent({localAddress: address, connect: {ca: certificates.caPem, lookup: resolveToLoopback}});
        agentsByAddress.set(address, client);
      }
      const response = await request(url, {
        method: (fetchOptions.method ?? 'GET') as 'GET',
        headers: fetchOptions.headers,
        body: fetchOptions.body,
        dispatcher: client,
      });
      return {status: response.statusCode, headers: response.headers, text: await response.body.text()};
    };
    closers.push(() =>
      Promise.all([...agentsByAddress.values()].map((client) => client.close())).then(() => undefined),
    );
    return {
      loginUrl,
      shopUrl,
      wecomUrl,
      appUrl,
      apacheLog: () => apache!.errorLog(),
      adminToken,
      metricsToken,
      serverUrls: [`http://127.0.0.1:${serverPortA}`, `http://127.0.0.1:${serverPortB}`],
      spkiHash: certificates.spkiHash,
      hostResolverRules: [LOGIN_HOST, SHOP_HOST, WECOM_HOST, APP_HOST]
        .map((host) => `MAP ${host} 127.0.0.1`)
        .join(', '),
      fetchThroughProxy,
      upstreamsOf: (pathPrefix) =>
        nginx!
          .readLog(SITE_LOG)
          .map((line) => SITE_LOG_LINE.exec(line))
          .filter((fields) => fields !== null && fields[1] === LOGIN_HOST && fields[2]!.startsWith(pathPrefix))
          .map((fields) => fields![3]!),
      siteAccessLog: () => nginx!.readLog(SITE_LOG),
      tlsPort,
      caPem: certificates.caPem,
      serverLogs: () => logs,
      restartServer,
      cli,
      environment: () => ({...settings}),
      ticketPusher: simulator.ticketPusher,
      newLogin: {suiteId: SUITE_ID, secrets: [SUITE_SECRET, CALLBACK_TOKEN, ENCODING_AES_KEY]},
      appSuite: {suiteId: APP_SUITE_ID, secrets: [APP_SUITE_SECRET, APP_CALLBACK_TOKEN, APP_ENCODING_AES_KEY]},
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A DNS lookup for the test's host names: every one is 127.0.0.1, as Chromium's --host-resolver-rules say. */
const resolveToLoopback: LookupFunction = (_host, options, callback) => {
  if (options.all) callback(null, [{address: '127.0.0.1', family: 4}]);
  else callback(null, '127.0.0.1', 4);
};

/**
 * The release as an operator installs it: the server package packed (what `npm run release` makes,
 * from this checkout's build) and installed with `npm install --omit=dev` into a stand-in for
 * /opt/wecom-sp-login. Made once per test run. better-sqlite3's native addon, which its install
 * script would compile for two minutes, is this checkout's identical build.
 */
let release: Promise<string> | undefined;
function installRelease(): Promise<string> {
  release ??= (async () => {
    const folder = mkdtempSync(join(tmpdir(), 'wecom-release-'));
    const npm = (args: string[], cwd: string) =>
      execFileAsync('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
        cwd,
        encoding: 'utf8',
      });
    const {stdout} = await npm(['pack', '--ignore-scripts', '--pack-destination', folder], ROOT);
    const tarball = join(folder, stdout.trim().split('\n').at(-1)!);
    const opt = join(folder, 'opt/wecom-sp-login');
    mkdirSync(opt, {recursive: true});
    writeFileSync(join(opt, 'package.json'), JSON.stringify({name: 'wecom-sp-login-install', private: true}));
    await npm(['install', '--omit=dev', '--ignore-scripts', tarball], opt);
    cpSync(join(ROOT, 'node_modules/better-sqlite3/build'), join(opt, 'node_modules/better-sqlite3/build'), {
      recursive: true,
    });
    return opt;
  })();
  return release;
}

/** The CLI script the unit's ExecStart runs, with /opt/wecom-sp-login at `installedAt`. */
function unitCommand(unitFile: string, installedAt: string): string {
  const script = /^ExecStart=\/usr\/bin\/node (\/opt\/wecom-sp-login\/\S+) serve$/m.exec(
    readFileSync(unitFile, 'utf8'),
  )?.[1];
  if (!script)
    throw new Error(
      `${unitFile} no longer runs /opt/wecom-sp-login/…/wecom-sp-login.js serve: update the ` +
        `production-shape test with it.`,
    );
  return script.replace('/opt/wecom-sp-login', installedAt);
}
