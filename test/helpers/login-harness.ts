import {defaultSettings, withDefaults, type LoginServerSettings} from '../../server/settings/settings.ts';
import {createHash, randomBytes} from 'node:crypto';
import http from 'node:http';
import pg from 'pg';
import {after} from 'node:test';
import {createSecretBox} from '../../server/crypto/secret-box.ts';
import {openStore} from '../../server/db/open-store.ts';
import {createSealer} from '../../server/db/sealed-columns.ts';
import {assertSecretKeyOpens} from '../../server/db/secret-key-check.ts';
import {openDatabase, type SqliteDatabase} from '../../server/db/sqlite/sqlite-database.ts';
import {createSqliteStore} from '../../server/db/sqlite/sqlite-store.ts';
import type {ConnectionInput} from '../../server/connections/connection.ts';
import type {Store} from '../../server/db/store.ts';
import {createLogger} from '../../server/logger.ts';
import {createLoginServer} from '../../server/login-server.ts';
import {createWecomSimulator, type WecomSimulator} from '../../demo/wecom-simulator/simulator.ts';
import {appSuiteFor, loginSuiteFor} from '../../demo/wecom-simulator/connection-suites.ts';
import type {ScriptedIdentity} from '../../demo/wecom-simulator/identities.ts';
import type {LoginMessage} from '../../widget/protocol.ts';
import {readJsonScript, TestBrowser, type TestResponse} from './test-browser.ts';
import {listenOnFreePort} from './local-ports.ts';

/** The host site of the tests; nothing needs to listen there for server tests. */
export const HOST_ORIGIN = 'http://shop.test:8080';
export const PROVIDER_CORP_ID = 'wwprovider00000001';
export const PROVIDER_SECRET = 'ProviderSecret-7f3a9c2e5b8d1f4a6c0e9b2d7a5f3c1e';
export const ADMIN_TOKEN = 'Qm7vXc2LpR9tWz4KfJ8sNd3H';
/** The provider's 登录授权 app in the simulator, and the callback settings of the `acme-sa` connection. */
export const SUITE_ID = 'wwloginsuite00001';
export const SUITE_SECRET = 'SuiteSecret-1b2d3f4a5c6e7a8c9e0f1a2b3c4d5e6f';
export const CALLBACK_TOKEN = 'QDG6eK';
/** WeCom's own sample key: its last character has non-zero trailing bits. */
export const ENCODING_AES_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
/** The provider's app suite (第三方应用) in the simulator, installed in the customer enterprise of the default cast. */
export const APP_SUITE_ID = 'wwappsuite0000001';
export const APP_SUITE_SECRET = 'AppSuiteSecret-4e6a8c0e2b4d6f8a0c2e4a6c8e0b2d4f';
export const APP_CALLBACK_TOKEN = 'Xk3Lm9Qp2Rt';
export const APP_ENCODING_AES_KEY = 'kWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
/** The app suite's fields, as a connection holds them. */
export const APP_SUITE_FIELDS = {
  appSuiteId: APP_SUITE_ID,
  appSuiteSecret: APP_SUITE_SECRET,
  appCallbackToken: APP_CALLBACK_TOKEN,
  appEncodingAesKey: APP_ENCODING_AES_KEY,
};
/**
 * A legacy connection of the simulated provider, made as `acme` is (its ProviderSecret, the host
 * origin allowed, a launch URL): each field replaceable.
 */
export function providerConnection(identifier: string, fields: Partial<ConnectionInput> = {}): ConnectionInput {
  return {
    identifier,
    displayName: identifier,
    corpId: PROVIDER_CORP_ID,
    providerSecret: PROVIDER_SECRET,
    callbackUrl: '',
    loginMode: 'login-and-register',
    usertype: 'member',
    allowedOrigins: [HOST_ORIGIN],
    launchUrl: `${HOST_ORIGIN}/app`,
    ...fields,
  };
}

