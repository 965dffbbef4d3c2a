import type {ProviderTokens} from '../wecom/provider-tokens.ts';
import {errcodeEntry, type ErrcodeDiagnosis} from '../wecom/wecom-errcodes.ts';
import {NoSuiteTicket, WecomApiError, WecomTransportError, parseFromIp, WecomHeldBack} from '../wecom/wecom-errors.ts';

/** What an admin should do about a connection's credentials. */
export type CredentialDiagnosis = 'ok' | ErrcodeDiagnosis | 'wecom_error' | 'no_suite_ticket';

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
          'No suite_ticket has reached this server yet. On 服务商管理后台 → 应用管理 → 登录授权, check that ' +
          "the callback URL is this connection's wecom-callback URL (with its Token and EncodingAESKey), " +
          'then press 刷新Ticket.',
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

/** The admin's diagnosis and hint for WeCom's answer, from the errcode table. */
function diagnose(error: WecomApiError): Pick<CredentialCheck, 'diagnosis' | 'message' | 'ip'> {
  const entry = errcodeEntry(error.errcode);
  if (entry?.diagnosis === undefined || entry.hint === undefined) {
    return {
      diagnosis: 'wecom_error',
      message:
        `WeCom answered errcode ${error.errcode}. See ` +
        `https://open.work.weixin.qq.com/devtool/query?e=${error.errcode}.`,
    };
  }
  // 60020 says which IP WeCom saw: the one to add to the whitelist.
  const ip = entry.diagnosis === 'ip_not_whitelisted' ? (parseFromIp(error.errmsg) ?? undefined) : undefined;
  return {diagnosis: entry.diagnosis, message: entry.hint.replace('{ip}', ip ? ` (${ip})` : ''), ...(ip && {ip})};
}
