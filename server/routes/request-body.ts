import type Koa from 'koa';
import {AppError, InvalidRequest} from '../errors.ts';

declare module 'koa' {
  interface Request {
    /** The JSON body readJsonBody parsed; undefined where none was read. */
    body?: unknown;
  }
}

/** The largest JSON body a route reads (ticket redemption, the admin API's writes). */
export const MAX_JSON_BODY_BYTES = 32 * 1024;

/**
 * The body as UTF-8 text, refused with 413 as soon as it declares or passes `maxBytes`: from
 * Content-Length before a byte is read, else while it streams. Closing rather than reading the rest:
 * a body that is refused anyway costs nothing more.
 */
export async function readCappedBody(ctx: Koa.Context, maxBytes: number): Promise<string> {
  const tooLarge = () => {
    ctx.set('Connection', 'close');
    return new AppError('body_too_large');
  };
  if (Number(ctx.get('Content-Length')) > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Parses a JSON body of at most MAX_JSON_BODY_BYTES into `ctx.request.body`, for the routes that read
 * one. Only there: every other route leaves the body unread, so a malformed body cannot fail a
 * request that never needed it. Refused, changing nothing: another content type (415), a compressed
 * body (415: no route needs one, and inflating is where zip bombs live), too large (413), not JSON (400).
 */
export const readJsonBody: Koa.Middleware = async (ctx, next) => {
  if (ctx.request.length !== undefined || ctx.get('Transfer-Encoding')) {
    if (!ctx.is('application/json', '+json')) throw new AppError('body_not_json');
    const encoding = ctx.get('Content-Encoding').toLowerCase();
    if (encoding !== '' && encoding !== 'identity') throw new AppError('body_compressed');
    const text = await readCappedBody(ctx, MAX_JSON_BODY_BYTES);
    try {
      ctx.request.body = text.trim() === '' ? undefined : (JSON.parse(text) as unknown);
    } catch {
      throw new InvalidRequest('body_invalid_json');
    }
  }
  await next();
};
