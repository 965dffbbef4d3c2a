import {randomBytes} from 'node:crypto';
import type Router from '@koa/router';
import {hostOf, refuse} from './sim-http.ts';
import {adminConsolePage, qrPage} from './sim-pages.ts';
import type {SimulatorState} from './simulator-state.ts';

/** A QR code on a screen: the key a scan names, and the state its login page was opened with. */
export interface ShownQrCode {
  key: string;
  state: string | undefined;
}

interface PendingQr {
  providerCorpId: string;
  /** Set on WeCom's new login page: the 登录授权 suite whose code the scan issues. */
  suiteId?: string;
  redirectUri: string;
  state?: string;
  expiresAt: number;
}

/**
 * The browser side: GET /wwopen/sso/3rd_qrConnect, the scan and cancel hooks, and the admin console.
 * Returns the QR codes shown and not yet scanned or cancelled, oldest first: what a phone pointed
 * at the screen would see, for tests that scan from outside the page.
 */
export function addSsoRoutes(router: Router, state: SimulatorState): () => ShownQrCode[] {
  const pending = new Map<string, PendingQr>();

  router.get('/wwopen/sso/3rd_qrConnect', async (ctx) => {
    const {appid, redirect_uri: redirectUri, state: loginState, usertype = 'admin'} = ctx.query;
    const provider = typeof appid === 'string' ? state.provider(appid) : undefined;
    if (!provider) return refuse(ctx, 'appid 参数错误', 'appid is not a registered service provider CorpID.');
    // WeCom serves the page only when navigated to from a page on the 登录授权发起域名.
    const refererHost = hostOf(ctx.get('Referer'));
    if (refererHost === null || !provider.loginDomains.includes(refererHost)) {
      return refuse(
        ctx,
        '校验请求来源错误',
        `The Referer (${refererHost ?? 'none'}) is not a registered 登录授权发起域名.`,
      );
    }
    const redirectHost = typeof redirectUri === 'string' ? hostOf(redirectUri) : null;
    if (redirectHost === null || !provider.callbackDomains.includes(redirectHost)) {
      return refuse(ctx, 'redirect_uri 参数错误', 'The redirect_uri domain is not the registered 授权完成回调域名.');
    }
    if (loginState !== undefined && (typeof loginState !== 'string' || Buffer.byteLength(loginState) > 128)) {
      return refuse(ctx, 'state 参数错误', 'state must be at most 128 bytes.');
    }
    if (usertype !== 'admin' && usertype !== 'member')
      return refuse(ctx, 'usertype 参数错误', 'usertype must be admin or member.');
    const key = randomBytes(16).toString('hex');
    pending.set(key, {
      providerCorpId: provider.corpId,
      redirectUri: redirectUri as string,
      state: loginState,
      expiresAt: Date.now() + 10 * 60_000,
    });
    ctx.type = 'html';
    // A WeChat user in no enterprise cannot use the legacy QR login at all.
    ctx.body = qrPage({key, usertype, identities: state.identities.filter((identity) => !identity.wechatOnly)});
  });

  // WeCom's new login page (login_type=ServiceApp, doc 98171). Error texts carry the page's codes
  // as wecom-serviceapp.md §4.3 lists them.
  router.get('/wwlogin/sso/login', async (ctx) => {
    const {
      login_type: loginType,
      appid,
      redirect_uri: redirectUri,
      state: loginState,
      redirect_type: redirectType = 'top',
    } = ctx.query;
    if (loginType !== 'ServiceApp')
      return refuse(ctx, '登录类型错误 (-31040)', 'login_type must be ServiceApp for a provider login.');
    const suite = typeof appid === 'string' ? state.suites.suite(appid) : undefined;
    if (!suite)
      return refuse(ctx, 'appid错误 (-31027)', 'appid is not a registered 登录授权 SuiteID (a CorpID is not one).');
    const redirectHost = typeof redirectUri === 'string' ? hostOf(redirectUri) : null;
    if (redirectHost === null || !suite.trustedDomains.includes(redirectHost)) {
      return refuse(
        ctx,
        'redirect_uri 与可信域名不一致 (-31039)',
        'The redirect_uri host is not the 登录授权 trusted domain.',
      );
    }
    if (loginState !== undefined && (typeof loginState !== 'string' || Buffer.byteLength(loginState) > 128))
      return refuse(ctx, 'state 参数错误', 'state must be at most 128 bytes.');
    if (redirectType !== 'top' && redirectType !== 'self' && redirectType !== 'callback')
      return refuse(ctx, 'redirect_type 参数错误', 'redirect_type must be top, self or callback.');
    const key = randomBytes(16).toString('hex');
    pending.set(key, {
      providerCorpId: suite.corpId,
      suiteId: suite.suiteId,
      redirectUri: redirectUri as string,
      state: loginState,
      expiresAt: Date.now() + 10 * 60_000,
    });
    ctx.type = 'html';
    // redirect_type=top (the default) sends the top window to redirect_uri, wherever the page is framed.
    ctx.body = qrPage({
      key,
      usertype: 'member',
      identities: [...state.identities],
      target: redirectType === 'top' ? '_top' : undefined,
    });
  });

  // Simulator hook: the visitor "scans" as a scripted identity and confirms in WeCom.
  router.get('/wwopen/sso/sim/scan', async (ctx) => {
    const qr = takePending(pending, ctx.query.key);
    const identity = typeof ctx.query.as === 'string' ? state.identity(ctx.query.as) : undefined;
    if (!qr || !identity)
      return refuse(ctx, '二维码已失效', 'The QR code expired or was already used. Start the login again.');
    if (qr.suiteId !== undefined) {
      // The new login comes back with `code` and `state` only.
      const code = state.suites.issueCode(identity, qr.suiteId, hostOf(qr.redirectUri)!);
      return ctx.redirect(appendQuery(qr.redirectUri, {code, ...(qr.state !== undefined && {state: qr.state})}));
    }
    if (identity.wechatOnly) return refuse(ctx, '二维码已失效', 'This user belongs to no enterprise.');
    const code = state.issueAuthCode(identity.key, qr.providerCorpId);
    ctx.redirect(
      appendQuery(qr.redirectUri, {
        auth_code: code,
        ...(qr.state !== undefined && {state: qr.state}),
        appid: qr.providerCorpId,
      }),
    );
  });

  // Simulator hook: the visitor cancels. Undocumented in WeCom; like self-built qrConnect, back with state and no code.
  router.get('/wwopen/sso/sim/cancel', async (ctx) => {
    const qr = takePending(pending, ctx.query.key);
    if (!qr) return refuse(ctx, '二维码已失效', 'The QR code expired or was already used.');
    ctx.redirect(appendQuery(qr.redirectUri, qr.state !== undefined ? {state: qr.state} : {}));
  });

  router.get('/sim/admin-console', async (ctx) => {
    const apps = state.providers
      .filter((p) => p.businessSettingUrl)
      .map((p) => ({corpId: p.corpId, url: p.businessSettingUrl!}));
    ctx.type = 'html';
    ctx.body = adminConsolePage(
      apps,
      state.identities.filter((i) => i.usertype !== 5),
    );
  });

  // 业务设置: WeCom opens the provider's URL with ?auth_code= and no state.
  router.get('/sim/admin-console/launch', async (ctx) => {
    const provider = typeof ctx.query.provider === 'string' ? state.provider(ctx.query.provider) : undefined;
    const identity = typeof ctx.query.as === 'string' ? state.identity(ctx.query.as) : undefined;
    if (!provider?.businessSettingUrl || !identity) return refuse(ctx, '参数错误', 'Unknown provider or identity.');
    ctx.redirect(
      appendQuery(provider.businessSettingUrl, {auth_code: state.issueAuthCode(identity.key, provider.corpId)}),
    );
  });
  return () => [...pending].map(([key, qr]) => ({key, state: qr.state}));
}

function takePending(pending: Map<string, PendingQr>, key: unknown): PendingQr | undefined {
  if (typeof key !== 'string') return undefined;
  const qr = pending.get(key);
  pending.delete(key);
  return qr && qr.expiresAt > Date.now() ? qr : undefined;
}

function appendQuery(url: string, params: Record<string, string>): string {
  const query = new URLSearchParams(params).toString();
  if (!query) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}
