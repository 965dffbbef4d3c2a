#!/usr/bin/env node
// Runs the compiled server (`npm run build` writes dist/node). In a development checkout that has
// not been built, it falls back to the TypeScript sources through tsx, a development dependency.
import {existsSync} from 'node:fs';

const compiled = new URL('../dist/node/server/cli/cli.js', import.meta.url);
if (existsSync(compiled)) {
  const {runFromProcess} = await import(compiled.href);
  await runFromProcess();
} else {
  let register;
  try {
    ({register} = await import('tsx/esm/api'));
  } catch {
    console.error('wecom-sp-login is not built: run `npm run build` in its folder.');
    process.exit(1);
  }
  register();
  const {runFromProcess} = await import('../server/cli/cli.ts');
  await runFromProcess();
}
