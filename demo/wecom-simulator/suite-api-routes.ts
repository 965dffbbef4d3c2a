import type Router from '@koa/router';
import {answer} from './api-routes.ts';
import type {SimulatorState} from './simulator-state.ts';
import {wecomError} from './wecom-error.ts';

/**
 * The suites' two calls (wecom-serviceapp.md §2.5, §3.1; wecom-inclient.md §3.1), the same for the
 * 登录授权 suite and app suites: POST get_suite_token and GET auth/getuserinfo3rd, with their
 * errcodes and lower-case success bodies (no user_ticket: snsapi_base).
 */
export function addSuiteApiRoutes(router: Router, state: SimulatorState): void {
  const {suites} = state;
  router.post('/cgi-bin/service/get_suite_token', async (ctx) => {
    await answer(ctx, state, 'get_suite_token', (body, ip) => {
      if (typeof body.suite_id !== 'string' || body.suite_id === '') return wecomError(41021, ip);
      if (typeof body.suite_secret !== 'string' || body.suite_secret === '') return wecomError(41024, ip);
      if (typeof body.suite_ticket !== 'string' || body.suite_ticket === '') return wecomError(41023, ip);
      const suite = suites.suite(body.suite_id);
      if (!suite) return wecomError(40083, ip);
      if (suite.suiteSecret !== body.suite_secret) return wecomError(40080, ip);
      if (!suites.ticketValid(body.suite_ticket, suite.suiteId)) return wecomError(40085, ip);
      const {token, expiresIn} = suites.issueToken(suite.suiteId);
      // "该接口在调用失败时才返回errcode": a success may carry none.
      return {
        ...(state.suiteTokenWithErrcode() && {errcode: 0, errmsg: 'ok'}),
        suite_access_token: token,
        expires_in: expiresIn,
      };
    });
  });
  // The body is ignored on GET, so WeCom sees no suite_id.
  router.get('/cgi-bin/service/get_suite_token', async (ctx) => {
    await answer(ctx, state, 'get_suite_token', (_body, ip) => wecomError(40083, ip));
  });

  router.get('/cgi-bin/service/auth/getuserinfo3rd', async (ctx) => {
    await answer(ctx, state, 'getuserinfo3rd', (_body, ip) => {
      const token = ctx.query.suite_access_token;
      if (typeof token !== 'string' || token === '') return wecomError(41022, ip);
      const checked = suites.checkToken(token);
      if (checked.errcode !== 0) return wecomError(checked.errcode, ip);
      const code = ctx.query.code;
      if (typeof code !== 'string' || code === '') return wecomError(41008, ip);
      const suite = suites.suite(checked.suiteId!)!;
      const issued = suites.consumeCode(code, suite.suiteId);
      if (issued && !suite.trustedDomains.includes(issued.redirectHost)) return wecomError(50001, ip);
      if (issued?.refusal !== undefined) return wecomError(issued.refusal, ip);
      // A 业务设置 auth_code of the suite's provider is accepted too, once its new login is enabled
      // (doc 98179): by the 登录授权 suite, not by an app suite.
      const identity =
        issued?.identity ?? (suite.kind === 'app' ? undefined : state.consumeAuthCode(code, suite.corpId));
      if (!identity) return wecomError(40029, ip);
      if (identity.wechatOnly) return {errcode: 0, errmsg: 'ok', openid: `o${identity.openUserid}`};
      // Outside the contacts (no authorization of the provider's apps) WeCom sends a ciphertext userid.
      const userid = identity.inContacts
        ? identity.userid
        : `cipher_${Buffer.from(identity.userid).toString('base64url')}`;
      return {errcode: 0, errmsg: 'ok', corpid: identity.corpId, userid, open_userid: identity.openUserid};
    });
  });
}
