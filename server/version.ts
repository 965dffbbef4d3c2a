import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

/**
 * This release's version, from the package's own package.json: the folder above this file, from
 * the sources (server/) as from the compiled server (dist/node/server/).
 */
export const VERSION = readVersion(path.dirname(fileURLToPath(import.meta.url)));

function readVersion(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as {name?: string; version?: string};
      if (manifest.name === 'wecom-sp-login' && manifest.version) return manifest.version;
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}
