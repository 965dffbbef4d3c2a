import type {ProviderTokens} from '../wecom/provider-tokens.ts';
import {NoSuiteTicket, WecomApiError, WecomTransportError, parseFromIp, WecomHeldBack} from '../wecom/wecom-errors.ts';

/** What an admin should do about a connection's credentials. */
export type CredentialDiagnosis =
  | 'ok'
  | 'wrong_secret'
  | 'wrong_corp_id'
  | 'ip_not_whitelisted'
  | 'rate_limited'
  | 'wecom_unavailable'
  | 'wecom_error'
  | 'no_suite_ticket'
  | 'invalid_suite_ticket'
  | 'wrong_suite_id'
  | 'wrong_suite_secret';

/** The result of POST /api/connections/:identifier/check. */
export interface CredentialCheck {
  ok: boolean;
  diagnosis: CredentialDiagnosis;
  /** What happened and what to do, in plain words. */
  message: string;
  /** WeCom's errcode, when it answered with one. */
  errcode?: number;
  /** The caller IP WeCom saw (60020), to add to the whitelist. */
  ip?: string;
}

/** Fetches a provider token with the CorpID and ProviderSecret and explains the outcome. */
export async function checkProviderCredentials(
  providerTokens: ProviderTokens,
  corpId: string,
  providerSecret: string,
): Promise<CredentialCheck> {
  return explainTokenFetch(
    () => providerTokens.fetchFresh(corpId, providerSecret),
    'WeCom accepted the CorpID and ProviderSecret.',
  );
}

/** Runs a token fetch and explains its outcome to an admin. */
export async function explainTokenFetch(fetch: () => Promise<unknown>, success: string): Promise<CredentialCheck> {
  try {
    await fetch();
    return {ok: true, diagnosis: 'ok', message: success};
  } catch (error) {
    if (error instanceof NoSuiteTicket) {
      return {
        ok: false,
        diagnosis: 'no_suite_ticket',
        message:
          "No suite_ticket has reached this server yet. On 服务商管理后台 → 应用管理 → 登录授权, check that the callback URL is this connection's wecom-callback URL (with its Token and EncodingAESKey), then press 刷新Ticket.",
      };
    }
    if (error instanceof WecomHeldBack) {
      const wait = error.until !== undefined ? ` until ${new Date(error.until).toISOString()}` : '';
      return {
        ok: false,
        diagnosis: 'rate_limited',
        message: `WeCom rate-limited this CorpID recently, so this server holds back its calls${wait}. Try again then.`,
      };
    }
    if (error instanceof WecomTransportError) {
      return {
        ok: false,
        diagnosis: 'wecom_unavailable',
        message: `WeCom could not be reached (${error.reason}). Check this server's outbound network and try again.`,
      };
    }
    if (!(error instanceof WecomApiError)) throw error;
    return {ok: false, errcode: error.errcode, ...diagnose(error)};
  }
}

function diagnose(error: WecomApiError): Pick<CredentialCheck, 'diagnosis' | 'message' | 'ip'> {
  switch (error.errcode) {
    case 40001:
    case 40091:
    case 41004:
      return {
        diagnosis: 'wrong_secret',
        message:
          'WeCom rejected the ProviderSecret. Copy it again from 服务商管理后台 → 应用管理 → 通用开发参数 (the ProviderSecret, not an app Secret).',
      };
    case 40013:
    case 41002:
      return {
        diagnosis: 'wrong_corp_id',
        message:
          'WeCom does not know this CorpID. Copy the provider CorpID from 服务商管理后台 → 应用管理 → 通用开发参数.',
      };
    case 40085:
      return {
        diagnosis: 'invalid_suite_ticket',
        message:
          "WeCom refused the stored suite_ticket (expired, or pushed for another suite). Press 刷新Ticket on the 登录授权 page and check that its callback URL is this connection's.",
      };
    case 40083:
      return {
        diagnosis: 'wrong_suite_id',
        message:
          'WeCom does not know this SuiteID. Copy the SuiteID from 服务商管理后台 → 应用管理 → 登录授权 (not the CorpID).',
      };
    case 40080:
      return {
        diagnosis: 'wrong_suite_secret',
        message:
          'WeCom rejected the Secret. Copy the Secret of 服务商管理后台 → 应用管理 → 登录授权 (not the ProviderSecret).',
      };
    case 60020: {
      const ip = parseFromIp(error.errmsg) ?? undefined;
      return {
        diagnosis: 'ip_not_whitelisted',
        ip,
        message: `WeCom refused calls from this server's IP${ip ? ` (${ip})` : ''}. Add it in 服务商管理后台 → 服务商信息 → 基本信息 → IP白名单; the change takes effect at once.`,
      };
    }
    case 45009:
    case 45033:
      return {
        diagnosis: 'rate_limited',
        message: 'WeCom is rate-limiting this provider. Wait at least a minute before checking again.',
      };
    case -1:
      return {diagnosis: 'wecom_unavailable', message: 'WeCom is busy. Try again in a minute.'};
    default:
      return {
        diagnosis: 'wecom_error',
        message: `WeCom answered errcode ${error.errcode}. See https://open.work.weixin.qq.com/devtool/query?e=${error.errcode}.`,
      };
  }
}
