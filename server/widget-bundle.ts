import {createHash} from 'node:crypto';
import {readFileSync, statSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {gzipSync} from 'node:zlib';

/** Where `npm run build` writes the element's self-contained module. */
export const DEFAULT_WIDGET_FILE = fileURLToPath(new URL('../dist/widget/wecom-sp-login.js', import.meta.url));

/** The built element, ready to serve. */
export interface WidgetBundle {
  body: Buffer;
  /** The same bytes gzipped once, at the highest level, for clients that accept gzip. */
  gzipped: Buffer;
  /** Strong ETag from the content hash: a rebuilt bundle gets a new one. */
  etag: string;
}

/**
 * Loads the bundle from `file`, reloading it when the file changes (a rebuild while the server
 * runs). Returns null when it has not been built.
 */
export function createWidgetBundleLoader(file: string): () => WidgetBundle | null {
  let cached: {mtimeMs: number; size: number; bundle: WidgetBundle} | null = null;
  return () => {
    let stats;
    try {
      stats = statSync(file);
    } catch {
      return null;
    }
    if (cached?.mtimeMs !== stats.mtimeMs || cached.size !== stats.size) {
      const body = readFileSync(file);
      const hash = createHash('sha256').update(body).digest('base64url').slice(0, 22);
      cached = {mtimeMs: stats.mtimeMs, size: stats.size, bundle: {body, gzipped: gzipSync(body, {level: 9}), etag: `"${hash}"`}};
    }
    return cached.bundle;
  };
}
