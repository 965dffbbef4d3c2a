import {createHash} from 'node:crypto';
import {existsSync, readFileSync, statSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {gzipSync} from 'node:zlib';

/**
 * The server package's folder: the nearest one above this file with a package.json. This file runs
 * from server/ (sources, through tsx) or from dist/node/server/ (the compiled build), so a fixed
 * relative path would be right in one of them only.
 */
function packageRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json')) && dirname(folder) !== folder) folder = dirname(folder);
  return folder;
}

/** Where `npm run build` writes the element's self-contained module (the element package's dist). */
export const DEFAULT_WIDGET_FILE = join(packageRoot(), 'widget/dist/wecom-sp-login.js');

/** Where `npm run build` writes the admin console's module. */
export const DEFAULT_ADMIN_FILE = join(packageRoot(), 'dist/admin/admin.js');

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
      cached = {
        mtimeMs: stats.mtimeMs,
        size: stats.size,
        bundle: {body, gzipped: gzipSync(body, {level: 9}), etag: `"${hash}"`},
      };
    }
    return cached.bundle;
  };
}
