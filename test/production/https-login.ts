import {randomBytes} from 'node:crypto';
import {readJsonScript} from '../helpers/test-browser.ts';
import type {ProductionStack} from './production-stack.ts';

/** Where each step of a login goes: through nginx, or straight to one server process. */
export interface LoginRoute {
  /** The base URL the authorize request goes to; the login server's public URL (nginx) by default. */
  start?: string;
  /** The base URL the callback goes to. */
  finish?: string;
}

/** What one login ended with: `success`, an error code, or what went wrong on the way (an HTTP status). */
export type LoginOutcome = string;

/**
 * One popup login of `identity` on `acme`, over https as a browser makes it: authorize, WeCom's QR
 * page (with the Referer WeCom checks), the scan, then the callback with the session cookie. A step
 * sent straight to a process says what nginx would (X-Forwarded-Proto, -Host and -For), as
 * TRUST_PROXY=1 expects. Never throws: a refused or failed step is the outcome.
 */
export async function loginOverHttps(
  stack: ProductionStack,
  identity: string,
  route: LoginRoute = {},
): Promise<LoginOutcome> {
  const loginHost = new URL(stack.loginUrl).host;
  const atProcess = (base: string | undefined): {base: string; headers: Record<string, string>} =>
    base
      ? {base, headers: {'x-forwarded-proto': 'https', 'x-forwarded-host': loginHost, 'x-forwarded-for': '127.0.0.1'}}
      : {base: stack.loginUrl, headers: {}};
  try {
    const start = atProcess(route.start);
    const nonce = randomBytes(18).toString('base64url');
    const authorize = await stack.fetchThroughProxy(
      `${start.base}/connections/acme/authorize?${new URLSearchParams({mode: 'popup', origin: stack.shopUrl, nonce})}`,
      {headers: start.headers},
    );
    if (authorize.status !== 200) return `authorize ${authorize.status}`;
    const cookie = [authorize.headers['set-cookie']]
      .flat()
      .filter((value): value is string => !!value)
      .map((value) => value.split(';')[0])
      .join('; ');
    const {url} = readJsonScript<{url: string}>(authorize.text, 'wecom-sp-login-navigate');
    const qrPage = await stack.fetchThroughProxy(url, {headers: {referer: `${stack.loginUrl}/`}});
    const key = /sim\/scan\?key=([0-9a-f]+)/.exec(qrPage.text)?.[1];
    if (!key) return `QR page ${qrPage.status}`;
    const scanned = await stack.fetchThroughProxy(`${stack.wecomUrl}/wwopen/sso/sim/scan?key=${key}&as=${identity}`);
    const back = new URL(String(scanned.headers.location));
    const finish = atProcess(route.finish);
    const callback = await stack.fetchThroughProxy(`${finish.base}${back.pathname}${back.search}`, {
      headers: {...finish.headers, cookie},
    });
    if (callback.status !== 200) return `callback ${callback.status}`;
    const result = readJsonScript<{type: string; error?: {code: string}}>(callback.text, 'wecom-sp-login-result');
    return result.type === 'wecom-sp-login:success' ? 'success' : result.error!.code;
  } catch (error) {
    return `network: ${(error as Error).message}`;
  }
}
