import {createHash} from 'node:crypto';
import {readFileSync, statSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {gzipSync} from 'node:zlib';

/** Where `npm run build` writes the element's self-contained module. */
export const DEFAULT_WIDGET_FILE = fileURLToPath(new URL('../dist/widget/wecom-sp-login.js', import.meta.url));

/** Where `npm run build` writes the admin console's module. */
export const DEFAULT_ADMIN_FILE = fileURLToPath(new URL('../dist/admin/admin.js', import.meta.url));

/** A built file, ready to serve. */
export interface BuiltFile {
  body: Buffer;
  /** The same bytes gzipped once, at the highest level, for clients that accept gzip. */
  gzipped: Buffer;
  /** Strong ETag from the content hash: a rebuilt bundle gets a new one. */
  etag: string;
}

/**
 * Loads a built file, reloading it when it changes (a rebuild while the server runs). Returns null
 * when it has not been built.
 */
export function createBuiltFileLoader(file: string): () => BuiltFile | null {
  let cached: {mtimeMs: number; size: number; bundle: BuiltFile} | null = null;
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