/** A second service-app connection, `beta-sa`, as a body of POST /api/connections. */
export const BETA_SERVICE_APP_BODY = {
  identifier: 'beta-sa',
  displayName: 'Beta',
  corpId: PROVIDER_CORP_ID,
  flow: 'service-app',
  suiteId: SUITE_ID,
  suiteSecret: 'beta-suite-secret',
  callbackToken: 'BetaToken1',
  encodingAesKey: ENCODING_AES_KEY,
  allowedOrigins: [HOST_ORIGIN],
};
/** The User-Agent of WeCom's Windows client 4.1.10 (wecom-inclient.md §6.2). */
export const WECOM_CLIENT_UA =
  'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/107.0.5304.110 ' +
  'Safari/537.36 Language/zh wxwork/4.1.10 (MicroMessenger/6.2) WindowsWechat  MailPlugin_Electron WeMail ' +
  'embeddisk';

/**
 * Options of setup(): the server's settings (each at its default unless given, but for the test defaults
 * in HARNESS_SETTINGS) and the harness's own.
 */
export interface HarnessOptions extends Partial<Omit<LoginServerSettings, 'adminToken' | 'publicUrl'>> {
  /** Fields of the `acme` connection; null when the database already has it (a restored backup). */
  connection?: Partial<ConnectionInput> | null;
  /** The master key (SECRET_KEY); random by default. */
  masterKey?: Buffer;
  identities?: ScriptedIdentity[];
  tokenTtlSeconds?: number;
  /** A database file instead of :memory:. */
  databasePath?: string;
  /** A PostgreSQL database instead of SQLite (then `db` is not there to reach into). */
  databaseUrl?: string;
  /** ADMIN_TOKEN; null: none (the admin API answers 503). */
  adminToken?: string | null;
  /** The widget bundle the server serves. */
  widgetFile?: string;
  /** The admin console bundle the server serves. */
  adminFile?: string;
  /** Origins the `acme` connection allows; HOST_ORIGIN by default. */
  allowedOrigins?: string[];
  /** The server's PUBLIC_URL; its own http://127.0.0.1 address by default. */
  publicUrl?: string;
  /** The login server's clock. */
  now?: () => number;
  /** True once the server is shutting down (SIGTERM in production). */
  draining?: () => boolean;
  /**
   * Also creates `acme-sa`, a service-app connection (WeCom's new login) with these fields; its suite_ticket is not
   * pushed yet.
   */
  serviceApp?: Partial<ConnectionInput>;
  /** Gives `acme` the app suite (logins inside the WeCom client); its suite_ticket is not pushed yet. */
  appSuite?: boolean;
}

/** Everything a server test drives: the login server, the simulator, a browser and the logs. */
export interface Harness {
  baseUrl: string;
  simulatorUrl: string;
  simulator: WecomSimulator;
  store: Store;
  /** The SQLite database under the store; throws on a harness running on PostgreSQL. */
  db: SqliteDatabase;
  browser: TestBrowser;
  logs: string[];
  /** Runs a login up to WeCom's QR page and returns the page and the state WeCom was given. */
  openQrPage(
    params?: Record<string, string>,
    connection?: string,
  ): Promise<{qrPage: TestResponse; state: string; authorize: TestResponse}>;
  /** Scans the QR page as `identity` and follows WeCom's redirect to the callback. */
  scan(qrPage: TestResponse, identity: string): Promise<TestResponse>;
  /** A whole popup login as `identity`: the callback's response. */
  login(identity?: string, params?: Record<string, string>): Promise<TestResponse>;
  /** How many rows `table` holds, on SQLite or PostgreSQL: what the requests stored. */
  countRows(table: string): Promise<number>;
  /** Every row of `table` as stored (sealed columns sealed), in a stable order. */
  tableRows(table: string): Promise<Array<Record<string, unknown>>>;
}

/** Default authorize parameters of a popup login. */
export function popupParams(): Record<string, string> {
  return {mode: 'popup', origin: HOST_ORIGIN, nonce: randomBytes(18).toString('base64url')};
}

/**
 * Authorize parameters of a redirect login back to `returnTo`, with a fresh PKCE code verifier (kept
 * by the browser that starts the login, and needed to redeem its ticket) and its S256 challenge.
 */
export function redirectParams(returnTo = `${HOST_ORIGIN}/account`): {
  params: Record<string, string>;
  verifier: string;
} {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return {
    params: {
      ...popupParams(),
      mode: 'redirect',
      return_to: returnTo,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    },
    verifier,
  };
}

/**
 * The server's settings where the harness differs from a server's defaults; every other setting is
 * the server's own default. A test that means another value passes it to setup().
 */
