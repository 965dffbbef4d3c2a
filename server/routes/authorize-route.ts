import type Router from '@koa/router';
import type Koa from 'koa';
import type {AppDeps} from '../app-deps.ts';
import type {Connection} from '../connections/connection.ts';
import {IN_CLIENT_PROTOCOL, WECOM_CLIENT_USER_AGENT, type ProtocolName} from '../login/flows/protocol-catalogue.ts';
import {parseExactOrigin} from '../connections/connection-validation.ts';
import {isCodeChallenge} from '../crypto/pkce.ts';
import {randomToken} from '../crypto/random-token.ts';
import type {LoginDisplayMode, LoginTransaction} from '../db/login-state-store.ts';
import {CONTROL_CHARACTERS} from '../control-characters.ts';
import {AppError, InvalidRequest} from '../errors.ts';
import {renderNavigatePage} from '../pages/navigate-page.ts';
import {takeOrHold, type RateLimiter} from '../rate-limit.ts';
import {browserBinding} from '../session.ts';
import {queryParam, sendPage} from './http.ts';
import {sendLoginError} from './login-error.ts';
import {NONCE_PATTERN} from '../../widget/protocol.ts';

/** How long a visitor has to scan and confirm. */
export const TRANSACTION_TTL_MS = 10 * 60_000;

const MODES: readonly LoginDisplayMode[] = ['popup', 'embedded', 'redirect'];

/** The authorize request, validated against the connection. */
interface AuthorizeRequest {
  mode: LoginDisplayMode;
  origin: string;
  nonce: string;
  returnTo: string | null;
  codeChallenge: string | null;
}

/** GET /connections/:identifier/authorize: records a transaction and sends the browser on to WeCom. */
export function addAuthorizeRoute(router: Router, deps: AppDeps, limiter: RateLimiter): void {
  router.get('/connections/:identifier/authorize', async (ctx) => {
    ctx.state.errorFormat = 'page';
    // Every request spends a token, valid or not; a refused one still reaches its element when the
    // request says which element (an allowed origin and a nonce), and records nothing.
    const limited = takeOrHold(limiter, ctx, 'authorize');
    let request: AuthorizeRequest;
    let connection: Connection;
    try {
      connection = await deps.store.connections.get(ctx.params.identifier!);
      request = readAuthorizeRequest(ctx, connection);
    } catch (error) {
      throw limited ?? error;
    }
    if (limited) return sendLoginError(ctx, request, limited);
    const embedded = request.mode === 'embedded';
    await startWecomLogin(
      ctx,
      deps,
      connection,
      {
        nonce: request.nonce,
        origin: request.origin,
        mode: request.mode,
        returnTo: request.returnTo,
        // An embedded iframe is a third-party context: its cookies are not sent, so it is bound by nonce and source
        // only.
        browserBinding: embedded ? null : browserBinding(ctx),
        codeChallenge: request.codeChallenge,
      },
      embedded ? request.origin : null,
    );
  });
}

/**
 * Records a login of `connection` (its state random, its protocol by where the browser is) and
 * answers with the page that sends the browser on to WeCom's login page for it, which comes back to
 * the connection's callback. `embedIn` is the one origin that may frame it (embedded mode), else null.
 */
export async function startWecomLogin(
  ctx: Koa.Context,
  deps: AppDeps,
  connection: Connection,
  login: Omit<LoginTransaction, 'connection' | 'protocol'>,
  embedIn: string | null,
): Promise<void> {
  const state = randomToken(32);
  const protocol = loginProtocolFor(ctx, connection);
  await deps.store.loginStates.createTransaction(
    state,
    {connection: connection.identifier, protocol, ...login},
    TRANSACTION_TTL_MS,
  );
  const redirectUri = `${deps.publicUrl}/connections/${connection.identifier}/callback`;
  const loginPage = deps.protocols[protocol].loginPageUrl(connection, state, redirectUri, embedIn !== null);
  // Send only our origin as Referer: enough for WeCom's domain check, and the state stays here.
  ctx.set('Referrer-Policy', 'origin');
  // The page carries WeCom's whole URL, built here: nothing is assembled in script.
  sendPage(ctx, renderNavigatePage(loginPage, embedIn));
}

