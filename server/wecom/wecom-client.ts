import {request, type Dispatcher} from 'undici';
import {performance} from 'node:perf_hooks';
import type {Metrics} from '../metrics.ts';
import {WecomApiError, WecomTransportError} from './wecom-errors.ts';

/** `get_provider_token`'s answer. */
export interface ProviderToken {
  providerAccessToken: string;
  /** Seconds the token stays valid. */
  expiresIn: number;
}

/** `get_login_info`'s answer, normalized (WeCom's old answers had numbers as strings). */
export interface LoginInfo {
  usertype: number;
  corpId: string;
  userId?: string;
  openUserId?: string;
  name?: string;
  avatar?: string;
}

/** An access token and how many seconds it stays valid (provider and suite tokens alike). */
export interface AccessToken {
  token: string;
  expiresIn: number;
}

/**
 * `getuserinfo3rd`'s answer: a member has corpId and openUserId (userId may be ciphertext or
 * missing); someone outside every enterprise has only openId. WeCom gives no name or avatar here.
 */
export interface UserInfo3rd {
  corpId?: string;
  userId?: string;
  openUserId?: string;
  openId?: string;
}

/** The server-side calls of WeCom's two provider logins. */
export interface WecomClient {
  getProviderToken(corpId: string, providerSecret: string): Promise<ProviderToken>;
  getLoginInfo(providerAccessToken: string, authCode: string): Promise<LoginInfo>;
  /** POST get_suite_token with the 登录授权 suite's id, secret and a pushed suite_ticket. */
  getSuiteToken(suiteId: string, suiteSecret: string, suiteTicket: string): Promise<AccessToken>;
  /** GET auth/getuserinfo3rd: the identity behind a ServiceApp login code. */
  getUserInfo3rd(suiteAccessToken: string, code: string): Promise<UserInfo3rd>;
}

/** Options of createWecomClient. */
export interface WecomClientOptions {
  /** `https://qyapi.weixin.qq.com` in production. */
  apiBase: string;
  /** Time limit of each call. */
  timeoutMs: number;
  /** undici's connection pool (or a MockAgent in tests); defaults to undici's global one. */
  dispatcher?: Dispatcher;
  /** Counts each call by errcode and times it. */
  metrics?: Pick<Metrics, 'wecomCalls' | 'wecomDuration'>;
}

