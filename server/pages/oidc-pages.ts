import type {KoaContextWithOIDC} from 'oidc-provider';
import {pageLang, sendPage} from '../routes/http.ts';
import type {Lang} from '../../widget/strings.ts';
import {escapeHtml, renderPage} from './html.ts';

/** The texts of the provider's pages, in each language the server speaks. */
const TEXT = {
  'zh-CN': {
    loginTitle: '登录',
    loginHeading: (app: string) => `登录 ${app}`,
    loginSite: (site: string) => `此应用位于 ${site}。`,
    loginHint: '请确认你要登录的是这个应用，再用企业微信扫码。',
    continue: '使用企业微信继续',
    errorTitle: '登录出错',
    errorHeading: '无法登录',
    logoutTitle: '退出登录',
    logoutHeading: (app: string) => `要退出 ${app} 吗？`,
    logoutYes: '退出',
    logoutNo: '取消',
    loggedOut: '你已退出登录。',
  },
  en: {
    loginTitle: 'Log in',
    loginHeading: (app: string) => `Log in to ${app}`,
    loginSite: (site: string) => `This application is at ${site}.`,
    loginHint: 'Check that this is the application you mean to log in to, then scan with WeCom.',
    continue: 'Continue with WeCom',
    errorTitle: 'Login error',
    errorHeading: 'Could not log in',
    logoutTitle: 'Log out',
    logoutHeading: (app: string) => `Log out of ${app}?`,
    logoutYes: 'Log out',
    logoutNo: 'Cancel',
    loggedOut: 'You are logged out.',
  },
} satisfies Record<Lang, unknown>;

/**
 * The page /oidc/interaction/:uid shows before any QR code: which application asked for the login
 * and where it is (the host of its redirect URI), so a relayed login request names a site the
 * visitor can recognise as not theirs. The link starts the WeCom login.
 */
export function renderOidcLoginPage(
  lang: Lang,
  {appName, site, continueUrl}: {appName: string; site: string; continueUrl: string},
): {html: string; csp: string} {
  const text = TEXT[lang];
  return renderPage({
    lang,
    title: text.loginTitle,
    bodyHtml:
      `<main><h1>${escapeHtml(text.loginHeading(appName))}</h1><p>${escapeHtml(text.loginSite(site))}</p>` +
      `<p>${escapeHtml(text.loginHint)}</p>` +
      `<a class="button" href="${escapeHtml(continueUrl)}">${escapeHtml(text.continue)}</a></main>`,
  });
}

/**
 * oidc-provider's error page (an unknown client, a redirect URI not registered, an expired login):
 * shown here, never sent to an unverified redirect URI. The code and description are the protocol's.
 */
export function renderOidcErrorPage(
  ctx: KoaContextWithOIDC,
  out: {error: string; error_description?: string},
  _error: unknown,
): void {
  const lang = pageLang(ctx);
  const text = TEXT[lang];
  const detail = out.error_description ? `: ${out.error_description}` : '';
  sendPage(
    ctx,
    renderPage({
      lang,
      title: text.errorTitle,
      bodyHtml:
        `<main><h1>${escapeHtml(text.errorHeading)}</h1>` +
        `<p><code>${escapeHtml(out.error + detail)}</code></p></main>`,
    }),
    ctx.status,
  );
}

/** The confirmation of RP-initiated logout; `form` is oidc-provider's, with its XSRF token. */
export function renderLogoutPage(ctx: KoaContextWithOIDC, form: string): void {
  const lang = pageLang(ctx);
  const text = TEXT[lang];
  const app = ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId ?? '';
  // The confirmation posts here, then redirects to the client's registered post-logout URI
  // (validated by oidc-provider): form-action governs that redirect too, so it names its origin.
  const returnTo = (ctx.oidc.params as {post_logout_redirect_uri?: unknown} | undefined)?.post_logout_redirect_uri;
  const returnOrigin = typeof returnTo === 'string' ? URL.parse(returnTo)?.origin : undefined;
  sendPage(
    ctx,
    renderPage({
      lang,
      title: text.logoutTitle,
      formAction: returnOrigin && returnOrigin !== 'null' ? `'self' ${returnOrigin}` : "'self'",
      bodyHtml:
        `<main><h1>${escapeHtml(text.logoutHeading(String(app)))}</h1>${form}` +
        `<button class="button" type="submit" form="op.logoutForm" value="yes" name="logout">` +
        `${escapeHtml(text.logoutYes)}</button>` +
        `<button class="button quiet" type="submit" form="op.logoutForm">${escapeHtml(text.logoutNo)}</button></main>`,
    }),
  );
}

/** What a logout without a post-logout redirect URI ends on. */
export function renderLoggedOutPage(ctx: KoaContextWithOIDC): void {
  const lang = pageLang(ctx);
  const text = TEXT[lang];
  sendPage(
    ctx,
    renderPage({lang, title: text.logoutTitle, bodyHtml: `<main><h1>${escapeHtml(text.loggedOut)}</h1></main>`}),
  );
}
