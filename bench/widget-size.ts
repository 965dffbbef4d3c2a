// `npm run size`: the served widget bundle's size, gzipped as the login server sends it, against
// the 10 KB budget. A benchmark: it prints figures and never fails a build.
import {readFileSync} from 'node:fs';
import {brotliCompressSync, gzipSync} from 'node:zlib';
import {DEFAULT_WIDGET_FILE} from '../server/built-files.ts';

/** The budget of issue 3, read as the `bytes` package (size-limit, bundlesize) reads "10 KB". */
const BUDGET_BYTES = 10 * 1024;

let body: Buffer;
try {
  body = readFileSync(DEFAULT_WIDGET_FILE);
} catch {
  console.log(`No bundle at ${DEFAULT_WIDGET_FILE}: run \`npm run build\` first.`);
  process.exit(0);
}
const gzipped = gzipSync(body, {level: 9}).length;
const brotli = brotliCompressSync(body).length;
const format = (bytes: number) => `${bytes.toLocaleString('en')} B (${(bytes / 1024).toFixed(2)} KiB)`;
console.log(`widget bundle: ${DEFAULT_WIDGET_FILE}`);
console.log(`  minified: ${format(body.length)}`);
console.log(`  gzip -9 (as served): ${format(gzipped)}`);
console.log(`  brotli: ${format(brotli)}`);
console.log(
  `  budget: ${format(BUDGET_BYTES)} gzipped; used ${((gzipped / BUDGET_BYTES) * 100).toFixed(1)} %, ` +
    `${gzipped <= BUDGET_BYTES ? 'within' : 'OVER'} budget`,
);
