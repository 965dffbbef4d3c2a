/**
 * Every WeCom errcode the server treats on purpose, in one table: what it means (doc 90313), how
 * the server handles it, and what the admin credential check tells an admin about it. The sets of
 * wecom-errors.ts and the diagnoses of check-credentials.ts are read from here.
 */

/**
 * How the server handles an errcode:
 * - `token`: the cached access token is dead; fetch a new one and retry once;
 * - `retry`: WeCom is busy (-1); worth one retry after a pause;
 * - `rate_limit`: WeCom limits this provider; every process holds back its calls for a while;
 * - `busy`: transient; the visitor gets `wecom_unavailable`;
 * - `config`: credentials or console setup are wrong; the visitor gets `wecom_config_error`;
 * - `invalid_code`: the login code is unknown, used or expired; the visitor gets `exchange_failed`;
 * - `not_installed`: the member's enterprise keeps the app from them; `login_not_allowed`.
 */
export type ErrcodeClass = 'token' | 'retry' | 'rate_limit' | 'busy' | 'config' | 'invalid_code' | 'not_installed';

/** What the admin credential check concludes from an errcode. */
export type ErrcodeDiagnosis =
  | 'wrong_secret'
  | 'wrong_corp_id'
  | 'ip_not_whitelisted'
  | 'rate_limited'
  | 'wecom_unavailable'
  | 'invalid_suite_ticket'
  | 'wrong_suite_id'
  | 'wrong_suite_secret';

/** One errcode: its meaning, its handling, and the admin's diagnosis and hint (`{ip}`: the IP WeCom saw). */
export interface ErrcodeEntry {
  errcode: number;
  meaning: string;
  classes: readonly ErrcodeClass[];
  diagnosis?: ErrcodeDiagnosis;
  hint?: string;
}

const WRONG_SECRET =
  'WeCom rejected the ProviderSecret. Copy it again from 服务商管理后台 → 应用管理 → 通用开发参数 (the ' +
  'ProviderSecret, not an ' +
  'app Secret).';
const WRONG_CORP_ID =
  'WeCom does not know this CorpID. Copy the provider CorpID from 服务商管理后台 → 应用管理 → 通用开发参数.';
const RATE_LIMITED = 'WeCom is rate-limiting this provider. Wait at least a minute before checking again.';

/** The table. */
export const WECOM_ERRCODES: readonly ErrcodeEntry[] = [
  {
    errcode: -1,
    meaning: '系统繁忙',
    classes: ['retry', 'busy'],
    diagnosis: 'wecom_unavailable',
    hint: 'WeCom is busy. Try again in a minute.',
  },
  {errcode: 40001, meaning: '不合法的secret参数', classes: ['config'], diagnosis: 'wrong_secret', hint: WRONG_SECRET},
  {errcode: 40091, meaning: 'secret不合法', classes: ['config'], diagnosis: 'wrong_secret', hint: WRONG_SECRET},
  {errcode: 41004, meaning: '缺少secret参数', classes: ['config'], diagnosis: 'wrong_secret', hint: WRONG_SECRET},
  {errcode: 40013, meaning: '不合法的CorpID', classes: ['config'], diagnosis: 'wrong_corp_id', hint: WRONG_CORP_ID},
  {errcode: 41002, meaning: '缺少corpid参数', classes: ['config'], diagnosis: 'wrong_corp_id', hint: WRONG_CORP_ID},
  {errcode: 48002, meaning: 'API接口无权限调用', classes: ['config']},
  {errcode: 50001, meaning: 'redirect_url未登记可信域名', classes: ['config']},
  {
    errcode: 60020,
    meaning: '不安全的访问IP',
    classes: ['config'],
    diagnosis: 'ip_not_whitelisted',
    hint:
      "WeCom refused calls from this server's IP{ip}. Add it in 服务商管理后台 → 服务商信息 → 基本信息 → " +
      'IP白名单; the change ' +
      'takes effect at once.',
  },
  {
    errcode: 40080,
    meaning: '不合法的suite_secret',
    classes: ['config'],
    diagnosis: 'wrong_suite_secret',
    hint:
      'WeCom rejected the Secret. Copy the Secret of 服务商管理后台 → 应用管理 → 登录授权 ' +
      '(not the ProviderSecret).',
  },
  {
    errcode: 40083,
    meaning: '不合法的suite_id',
    classes: ['config'],
    diagnosis: 'wrong_suite_id',
    hint:
      'WeCom does not know this SuiteID. Copy the SuiteID from 服务商管理后台 → 应用管理 → 登录授权 (not the ' +
      'CorpID).',
  },
  {
    errcode: 40085,
    meaning: '不合法的suite_ticket',
    classes: ['config'],
    diagnosis: 'invalid_suite_ticket',
    hint:
      'WeCom refused the stored suite_ticket (expired, or pushed for another suite). Press 刷新Ticket on the ' +
      "登录授权 page and check that its callback URL is this connection's.",
  },
  {
    errcode: 45009,
    meaning: '接口调用超过限制',
    classes: ['rate_limit', 'busy'],
    diagnosis: 'rate_limited',
    hint: RATE_LIMITED,
  },
  {
    errcode: 45033,
    meaning: '接口并发调用超过限制',
    classes: ['rate_limit', 'busy'],
    diagnosis: 'rate_limited',
    hint: RATE_LIMITED,
  },
  {errcode: 40014, meaning: '不合法的access_token', classes: ['token']},
  {errcode: 42001, meaning: 'access_token已过期', classes: ['token']},
  {errcode: 40082, meaning: '不合法的suite_token', classes: ['token']},
  {errcode: 41001, meaning: '缺少access_token参数', classes: ['token']},
  {errcode: 42009, meaning: 'suite_access_token已过期', classes: ['token']},
  {errcode: 40029, meaning: '不合法的oauth_code', classes: ['invalid_code']},
  {errcode: 40078, meaning: '不合法的临时授权码', classes: ['invalid_code']},
  {errcode: 41008, meaning: '缺少auth code参数', classes: ['invalid_code']},
  {errcode: 48004, meaning: '授权关系无效', classes: ['not_installed']},
  {errcode: 50002, meaning: '成员不在权限范围', classes: ['not_installed']},
  {errcode: 60011, meaning: '指定的成员/部门/标签参数无权限', classes: ['not_installed']},
];

/** The errcodes of one class. */
export function errcodesOf(errcodeClass: ErrcodeClass): ReadonlySet<number> {
  return new Set(WECOM_ERRCODES.filter((entry) => entry.classes.includes(errcodeClass)).map((entry) => entry.errcode));
}

/** The table's entry for `errcode`, if the server treats it on purpose. */
export function errcodeEntry(errcode: number): ErrcodeEntry | undefined {
  return WECOM_ERRCODES.find((entry) => entry.errcode === errcode);
}