const HARNESS_SETTINGS: LoginServerSettings = {
  ...defaultSettings(),
  // Most tests send many requests from one address; rate-limit tests turn it on.
  rateLimitPerMinute: 0,
  // A WeCom call that hangs fails a test in 2 s rather than 10.
  wecomTimeoutMs: 2_000,
};

/** Starts a simulator and a login server with one connection, `acme`, stopped after the test file. */
export async function setup(options: HarnessOptions = {}): Promise<Harness> {
  const {harness, close} = await startLoginStack(options);
  after(close);
  return harness;
}

/**
 * Starts a simulator and a login server with one connection, `acme`, on ephemeral ports.
 * For runners other than node:test (the widget tests' server plugin): the caller calls close().
 */
export async function startLoginStack(
  options: HarnessOptions = {},
): Promise<{harness: Harness; close: () => Promise<void>}> {
  const closers: Array<() => Promise<void> | void> = [];
  const listen = async (server: http.Server) => `http://127.0.0.1:${await listenOnFreePort(server, closers)}`;
  const logs: string[] = [];
  const simulator = createWecomSimulator({
    providers: [{corpId: PROVIDER_CORP_ID, providerSecret: PROVIDER_SECRET, loginDomains: [], callbackDomains: []}],
    identities: options.identities,
    tokenTtlSeconds: options.tokenTtlSeconds,
  });
  const simulatorUrl = await listen(http.createServer(simulator.app.callback()));
  const loginServer = http.createServer();
  const baseUrl = await listen(loginServer);
  const provider = simulator.providers[0]!;
  provider.loginDomains.push(new URL(baseUrl).host);
  provider.callbackDomains.push(new URL(baseUrl).host);
  provider.businessSettingUrl = `${baseUrl}/connections/acme/launch`;
  simulator.suites.suites.push(
    appSuiteFor(baseUrl, 'acme', {
      corpId: PROVIDER_CORP_ID,
      suiteId: APP_SUITE_ID,
      suiteSecret: APP_SUITE_SECRET,
      callbackToken: APP_CALLBACK_TOKEN,
      encodingAesKey: APP_ENCODING_AES_KEY,
    }),
    loginSuiteFor(baseUrl, 'acme-sa', {
      corpId: PROVIDER_CORP_ID,
      suiteId: SUITE_ID,
      suiteSecret: SUITE_SECRET,
      callbackToken: CALLBACK_TOKEN,
      encodingAesKey: ENCODING_AES_KEY,
    }),
  );

  const masterKey = options.masterKey ?? randomBytes(32);
  const box = createSecretBox(masterKey);
  const db = options.databaseUrl ? null : openDatabase(options.databasePath ?? ':memory:');
  const store = db
    ? createSqliteStore(db, createSealer(box), options.now)
    : await openStore({...defaultSettings(), databaseUrl: options.databaseUrl}, box, {now: options.now});
  if (db) await assertSecretKeyOpens(store, box);
  const {app} = await createLoginServer({
    ...withDefaults(HARNESS_SETTINGS, {...options, adminToken: undefined}),
    store,
    masterKey,
    publicUrl: options.publicUrl ?? baseUrl,
    wecomApiBase: simulatorUrl,
    wecomSsoBase: simulatorUrl,
    wecomLoginBase: simulatorUrl,
    wecomOauthBase: simulatorUrl,
    adminToken: options.adminToken === null ? undefined : (options.adminToken ?? ADMIN_TOKEN),
    log: createLogger((line) => logs.push(line)),
    widgetFile: options.widgetFile,
    adminFile: options.adminFile,
    draining: options.draining,
    now: options.now,
  });
  loginServer.on('request', app.callback());
  if (options.connection !== null)
    await store.connections.create(
      providerConnection('acme', {
        displayName: 'Acme 企业微信',
        allowedOrigins: options.allowedOrigins ?? [HOST_ORIGIN],
        ...(options.appSuite && APP_SUITE_FIELDS),
        ...options.connection,
      }),
    );
  if (options.serviceApp)
    await store.connections.create({
      identifier: 'acme-sa',
      displayName: 'Acme 登录授权',
      corpId: PROVIDER_CORP_ID,
      flow: 'service-app',
      suiteId: SUITE_ID,
      suiteSecret: SUITE_SECRET,
      callbackToken: CALLBACK_TOKEN,
      encodingAesKey: ENCODING_AES_KEY,
      callbackUrl: '',
      loginMode: 'login-and-register',
      usertype: 'member',
      allowedOrigins: options.allowedOrigins ?? [HOST_ORIGIN],
      launchUrl: `${HOST_ORIGIN}/app`,
      ...options.serviceApp,
    });
  closers.push(() => store.close());

  const tableRows = rowReader(db, options.databaseUrl, closers);
  const browser = new TestBrowser();
  const harness: Harness = {
    baseUrl,
    simulatorUrl,
    simulator,
    store,
    browser,
    logs,
    get db() {
      if (!db) throw new Error('This harness runs on PostgreSQL: use h.store.');
      return db;
    },
    async openQrPage(params = popupParams(), connection = 'acme') {
      const authorize = await browser.get(
        `${baseUrl}/connections/${connection}/authorize?${new URLSearchParams(params)}`,
      );
      const {url} = readJsonScript<{url: string}>(authorize.text, 'wecom-sp-login-navigate');
      const qrPage = await browser.get(url, authorize);
      return {qrPage, state: new URL(url).searchParams.get('state')!, authorize};
    },
    async scan(qrPage, identity) {
      const key = /sim\/scan\?key=([0-9a-f]+)/.exec(qrPage.text)?.[1];
      if (!key) throw new Error(`Not a QR page:\n${qrPage.text.slice(0, 400)}`);
      const scanned = await browser.get(`${simulatorUrl}/wwopen/sso/sim/scan?key=${key}&as=${identity}`, qrPage);
      return browser.get(scanned.headers.get('location')!, scanned);
    },
    async login(identity = 'alice', params = popupParams()) {
      const {qrPage} = await harness.openQrPage(params);
      return harness.scan(qrPage, identity);
    },
    tableRows,
    countRows: async (table) => (await tableRows(table)).length,
  };
  const close = async (): Promise<void> => {
    for (const closer of closers) await closer();
  };
  return {harness, close};
}

