import type {LoginMessage} from '../../widget/protocol.ts';
import {escapeHtml, jsonForScript, renderPage} from './html.ts';

/**
 * The fixed script of every result page. It posts the JSON of the page to exactly the recorded
 * origin, never '*': the window it posts to may have navigated elsewhere by now. A popup goes to
 * its opener and closes; an embedded panel goes to its parent.
 */
const POST_RESULT_SCRIPT = `(function(){var m=document.querySelector('meta[name="wecom-sp-login-target-origin"]');if(!m)return;
var d=JSON.parse(document.getElementById('wecom-sp-login-result').textContent);
var t=window.opener||(window.parent!==window?window.parent:null);if(!t)return;
t.postMessage(d,m.content);if(window.opener)window.close();})();`;

/** Options of renderResultPage. */
export interface ResultPageOptions {
  /** The origin the message is posted to; null renders the outcome without posting it (unknown origin). */
  targetOrigin: string | null;
  /** In embedded mode, the host origin allowed to frame the page. */
  frameAncestor?: string | null;
}

/** Renders the page that hands a login result to the element. */
export function renderResultPage(
  message: LoginMessage,
  {targetOrigin, frameAncestor}: ResultPageOptions,
): {html: string; csp: string} {
  const success = message.type === 'wecom-sp-login:success';
  const heading = success ? '登录成功 · Logged in' : '登录失败 · Login failed';
  const detail = success ? '您可以关闭此窗口。 You can close this window.' : message.error.message;
  const code = success ? '' : `<p><code>${escapeHtml(message.error.code)}</code></p>`;
  const meta = targetOrigin ? `<meta name="wecom-sp-login-target-origin" content="${escapeHtml(targetOrigin)}">` : '';
  return renderPage({
    title: heading,
    bodyHtml: `${meta}<main><h1>${heading}</h1><p>${escapeHtml(detail)}</p>${code}</main>
<script type="application/json" id="wecom-sp-login-result">${jsonForScript(message)}</script>`,
    script: POST_RESULT_SCRIPT,
    frameAncestor,
  });
}
