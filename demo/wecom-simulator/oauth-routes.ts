import type Router from '@koa/router';
import type Koa from 'koa';
import type {ScriptedIdentity} from './identities.ts';
import type {SimulatedLoginSuite} from './login-suites.ts';
import {hostOf, refuse} from './sim-http.ts';
import {consentPage, notInClientPage, workbenchPage} from './sim-pages.ts';
import type {SimulatorState} from './simulator-state.ts';

/** The WeCom client's User-Agent mark (wecom-inclient.md §6.1): `wxwork/<version>`. */
const WECOM_CLIENT = /wxwork\/[\d.]+/i;

/**
 * Who is signed in to the simulated WeCom client: the identity key in this cookie. A real client
 * knows its user; a browser standing in for one is told with GET /sim/wecom-client/sign-in.
 */
const USER_COOKIE = 'sim_wecom_user';

/**
 * Simulator only: this browser stands in for the WeCom client whatever its User-Agent, as after
 * "open the app from the workbench" on the simulator's console.
 */
const CLIENT_COOKIE = 'sim_wecom_client';

/** state's rule (84025): letters and digits, at most 128. */
const STATE = /^[A-Za-z0-9]{0,128}$/;

/**
 * The in-client authorization (wecom-inclient.md §2, §11): GET /connect/oauth2/authorize on the
 * open.weixin.qq.com stand-in, the client's signed-in user, and the workbench that opens an app's
 * 应用主页. Outside the WeCom client the page only says to open the link in WeCom, as WeCom's does
 * (and, being a simulator, lists who to continue as).
 */
export function addOauthRoutes(
  router: Router,
  state: SimulatorState,
  events: {onUnlicensed(suiteId: string, corpId: string, userId: string): void},
): void {
  const {suites} = state;

  router.get('/connect/oauth2/authorize', async (ctx) => {
    const {appid, redirect_uri: redirectUri, response_type: responseType, scope, state: loginState = ''} = ctx.query;
    const inClient = WECOM_CLIENT.test(ctx.get('User-Agent')) || ctx.cookies.get(CLIENT_COOKIE) === '1';
    if (!inClient) return page(ctx, notInClientPage(`/sim/wecom-client/continue?${ctx.querystring}`, state.identities));
    if (responseType !== 'code') return refuse(ctx, '参数错误', 'response_type must be code.');
    const suite = typeof appid === 'string' ? suites.appSuite(appid) : undefined;
    // The 登录授权 SuiteID as appid is undocumented [U]: refused, the reading that keeps us honest.
    if (!suite) return refuse(ctx, 'appid 参数错误', 'appid is not the SuiteID of an app suite (第三方应用).');
    const redirectHost = typeof redirectUri === 'string' ? hostOf(redirectUri) : null;
    if (redirectHost === null || !suite.trustedDomains.includes(redirectHost))
      return refuse(ctx, 'redirect_uri参数错误', "The redirect_uri host is not on the app's 可信域名.");
    if (scope !== 'snsapi_base' && scope !== 'snsapi_privateinfo')
      return refuse(ctx, 'scope 参数错误', 'scope must be snsapi_base or snsapi_privateinfo.');
    if (typeof loginState !== 'string' || !STATE.test(loginState))
      return refuse(ctx, '不符合的state参数 (84025)', 'state must be at most 128 letters or digits.');
    const identity = state.identity(ctx.cookies.get(USER_COOKIE) ?? '');
    if (!identity)
      return refuse(
        ctx,
        '请先登录企业微信',
        'No one is signed in to this simulated WeCom client (GET /sim/wecom-client/sign-in?as=…).',
      );
    const refusal = installRefusal(suite, identity);
    if (refusal?.errcode === null && suite.callback)
      events.onUnlicensed(suite.suiteId, identity.corpId, identity.userid);
    if (refusal && (refusal.errcode === null || state.inClientRefusals() === 'page'))
      return refuse(ctx, refusal.page, refusal.detail);
    const back = (withCode: boolean) =>
      appendQuery(redirectUri as string, {
        ...(withCode && {code: suites.issueCode(identity, suite.suiteId, redirectHost, refusal?.errcode ?? undefined)}),
        state: loginState,
      });
    // snsapi_base is silent; privateinfo asks once (the simulator asks every time).
    if (scope === 'snsapi_base') return ctx.redirect(back(true));
    return page(ctx, consentPage(back(true), back(false)));
  });

  // Simulator hooks: sign a user in to "the WeCom client", and continue an authorize request as them.
  router.get('/sim/wecom-client/sign-in', async (ctx) => {
    const identity = typeof ctx.query.as === 'string' ? state.identity(ctx.query.as) : undefined;
    if (!identity) return refuse(ctx, '参数错误', 'Unknown identity.');
    signIn(ctx, identity, false);
    ctx.body = {signedIn: identity.key};
  });
  router.get('/sim/wecom-client/continue', async (ctx) => {
    const identity = typeof ctx.query.as === 'string' ? state.identity(ctx.query.as) : undefined;
    if (!identity) return refuse(ctx, '参数错误', 'Unknown identity.');
    signIn(ctx, identity, true);
    const query = new URLSearchParams(ctx.querystring);
    query.delete('as');
    ctx.redirect(`/connect/oauth2/authorize?${query}`);
  });

  // The WeCom workbench: each app suite's 应用主页, opened as one of the members.
  router.get('/sim/workbench', async (ctx) => {
    const apps = suites.suites.filter((suite) => suite.kind === 'app' && suite.homepageUrl);
    page(
      ctx,
      workbenchPage(
        apps.map((app) => ({suiteId: app.suiteId, url: app.homepageUrl!})),
        state.identities.filter((i) => !i.wechatOnly),
      ),
    );
  });
  router.get('/sim/workbench/open', async (ctx) => {
    const app = typeof ctx.query.suite === 'string' ? suites.appSuite(ctx.query.suite) : undefined;
    const identity = typeof ctx.query.as === 'string' ? state.identity(ctx.query.as) : undefined;
    if (!app?.homepageUrl || !identity) return refuse(ctx, '参数错误', 'Unknown app or identity.');
    signIn(ctx, identity, true);
    ctx.redirect(app.homepageUrl);
  });
}