/**
 * Inside the WeCom client (its webview's User-Agent says `wxwork/`) nobody can scan a QR code: a
 * connection with an app suite logs the member in through WeCom's in-client OAuth instead. Anywhere
 * else, and without an app suite, the connection's flow.
 */
function loginProtocolFor(ctx: Koa.Context, connection: Connection): ProtocolName {
  return connection.appSuiteId !== null && WECOM_CLIENT_USER_AGENT.test(ctx.get('User-Agent'))
    ? IN_CLIENT_PROTOCOL
    : connection.flow;
}

function readAuthorizeRequest(ctx: Koa.Context, connection: Connection): AuthorizeRequest {
  const mode = queryParam(ctx, 'mode') ?? 'popup';
  if (!MODES.includes(mode as LoginDisplayMode)) throw new InvalidRequest('mode_invalid', 'mode');
  const origin = parseExactOrigin(queryParam(ctx, 'origin'));
  if (origin === null) throw new InvalidRequest('origin_invalid', 'origin');
  if (!connection.allowedOrigins.includes(origin)) throw new AppError('origin_not_allowed');
  const nonce = queryParam(ctx, 'nonce');
  if (nonce === undefined || !NONCE_PATTERN.test(nonce)) throw new InvalidRequest('nonce_invalid', 'nonce');
  const returnToParam = queryParam(ctx, 'return_to');
  const challenge = queryParam(ctx, 'code_challenge');
  const method = queryParam(ctx, 'code_challenge_method');
  if (mode !== 'redirect') {
    for (const [name, value] of [
      ['return_to', returnToParam],
      ['code_challenge', challenge],
      ['code_challenge_method', method],
    ] as const) {
      if (value !== undefined) throw new InvalidRequest('redirect_only', name, {name});
    }
    return {mode: mode as LoginDisplayMode, origin, nonce, returnTo: null, codeChallenge: null};
  }
  // The ticket a redirect brings back sits in a URL where others may see it (history, a shared
  // screen, an extension): only the browser holding the verifier of this challenge can redeem it.
  if (!isCodeChallenge(challenge)) throw new InvalidRequest('code_challenge_invalid', 'code_challenge');
  if (method !== 'S256') throw new InvalidRequest('code_challenge_method_invalid', 'code_challenge_method');
  const returnTo = readReturnTo(returnToParam);
  if (returnTo.origin !== origin) throw badReturnTo();
  return {mode: 'redirect', origin, nonce, returnTo: returnTo.href, codeChallenge: challenge};
}

/** The longest return_to kept: it is stored with every redirect login, so it bounds what one request can store. */
const MAX_RETURN_TO_LENGTH = 1024;

/**
 * A page URL the login may go back to, without its fragment; the caller checks its origin. Refused
 * (InvalidRequest) when it is not an http(s) URL, carries user info or control characters, or is
 * longer than MAX_RETURN_TO_LENGTH.
 */
export function readReturnTo(value: string | undefined): URL {
  let url: URL | null = null;
  try {
    // Control characters are refused outright: the URL parser would silently drop CR/LF and tabs,
    // turning a header-injection attempt into a quietly different address.
    url =
      value !== undefined && value.length <= MAX_RETURN_TO_LENGTH && !CONTROL_CHARACTERS.test(value)
        ? new URL(value)
        : null;
  } catch {
    url = null;
  }
  // No user:password@, which some browsers show as a prompt and which no page URL needs.
  if (
    url === null ||
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.username !== '' ||
    url.password !== ''
  )
    throw badReturnTo();
  url.hash = '';
  return url;
}

/**
 * The refusal of a return_to: the same whichever rule it breaks. Same origin as the login, or the redirect becomes an
 * open redirect.
 */
function badReturnTo(): InvalidRequest {
  return new InvalidRequest('return_to_invalid', 'return_to', {max: MAX_RETURN_TO_LENGTH});
}
