import {createHash} from 'node:crypto';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Serializes JSON for a `<script type="application/json">` element. `<`, `>` and `&` become
 * \u escapes so that data such as `</script>` cannot close the element; U+2028/2029 likewise,
 * for older parsers that treat them as line ends.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const knownHashes = new Map<string, string>();

/**
 * The CSP source allowing exactly one inline script or style element. Pages pass only the few
 * fixed scripts and styles of this module and its callers, so each is hashed once, not per page.
 */
export function cspHash(content: string): string {
  let hash = knownHashes.get(content);
  if (hash === undefined) {
    hash = `'sha256-${createHash('sha256').update(content).digest('base64')}'`;
    if (knownHashes.size < 64) knownHashes.set(content, hash);
  }
  return hash;
}

/** The pages' one style sheet (its CSP hash is computed once, at run time). */
const STYLE = [
  'body{margin:0;font:15px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#1f2329;',
  'background:#f5f6f7;display:grid;place-items:center;min-height:100vh}',
  'main{background:#fff;border-radius:12px;padding:28px 32px;max-width:380px;',
  'box-shadow:0 2px 12px rgba(0,0,0,.08);text-align:center}',
  'h1{font-size:18px;margin:0 0 8px}p{margin:4px 0;color:#646a73}code{color:#5f6b7a;font-size:12px}a{color:#0071db}',
  '.button{display:inline-block;margin:16px 8px 0;padding:8px 20px;border-radius:6px;border:0;font:inherit;',
  'background:#0071db;color:#fff;text-decoration:none;cursor:pointer}.button.quiet{background:#eef0f2;color:#1f2329}',
].join('\n');

/** Options of renderPage. */
export interface PageOptions {
  /** The page's language; zh-CN by default. */
  lang?: string;
  title: string;
  /** Trusted HTML of the page body (escape every value that goes into it). */
  bodyHtml: string;
  /** A fixed inline script; its hash goes into the CSP. */
  script?: string;
  /** The one origin allowed to frame the page (embedded mode), else none. */
  frameAncestor?: string | null;
  /**
   * Where the page's forms may post and be redirected to (the logout confirmation: 'self' and the
   * origin logout returns to), else nowhere.
   */
  formAction?: string | null;
}

/** A small self-contained HTML page and the Content-Security-Policy that goes with it. */
export function renderPage({lang = 'zh-CN', title, bodyHtml, script, frameAncestor, formAction}: PageOptions): {
  html: string;
  csp: string;
} {
  const head =
    `<!doctype html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width,initial-scale=1">\n' +
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>`;
  const html = `${head}<body>${bodyHtml}${script ? `<script>${script}</script>` : ''}</body></html>`;
  const csp = [
    "default-src 'none'",
    `script-src ${script ? cspHash(script) : "'none'"}`,
    `style-src ${cspHash(STYLE)}`,
    "img-src 'none'",
    "base-uri 'none'",
    `form-action ${formAction ?? "'none'"}`,
    `frame-ancestors ${frameAncestor ?? "'none'"}`,
  ].join('; ');
  return {html, csp};
}
