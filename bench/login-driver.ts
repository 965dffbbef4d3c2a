import {randomBytes} from 'node:crypto';
import {Agent, request} from 'undici';
import {readJsonScript} from '../test/helpers/test-browser.ts';
import {syntheticKey} from './synthetic-identities.ts';
import type {LoginStack} from './login-stack.ts';

/** What a run of complete logins did. */
export interface LoginRun {
  logins: number;
  succeeded: number;
  failures: string[];
  elapsedMs: number;
  /** Milliseconds each callback took to answer (the server's exchange with WeCom included), sorted. */
  callbackMs: number[];
  /** The same latencies by the auth code each callback carried (the simulator times its share by it). */
  callbackMsByAuthCode: Map<string, number>;
  /** One ID token the run produced (for verification timing). */
  sampleIdToken: string | null;
  /** The user id each successful login was answered with. */
  userIds: string[];
}

const HOST_ORIGIN = 'http://shop.load.test';

/** One keep-alive pool for every virtual visitor: the driver should cost as little as it can. */
const pool = new Agent({connections: 256, keepAliveTimeout: 30_000});

/** A response as the driver needs it. */
interface Answer {
  status: number;
  location: string | undefined;
  setCookies: string[];
  text: string;
}

/** One HTTP exchange with undici's request API (lighter than fetch), never following redirects. */
export async function exchange(
  url: string | URL,
  init: {method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string} = {},
): Promise<Answer> {
  const response = await request(url, {
    method: init.method ?? 'GET',
    headers: init.headers,
    body: init.body,
    dispatcher: pool,
  });
  const setCookie = response.headers['set-cookie'];
  const location = response.headers.location;
  return {
    status: response.statusCode,
    location: Array.isArray(location) ? location[0] : location,
    setCookies: setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie],
    text: await response.body.text(),
  };
}

/** Cookies of one visitor's browser (by host: cookies ignore ports, so every server process sees them). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();
  /** The Cookie header this browser sends. */
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
  /** Keeps the cookies a response sets. */
  store(response: Answer): void {
    for (const cookie of response.setCookies) {
      const [pair] = cookie.split(';');
      const index = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, index), pair!.slice(index + 1));
    }
  }
}

/**
 * One visitor's whole popup login, over HTTP as a browser does it: authorize on `startServer`,
 * WeCom's QR page (with the Referer WeCom checks), the scan, then the callback on `finishServer`.
 * With `issuedCode`, the QR page and the scan are skipped: the browser comes back from WeCom with
 * that auth code, as WeCom would send it (the state and appid of the QR URL, to its redirect_uri).
 * Returns the callback's latency.
 */
async function login(
  stack: LoginStack,
  identity: string,
  startServer: string,
  finishServer: string,
  issuedCode?: string,
): Promise<{ms: number; authCode: string; idToken: string; userId: string}> {
  const jar = new CookieJar();
  const nonce = randomBytes(18).toString('base64url');
  const authorize = await exchange(
    `${startServer}/connections/load/authorize?${new URLSearchParams({mode: 'popup', origin: HOST_ORIGIN, nonce})}`,
  );
  jar.store(authorize);
  const {url: qrUrl} = readJsonScript<{url: string}>(authorize.text, 'wecom-sp-login-navigate');
  const callbackUrl =
    issuedCode === undefined
      ? new URL((await scanAt(stack, qrUrl, identity)).location!)
      : backFromWecom(qrUrl, issuedCode);
  const finish = new URL(finishServer);
  callbackUrl.host = finish.host;
  const started = performance.now();
  const page = (await exchange(callbackUrl, {headers: {cookie: jar.header()}})).text;
  const elapsed = performance.now() - started;
  const result = readJsonScript<{
    type: string;
    nonce: string;
    idToken?: string;
    user?: {id: string};
    error?: {code: string};
  }>(page, 'wecom-sp-login-result');
  if (result.type !== 'wecom-sp-login:success' || result.nonce !== nonce)
    throw new Error(`login ended ${result.error?.code ?? result.type}`);
  return {
    ms: elapsed,
    authCode: callbackUrl.searchParams.get('auth_code')!,
    idToken: result.idToken!,
    userId: result.user!.id,
  };
}

/** WeCom's QR page, then the scan as `identity`: the simulator answers with the redirect to the callback. */
async function scanAt(stack: LoginStack, qrUrl: string, identity: string): Promise<Answer> {
  const qrPage = (await exchange(qrUrl, {headers: {referer: `${stack.serverUrls[0]}/`}})).text;
  const key = /sim\/scan\?key=([0-9a-f]+)/.exec(qrPage)?.[1];
  if (!key) throw new Error(`no QR page: ${qrPage.slice(0, 200)}`);
  return exchange(`${stack.simulatorUrl}/wwopen/sso/sim/scan?key=${key}&as=${identity}`);
}

/** The callback URL WeCom sends the browser to after a scan: redirect_uri with auth_code, state and appid. */
function backFromWecom(qrUrl: string, authCode: string): URL {
  const qr = new URL(qrUrl).searchParams;
  const callback = new URL(qr.get('redirect_uri')!);
  callback.search = new URLSearchParams({
    auth_code: authCode,
    state: qr.get('state')!,
    appid: qr.get('appid')!,
  }).toString();
  return callback;
}

/**
 * Runs `count` complete logins, `concurrency` at a time, over `identities` distinct users. With two
 * or more servers, each login starts on one and finishes on the next, so every login crosses processes.
 * With `issuedCodes`, the simulator issues every login's auth code before the run (login `i` is
 * synthetic identity `i` modulo the simulator's cast) and no login loads WeCom's QR page or scans:
 * each is authorize, the callback and the server's get_login_info, the work of the login server's
 * machine, since in production WeCom serves the QR page and the phone scans.
 */
export async function runLogins(
  stack: LoginStack,
  options: {
    count: number;
    concurrency: number;
    identities: number;
    issuedCodes?: boolean;
    onSuccess?: (succeeded: number) => void;
  },
): Promise<LoginRun> {
  const failures: string[] = [];
  const callbackMs: number[] = [];
  const callbackMsByAuthCode = new Map<string, number>();
  let sampleIdToken: string | null = null;
  const userIds: string[] = [];
  let next = 0;
  const codes = options.issuedCodes ? await issueAuthCodes(stack, options.count) : null;
  const started = performance.now();
  const worker = async () => {
    while (next < options.count) {
      const i = next++;
      const servers = stack.serverUrls;
      try {
        const done = await login(
          stack,
          syntheticKey(i % options.identities),
          servers[i % servers.length]!,
          servers[(i + 1) % servers.length]!,
          codes?.[i],
        );
        callbackMs.push(done.ms);
        callbackMsByAuthCode.set(done.authCode, done.ms);
        sampleIdToken = done.idToken;
        userIds.push(done.userId);
        options.onSuccess?.(userIds.length);
      } catch (error) {
        failures.push(`login ${i}: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({length: options.concurrency}, worker));
  const elapsedMs = performance.now() - started;
  callbackMs.sort((a, b) => a - b);
  return {
    logins: options.count,
    succeeded: callbackMs.length,
    failures,
    elapsedMs,
    callbackMs,
    callbackMsByAuthCode,
    sampleIdToken,
    userIds,
  };
}

/** `count` fresh auth codes from the stack's simulator, as a phone's scans would have WeCom issue them. */
export async function issueAuthCodes(stack: LoginStack, count: number): Promise<string[]> {
  return (await (await fetch(`${stack.simulatorUrl}/sim/auth-codes?n=${count}`)).json()) as string[];
}

/** The q-quantile of sorted values. */
export function quantile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN;
}
