import type Router from '@koa/router';
import type Koa from 'koa';
import type {ScriptedIdentity} from './identities.ts';
import type {SimulatedEndpoint, SimulatorState} from './simulator-state.ts';
import {wecomError} from './wecom-error.ts';

/** POST /cgi-bin/service/get_provider_token and /cgi-bin/service/get_login_info, as WeCom answers them. */
export function addApiRoutes(router: Router, state: SimulatorState): void {
  router.post('/cgi-bin/service/get_provider_token', async (ctx) => {
    await answer(ctx, state, 'get_provider_token', (body, ip) => {
      if (typeof body.corpid !== 'string' || body.corpid === '') return wecomError(41002, ip);
      if (typeof body.provider_secret !== 'string' || body.provider_secret === '') return wecomError(41004, ip);
      const provider = state.provider(body.corpid);
      if (!provider) return wecomError(40013, ip);
      if (provider.providerSecret !== body.provider_secret) return wecomError(40001, ip);
      const {token, expiresIn} = state.issueProviderToken(provider.corpId);
      // The success body has no errcode or errmsg at all.
      return {provider_access_token: token, expires_in: expiresIn};
    });
  });

  router.post('/cgi-bin/service/get_login_info', async (ctx) => {
    await answer(ctx, state, 'get_login_info', (body, ip) => {
      const accessToken = ctx.query.access_token;
      if (typeof accessToken !== 'string' || accessToken === '') return wecomError(41001, ip);
      // The token is checked before the code, so a token error leaves the auth_code unused.
      const token = state.checkToken(accessToken);
      if (token.errcode !== 0) return wecomError(token.errcode, ip);
      if (typeof body.auth_code !== 'string' || body.auth_code === '') return wecomError(41008, ip);
      const identity = state.consumeAuthCode(body.auth_code, token.corpId!);
      if (!identity) return wecomError(40029, ip, {agent: []});
      return loginInfo(identity);
    });
  });
}

/** The full get_login_info body; admins get `agent` and `auth_info`, contacts-less users lose their ids. */
function loginInfo(identity: ScriptedIdentity): Record<string, unknown> {
  const userInfo = identity.inContacts
    ? {userid: identity.userid, open_userid: identity.openUserid, name: identity.userid, avatar: identity.avatar}
    : // "登录用户在通讯录中时返回": outside the contacts only the (userid-valued) name is left.
      {name: identity.key};
  const admin = identity.usertype !== 5;
  return {
    errcode: 0,
    errmsg: 'ok',
    usertype: identity.usertype,
    user_info: userInfo,
    corp_info: {corpid: identity.corpId},
    ...(admin && {
      agent: [
        {agentid: 1000001, auth_type: 1},
        {agentid: 1000002, auth_type: 0},
      ],
      auth_info: {
        department: [
          {id: 1, writable: true},
          {id: 2, writable: false},
        ],
      },
    }),
  };
}

/** Answers an API call as WeCom does: faults and the IP whitelist first, then `handle`; HTTP 200 JSON either way. */
export async function answer(
  ctx: Koa.Context,
  state: SimulatorState,
  endpoint: SimulatedEndpoint,
  handle: (body: Record<string, unknown>, ip: string) => Record<string, unknown>,
): Promise<void> {
  const ip = ctx.ip.replace(/^::ffff:/, '');
  const fault = state.takeFault(endpoint);
  if (fault && 'delayMs' in fault) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
  let result: Record<string, unknown>;
  if (fault && 'httpStatus' in fault) {
    state.record(endpoint, -1);
    ctx.status = fault.httpStatus;
    ctx.body = '<html><body>upstream error</body></html>';
    return;
  } else if (fault && 'malformed' in fault) {
    state.record(endpoint, -1);
    ctx.type = 'application/json';
    ctx.body = '{"errcode":0,"errmsg":"ok",';
    return;
  } else if (fault && 'errcode' in fault) {
    result = wecomError(fault.errcode, ip);
  } else if (!state.ipAllowed(ip)) {
    result = wecomError(60020, ip);
  } else if (ctx.state.badJson) {
    result = wecomError(47001, ip);
  } else {
    result = handle((ctx.request.body as Record<string, unknown> | undefined) ?? {}, ip);
  }
  state.record(endpoint, typeof result.errcode === 'number' ? result.errcode : 0);
  // WeCom answers errors with HTTP 200 too; only the body tells.
  ctx.status = 200;
  ctx.type = 'application/json; charset=UTF-8';
  ctx.body = JSON.stringify(result);
}