/** Creates a WecomClient. It never logs: URLs carry the token and bodies carry the secret. */
export function createWecomClient({apiBase, timeoutMs, dispatcher, metrics}: WecomClientOptions): WecomClient {
  async function call(
    endpoint: string,
    query: Record<string, string>,
    body: Record<string, string> | null,
  ): Promise<Record<string, unknown>> {
    const started = performance.now();
    let errcode = 'transport';
    try {
      const result = await send(endpoint, query, body);
      errcode = '0';
      return result;
    } catch (error) {
      if (error instanceof WecomApiError) errcode = String(error.errcode);
      throw error;
    } finally {
      metrics?.wecomCalls.inc({api: endpoint, errcode});
      metrics?.wecomDuration.observe({api: endpoint}, (performance.now() - started) / 1000);
    }
  }

  /** POSTs `body` as JSON, or GETs when `body` is null. */
  async function send(
    endpoint: string,
    query: Record<string, string>,
    body: Record<string, string> | null,
  ): Promise<Record<string, unknown>> {
    const url = new URL(`/cgi-bin/service/${endpoint}`, apiBase);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    let status: number;
    let text: string;
    try {
      // undici's request API rather than fetch: the same client under fetch, at a fraction of the
      // CPU per call, which is most of what a login costs this server. It follows no redirects.
      const response = await request(url, {
        method: body === null ? 'GET' : 'POST',
        ...(body !== null && {headers: {'content-type': 'application/json'}, body: JSON.stringify(body)}),
        signal: AbortSignal.timeout(timeoutMs),
        dispatcher,
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError';
      throw new WecomTransportError(
        endpoint,
        timedOut ? 'timeout' : 'network',
        timedOut ? `no answer within ${timeoutMs} ms` : 'network error',
        {cause: error},
      );
    }
    if (status < 200 || status > 299) throw new WecomTransportError(endpoint, 'http_status', `HTTP ${status}`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new WecomTransportError(endpoint, 'malformed', 'the answer is not JSON');
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json))
      throw new WecomTransportError(endpoint, 'malformed', 'the answer is not a JSON object');
    const result = json as Record<string, unknown>;
    // Success answers may have no errcode at all: "无此errcode字段，或者errcode=0，为调用成功".
    const errcode = result.errcode === undefined ? 0 : toInt(result.errcode);
    if (errcode === undefined) throw new WecomTransportError(endpoint, 'malformed', 'errcode is not a number');
    if (errcode !== 0)
      throw new WecomApiError(
        endpoint,
        errcode,
        redact(typeof result.errmsg === 'string' ? result.errmsg : '', [
          ...Object.values(query),
          ...Object.values(body ?? {}),
        ]),
      );
    return result;
  }

  return {
    async getProviderToken(corpId, providerSecret) {
      const answer = await call('get_provider_token', {}, {corpid: corpId, provider_secret: providerSecret});
      const {token, expiresIn} = readAccessToken(answer, 'get_provider_token', 'provider_access_token');
      return {providerAccessToken: token, expiresIn};
    },
    async getLoginInfo(providerAccessToken, authCode) {
      // The query parameter is named access_token but carries the provider_access_token.
      const answer = await call('get_login_info', {access_token: providerAccessToken}, {auth_code: authCode});
      const userInfo = isObject(answer.user_info) ? answer.user_info : {};
      const corpInfo = isObject(answer.corp_info) ? answer.corp_info : {};
      const usertype = toInt(answer.usertype);
      if (usertype === undefined || typeof corpInfo.corpid !== 'string' || corpInfo.corpid === '') {
        throw new WecomTransportError('get_login_info', 'malformed', 'usertype or corp_info.corpid is missing');
      }
      return {
        usertype,
        corpId: corpInfo.corpid,
        userId: optionalString(userInfo.userid),
        openUserId: optionalString(userInfo.open_userid),
        name: optionalString(userInfo.name),
        avatar: httpsUrl(userInfo.avatar),
      };
    },
    async getSuiteToken(suiteId, suiteSecret, suiteTicket) {
      // JSON only: WeCom answers a form body with 47001 and a GET with 40083. Success may lack errcode.
      const answer = await call(
        'get_suite_token',
        {},
        {suite_id: suiteId, suite_secret: suiteSecret, suite_ticket: suiteTicket},
      );
      return readAccessToken(answer, 'get_suite_token', 'suite_access_token');
    },
    async getUserInfo3rd(suiteAccessToken, code) {
      const answer = await call('auth/getuserinfo3rd', {suite_access_token: suiteAccessToken, code}, null);
      // Lower-case keys are today's API; CorpId/UserId are the legacy endpoint's, read defensively.
      const info = {
        corpId: optionalString(answer.corpid) ?? optionalString(answer.CorpId),
        userId: optionalString(answer.userid) ?? optionalString(answer.UserId),
        openUserId: optionalString(answer.open_userid),
        openId: optionalString(answer.openid),
      };
      if (!info.openId && (!info.corpId || (!info.openUserId && !info.userId))) {
        throw new WecomTransportError(
          'auth/getuserinfo3rd',
          'malformed',
          'neither a member (corpid with open_userid or userid) nor an openid',
        );
      }
      return info;
    },
  };
}

/**
 * WeCom's errmsg with every value this call sent (the ProviderSecret, the access token, the
 * auth_code) cut out: an errmsg that echoes the request would otherwise carry them into the log and
 * the audit log. The errcode, WeCom's hint and its `from ip` stay.
 */
function redact(errmsg: string, sent: string[]): string {
  let safe = errmsg.slice(0, 1000);
  for (const value of sent) if (value.length >= 4) safe = safe.replaceAll(value, '[redacted]');
  return safe;
}

/** An avatar URL only if it is https: the host page shows it, and an http image there is mixed content or a tracker. */
function httpsUrl(value: unknown): string | undefined {
  return typeof value === 'string' && value.startsWith('https://') && URL.canParse(value) ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The access token of a token answer, and its lifetime: a non-empty string of at most 512
 * characters and a positive expires_in, or a malformed answer (never cached).
 */
function readAccessToken(
  answer: Record<string, unknown>,
  api: string,
  field: 'provider_access_token' | 'suite_access_token',
): {token: string; expiresIn: number} {
  const token = answer[field];
  const expiresIn = toInt(answer.expires_in);
  if (typeof token !== 'string' || token === '' || token.length > 512 || expiresIn === undefined || expiresIn <= 0)
    throw new WecomTransportError(api, 'malformed', `${field} or expires_in is missing`);
  return {token, expiresIn};
}

function toInt(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}
