import * as oidc from 'openid-client';
import {adminRequest, type Harness} from './login-harness.ts';
import {readJsonScript, type TestBrowser, type TestResponse} from './test-browser.ts';

/** Where the test relying parties say they live: never fetched, the code is read from the redirect. */
export const RP_REDIRECT_URI = 'http://localhost:7999/callback';
/** Where RP-initiated logout returns to. */
export const RP_POST_LOGOUT_URI = 'http://localhost:7999/logged-out';

/** A registered client and openid-client's configuration of it, as a relying party holds them. */
export interface RelyingParty {
  clientId: string;
  clientSecret: string | null;
  config: oidc.Configuration;
}

/** Registers a client through the admin API (acme's connection, the default cast's enterprise unless said). */
export async function registerClient(
  h: Harness,
  fields: Record<string, unknown> = {},
): Promise<{
  status: number;
  body: Record<string, unknown>;
}> {
  const response = await adminRequest(h, 'POST', '/api/oidc-clients', {
    name: 'Grafana',
    connection: 'acme',
    redirectUris: [RP_REDIRECT_URI],
    postLogoutRedirectUris: [RP_POST_LOGOUT_URI],
    allowedCorpIds: ['wwcustomer0000001'],
    ...fields,
  });
  return {status: response.status, body: response.json as Record<string, unknown>};
}

/** Registers a client and discovers the provider as openid-client does, authenticating as the client says. */
export async function relyingParty(h: Harness, fields: Record<string, unknown> = {}): Promise<RelyingParty> {
  const {status, body} = await registerClient(h, fields);
  if (status !== 201) throw new Error(`client not registered: ${status} ${JSON.stringify(body)}`);
  const clientId = body.clientId as string;
  const clientSecret = body.clientSecret as string | null;
  const method = (fields.tokenEndpointAuthMethod as string | undefined) ?? 'client_secret_basic';
  const auth =
    method === 'none'
      ? oidc.None()
      : method === 'client_secret_post'
        ? oidc.ClientSecretPost(clientSecret!)
        : oidc.ClientSecretBasic(clientSecret!);
  const config = await oidc.discovery(new URL(`${h.baseUrl}/oidc`), clientId, undefined, auth, {
    execute: [oidc.allowInsecureRequests],
  });
  return {clientId, clientSecret, config};
}

/** The checks a relying party keeps for one login: PKCE verifier, state and nonce. */
export interface LoginChecks {
  pkceCodeVerifier: string;
  expectedState: string;
  expectedNonce: string;
}

/** An authorization URL as openid-client builds it, with fresh PKCE, state and nonce. */
export async function authorizationUrl(
  rp: RelyingParty,
  params: Record<string, string> = {},
): Promise<{url: URL; checks: LoginChecks}> {
  const pkceCodeVerifier = oidc.randomPKCECodeVerifier();
  const checks = {pkceCodeVerifier, expectedState: oidc.randomState(), expectedNonce: oidc.randomNonce()};
  const url = oidc.buildAuthorizationUrl(rp.config, {
    redirect_uri: RP_REDIRECT_URI,
    scope: 'openid profile wecom',
    code_challenge: await oidc.calculatePKCECodeChallenge(pkceCodeVerifier),
    code_challenge_method: 'S256',
    state: checks.expectedState,
    nonce: checks.expectedNonce,
    ...params,
  });
  return {url, checks};
}

/**
 * Follows redirects from `response` in `browser` until one leaves for `stopAt` (returned as that
 * URL, not fetched) or a page answers (returned as the page).
 */
export async function followRedirects(
  browser: TestBrowser,
  response: TestResponse,
  stopAt: string,
): Promise<{page: TestResponse; location: URL | null}> {
  let current = response;
  for (let hops = 0; hops < 10; hops++) {
    const location = current.headers.get('location');
    if (current.status === 200 && current.text.includes('<title>Submitting Callback</title>')) {
      current = await submitAutoPostForm(browser, current);
      continue;
    }
    if (current.status < 300 || current.status >= 400 || location === null) return {page: current, location: null};
    const next = new URL(location, current.url);
    if (next.href.startsWith(stopAt)) return {page: current, location: next};
    current = await browser.get(next.href, current);
  }
  throw new Error('more than 10 redirects');
}

/**
 * Submits oidc-provider's self-submitting form (a browser's script would): what it answers when a
 * new login is another user than the session's, to end the old session first.
 */
async function submitAutoPostForm(browser: TestBrowser, page: TestResponse): Promise<TestResponse> {
  const action = /<form method="post" action="([^"]+)">/.exec(page.text)?.[1];
  if (!action) throw new Error(`no form to submit:\n${page.text.slice(0, 400)}`);
  const fields = [...page.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)];
  return browser.request(action, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams(fields.map(([, name, value]) => [name!, value!])).toString(),
  });
}

/**
 * A browser's whole login at the provider as `identity`: the authorization request, the page that
 * names the application, the WeCom QR page and its scan, the callback, and back to the relying
 * party. Returns the redirect to the relying party (with its code or error) and the pages on the way.
 */
export async function browserLogin(
  h: Harness,
  url: URL,
  identity = 'alice',
): Promise<{redirect: URL; interactionPage: TestResponse}> {
  const {page: interactionPage, location} = await followRedirects(
    h.browser,
    await h.browser.get(url.href),
    RP_REDIRECT_URI,
  );
  if (location) return {redirect: location, interactionPage};
  const link = /href="([^"]+\/wecom)"/.exec(interactionPage.text)?.[1];
  if (!link)
    throw new Error(`not the interaction page: ${interactionPage.status}\n${interactionPage.text.slice(0, 400)}`);
  const navigate = await h.browser.get(new URL(link, interactionPage.url).href, interactionPage);
  const {url: wecomUrl} = readJsonScript<{url: string}>(navigate.text, 'wecom-sp-login-navigate');
  const qrPage = await h.browser.get(wecomUrl, navigate);
  const callback = await h.scan(qrPage, identity);
  const {page, location: back} = await followRedirects(h.browser, callback, RP_REDIRECT_URI);
  if (!back) throw new Error(`no redirect to the relying party: ${page.status}\n${page.text.slice(0, 400)}`);
  return {redirect: back, interactionPage};
}

/**
 * Redeems a code at `baseUrl`'s token endpoint as a relying party's backend does, by hand (client_secret_basic,
 * `secret` the client's unless given), so a test can send what openid-client would refuse to.
 */
export async function redeemCode(
  baseUrl: string,
  rp: Pick<RelyingParty, 'clientId' | 'clientSecret'>,
  form: {code: string; code_verifier?: string},
  secret = rp.clientSecret!,
): Promise<{status: number; body: Record<string, unknown>; wwwAuthenticate: string | null}> {
  const credentials = `${encodeURIComponent(rp.clientId)}:${encodeURIComponent(secret)}`;
  const response = await fetch(`${baseUrl}/oidc/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(credentials).toString('base64')}`,
    },
    body: new URLSearchParams({grant_type: 'authorization_code', redirect_uri: RP_REDIRECT_URI, ...form}).toString(),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    wwwAuthenticate: response.headers.get('www-authenticate'),
  };
}

/** The token response of a whole login: code + PKCE, checked by openid-client (iss, state, nonce, ID token). */
export async function loginForTokens(
  h: Harness,
  rp: RelyingParty,
  identity = 'alice',
): Promise<oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers> {
  const {url, checks} = await authorizationUrl(rp);
  const {redirect} = await browserLogin(h, url, identity);
  return oidc.authorizationCodeGrant(rp.config, redirect, checks);
}