/**
 * Why WeCom would not give the app to a member: its page, and the errcode of the "code anyway" reading (none: always
 * the page).
 */
interface Refusal {
  page: string;
  detail: string;
  errcode: number | null;
}

function installRefusal(suite: SimulatedLoginSuite, identity: ScriptedIdentity): Refusal | null {
  // A WeChat user in no enterprise gets a code; getuserinfo3rd answers an openid.
  if (identity.wechatOnly) return null;
  const install = suite.installs?.[identity.corpId];
  if (!install)
    return {
      page: '该应用未安装',
      detail: 'Your enterprise has not installed this app. Ask your admin.',
      errcode: 48004,
    };
  if (install.visibleTo && !install.visibleTo.includes(identity.key)) {
    return {
      page: '你不在该应用的可见范围',
      detail: "You are outside this app's visible range. Ask your admin.",
      errcode: 50002,
    };
  }
  // "企业微信会提示用户联系服务商开通许可账号" (doc 95716): WeCom's own prompt, whatever the knob.
  if (install.unlicensed?.includes(identity.key))
    return {
      page: '请联系服务商开通许可账号',
      detail: 'Your account has no WeCom licence (基础账号) for this app. Ask your admin.',
      errcode: null,
    };
  return null;
}

/**
 * The client remembers who is signed in and, for a desktop browser opening the app from the simulator, that it stands
 * in for the client.
 */
function signIn(ctx: Koa.Context, identity: ScriptedIdentity, standInForClient: boolean): void {
  ctx.cookies.set(USER_COOKIE, identity.key, {httpOnly: true, sameSite: 'lax', overwrite: true});
  if (standInForClient) ctx.cookies.set(CLIENT_COOKIE, '1', {httpOnly: true, sameSite: 'lax', overwrite: true});
}

function page(ctx: Koa.Context, html: string): void {
  ctx.type = 'html';
  ctx.body = html;
}

/** `url` with `params` added: `&` when it has a query already (doc 96441's example), and an empty state kept. */
function appendQuery(url: string, params: Record<string, string>): string {
  return `${url}${url.includes('?') ? '&' : '?'}${new URLSearchParams(params)}`;
}