/**
 * Reads a table's rows straight from the database, SQLite's or PostgreSQL's: the one place tests
 * look past the Store, to see what is stored as it is stored.
 */
function rowReader(
  db: SqliteDatabase | null,
  databaseUrl: string | undefined,
  closers: Array<() => Promise<void> | void>,
): (table: string) => Promise<Array<Record<string, unknown>>> {
  let pool: pg.Pool | undefined;
  return async (table) => {
    if (!/^[a-z_]+$/.test(table)) throw new Error(`Not a table name: ${table}`);
    const query = `SELECT * FROM ${table} ORDER BY 1`;
    if (db) return db.prepare(query).all() as Array<Record<string, unknown>>;
    if (!pool) {
      pool = new pg.Pool({connectionString: databaseUrl, max: 1});
      const opened = pool;
      closers.push(() => opened.end());
    }
    return (await pool.query<Record<string, unknown>>(query)).rows;
  };
}

/** The LoginMessage a result page carries. */
export function readResult(page: TestResponse): LoginMessage {
  return readJsonScript<LoginMessage>(page.text, 'wecom-sp-login-result');
}

/** Admin API request helper. */
export async function adminRequest(
  h: Harness,
  method: string,
  path: string,
  body?: unknown,
  token = ADMIN_TOKEN,
): Promise<{status: number; json: any; text: string}> {
  const response = await h.browser.request(`${h.baseUrl}${path}`, {
    method,
    headers: {authorization: `Bearer ${token}`, ...(body !== undefined && {'content-type': 'application/json'})},
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {status: response.status, json: response.text ? JSON.parse(response.text) : null, text: response.text};
}

/**
 * Refusals counted by `/api/refusals`, summed per reason over every hour: the API counts per reason and hour,
 * so a test that runs across an hour boundary (one did at 12:00 UTC) sees two rows for one reason.
 */
export async function refusalCounts(h: Harness): Promise<Record<string, number>> {
  const counted: Record<string, number> = {};
  const answer = await adminRequest(h, 'GET', '/api/refusals');
  for (const row of answer.json.items as Array<{reason: string; count: number}>)
    counted[row.reason] = (counted[row.reason] ?? 0) + row.count;
  return counted;
}

/** The error code a result page carries, or 'success'. */
export function resultCode(page: TestResponse): string {
  const message = readResult(page);
  return message.type === 'wecom-sp-login:error' ? message.error.code : 'success';
}
