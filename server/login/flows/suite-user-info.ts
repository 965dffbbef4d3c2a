import type {WecomIdentity} from '../../db/user-store.ts';
import {LoginNotAllowed} from '../../errors.ts';
import type {AccessTokens} from '../../wecom/access-tokens.ts';
import type {SuiteCredentials} from '../../wecom/suite-tokens.ts';
import type {WecomClient} from '../../wecom/wecom-client.ts';
import {assertPlausibleCode, toExchangeError} from '../exchange-errors.ts';

/**
 * The identity behind a suite's login code, by auth/getuserinfo3rd with the suite's token: the
 * 登录授权 suite's after a QR login, the app suite's after an in-client one. The user is
 * (corpid, open_userid), the same for a person in every app of one provider, so both protocols and
 * the legacy one meet in one account. WeCom gives no name, avatar or usertype here.
 */
export async function exchangeSuiteCode(
  deps: {wecom: WecomClient; suiteTokens: AccessTokens<SuiteCredentials>},
  credentials: SuiteCredentials,
  code: string,
): Promise<WecomIdentity> {
  assertPlausibleCode(code);
  let info;
  try {
    info = await deps.suiteTokens.withToken(credentials, (token) => deps.wecom.getUserInfo3rd(token, code));
  } catch (error) {
    throw toExchangeError(error);
  }
  // openid alone: a WeChat user in no enterprise. Nothing stable to key an account on for a site
  // that admits enterprises' members, so refused (the safe reading; WeCom leaves it to us).
  if (!info.corpId || (!info.openUserId && !info.userId)) {
    throw new LoginNotAllowed('no_enterprise');
  }
  return {
    corpId: info.corpId,
    openUserId: info.openUserId,
    userId: info.userId,
    // No name in these flows: the userid (which may be ciphertext) or the open_userid stands in.
    name: info.userId ?? info.openUserId!,
  };
}
