import type {BuiltFile} from '../built-files.ts';
import type Koa from 'koa';
import {InvalidRequest} from '../errors.ts';
import type {Lang} from '../../widget/strings.ts';

/**
 * The visitor's language for the server's pages, from Accept-Language: Chinese (zh, zh-CN, zh-TW …)
 * or English; Chinese when the browser says nothing, as WeCom's users mostly are.
 */
export function pageLang(ctx: Koa.Context): Lang {
  const best = ctx.acceptsLanguages('zh-CN', 'zh', 'en');
  return typeof best === 'string' && best !== 'en' ? 'zh-CN' : 'en';
}

/** The language of a JSON answer's messages: English, unless the request prefers Chinese. */
export function apiLang(ctx: Koa.Context): Lang {
  return ctx.acceptsLanguages('en', 'zh-CN', 'zh') === 'en' ? 'en' : 'zh-CN';
}

/** One query parameter as a string; a repeated parameter is refused rather than guessed at. */
export function queryParam(ctx: Koa.Context, name: string): string | undefined {
  const value = ctx.query[name];
  if (Array.isArray(value)) throw new InvalidRequest('parameter_repeated', name, {name});
  return value;
}

/** Sends an HTML page with its CSP. Pages that carry login state must never be cached. */
export function sendPage(ctx: Koa.Context, page: {html: string; csp: string}, status = 200): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Content-Security-Policy', page.csp);
  ctx.set('Cache-Control', 'no-store');
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.body = page.html;
}

/** Sends a 302 that must not be cached (it carries a one-time ticket or an error). */
export function sendRedirect(ctx: Koa.Context, location: string): void {
  ctx.set('Cache-Control', 'no-store');
  // The fragment keeps the ticket out of the host site's server logs; no-referrer keeps it out of Referers.
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.redirect(location);
}

/** `url` with its fragment replaced by `name=value`. */
export function withFragment(url: string, name: string, value: string): string {
  const target = new URL(url);
  target.hash = `${name}=${encodeURIComponent(value)}`;
  return target.href;
}

/** Sends a built JavaScript file: ETag and 304, gzip when accepted. Caching headers are the caller's. */
export function sendBuiltFile(ctx: Koa.Context, file: BuiltFile): void {
  ctx.set('ETag', file.etag);
  ctx.vary('Accept-Encoding');
  ctx.type = 'text/javascript; charset=utf-8';
  // Weak comparison (RFC 9110 §8.8.3.2): W/"x" matches "x"; `*` matches any current representation.
  // Split on the comma and trimmed after: a pattern like /\s*,\s*/ backtracks quadratically on a
  // header of spaces, and a 16 KB one held the process for a quarter of a second.
  const candidates = ctx
    .get('If-None-Match')
    .split(',')
    .map((tag) => tag.trim())
    .map((tag) => (tag.startsWith('W/') ? tag.slice(2) : tag));
  if (candidates.includes(file.etag) || candidates.includes('*')) {
    ctx.status = 304;
    return;
  }
  if (ctx.acceptsEncodings('gzip', 'identity') === 'gzip') {
    ctx.set('Content-Encoding', 'gzip');
    ctx.body = file.gzipped;
  } else {
    ctx.body = file.body;
  }
}
