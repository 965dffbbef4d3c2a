import type {LoginMessage} from '../../widget/protocol.ts';
import {errorSentence, STRINGS, type Lang} from '../../widget/strings.ts';
import {escapeHtml, jsonForScript, renderPage} from './html.ts';

/** The result page's own words, beside the element's catalogue of error sentences (widget/strings.ts). */
const PAGE_STRINGS: Record<Lang, {success: string; failure: string; close: string; detail: string}> = {
  'zh-CN': {success: '登录成功', failure: '登录失败', close: '您可以关闭此窗口。', detail: '给网站管理员的说明'},
  en: {
    success: 'Logged in',
    failure: 'Login failed',
    close: 'You can close this window.',
    detail: 'For the site owner',
  },
};

/**
 * The fixed script of every result page. It posts the JSON of the page to exactly the recorded
 * origin, never '*': the window it posts to may have navigated elsewhere by now. A popup goes to
 * its opener and closes; an embedded panel goes to its parent.
 */
const POST_RESULT_SCRIPT = [
  '(function(){',
  'var m=document.querySelector(\'meta[name="wecom-sp-login-target-origin"]\');if(!m)return;',
  "var d=JSON.parse(document.getElementById('wecom-sp-login-result').textContent);",
  'var t=window.opener||(window.parent!==window?window.parent:null);if(!t)return;',
  't.postMessage(d,m.content);if(window.opener)window.close();})();',
].join('\n');

/** Options of renderResultPage. */
export interface ResultPageOptions {
  /** The origin the message is posted to; null renders the outcome without posting it (unknown origin). */
  targetOrigin: string | null;
  /** In embedded mode, the host origin allowed to frame the page. */
  frameAncestor?: string | null;
  /** The visitor's language (Accept-Language): the page's words and the error's sentence. */
  lang?: Lang;
}

/** Renders the page that hands a login result to the element. */
export function renderResultPage(
  message: LoginMessage,
  {targetOrigin, frameAncestor, lang = 'zh-CN'}: ResultPageOptions,
): {html: string; csp: string} {
  const words = PAGE_STRINGS[lang];
  const success = message.type === 'wecom-sp-login:success';
  const heading = success ? words.success : words.failure;
  // The visitor reads the sentence for the code in their language; the server's English detail
  // (which field, which rule) follows for whoever set the site up.
  const detail = success ? words.close : errorSentence(STRINGS[lang], message.error.code);
  const code = success
    ? ''
    : `<p><code>${escapeHtml(message.error.code)}</code></p><p ` +
      `title="${escapeHtml(words.detail)}"><small>${escapeHtml(message.error.message)}</small></p>`;
  const meta = targetOrigin ? `<meta name="wecom-sp-login-target-origin" content="${escapeHtml(targetOrigin)}">` : '';
  return renderPage({
    lang,
    title: heading,
    bodyHtml: `${meta}<main><h1>${heading}</h1><p>${escapeHtml(detail)}</p>${code}</main>
<script type="application/json" id="wecom-sp-login-result">${jsonForScript(message)}</script>`,
    script: POST_RESULT_SCRIPT,
    frameAncestor,
  });
}
