import type Koa from 'koa';
import {errorPage} from './sim-pages.ts';

/** Answers with WeCom's refusal page: WeCom shows its errors as a normal page, not an HTTP error. */
export function refuse(ctx: Koa.Context, message: string, detail: string): void {
  ctx.type = 'html';
  ctx.body = errorPage(message, detail);
}

/** The host (with port) of a URL, as WeCom compares it with a registered domain; null when it is none. */
export function hostOf(url: string): string | null {
  try {
    return url ? new URL(url).host : null;
  } catch {
    return null;
  }
}
