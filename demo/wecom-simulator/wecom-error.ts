import {randomInt} from 'node:crypto';

/** WeCom's English errmsg texts for the codes the simulator produces. */
const ERRMSG: Record<number, string> = {
  [-1]: 'system busy',
  40001: 'invalid credential',
  40013: 'invalid corpid',
  40014: 'invalid access_token',
  40029: 'invalid code',
  40080: 'invalid suite_secret',
  40082: 'invalid suite_acccess_token or provider_access_token',
  40083: 'invalid SuiteId',
  40085: 'invalid suite ticket',
  41021: 'suite_id missing',
  41022: 'suite_access_token missing',
  41023: 'suite_ticket missing',
  41024: 'suite_secret missing',
  42009: 'suite_access_token expired',
  50001: 'redirect_url not trusted',
  41001: 'access_token missing',
  41002: 'corpid missing',
  41004: 'secret missing',
  41008: 'missing auth code',
  42001: 'access_token expired',
  45009: 'api freq out of limit',
  45033: 'api concurrent out of limit',
  47001: 'data format error',
  60020: 'not allow to access from your ip',
};

/**
 * A WeCom error body: HTTP 200, `errcode` and an `errmsg` in WeCom's shape,
 * `<text>, hint: [<id>], from ip: <ip>, more info at https://open.work.weixin.qq.com/devtool/query?e=<code>`.
 */
export function wecomError(errcode: number, ip: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const hint = `${Math.floor(Date.now() / 1000)}${randomInt(1e9).toString().padStart(9, '0')}${randomInt(1e6)}`;
  const text = ERRMSG[errcode] ?? 'unknown error';
  return {
    errcode,
    errmsg:
      `${text}, hint: [${hint}], from ip: ${ip}, more info at ` +
      `https://open.work.weixin.qq.com/devtool/query?e=${errcode}`,
    ...extra,
  };
}
