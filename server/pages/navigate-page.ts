import {escapeHtml, jsonForScript, renderPage} from './html.ts';

/** Reads the target from the page's JSON (so the script, and its CSP hash, never change) and leaves. */
const NAVIGATE_SCRIPT =
  "location.replace(JSON.parse(document.getElementById('wecom-sp-login-navigate').textContent).url);";

/**
 * A page on the login server's own origin that navigates to WeCom's QR page. Navigating from here,
 * rather than answering with a 302, makes the Referer WeCom checks the login server's domain (the
 * registered 登录授权发起域名) instead of the host site's.
 */
export function renderNavigatePage(url: string, frameAncestor: string | null): {html: string; csp: string} {
  return renderPage({
    title: '企业微信登录 · WeCom login',
    bodyHtml: `<main><h1>正在打开企业微信登录… · Opening WeCom login…</h1>
<p><a href="${escapeHtml(url)}">继续 · Continue</a></p></main>
<script type="application/json" id="wecom-sp-login-navigate">${jsonForScript({url})}</script>`,
    script: NAVIGATE_SCRIPT,
    frameAncestor,
  });
}
