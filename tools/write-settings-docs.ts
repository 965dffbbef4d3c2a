/**
 * `npm run docs:settings`: writes deploy/wecom-sp-login.env.example and docs/deploy.md's environment
 * table from server/settings/settings.ts. A test fails while either differs from what this writes.
 */
import fs from 'node:fs';
import {environmentExample, environmentTable} from '../server/settings/settings-docs.ts';

const root = new URL('../', import.meta.url);
fs.writeFileSync(new URL('deploy/wecom-sp-login.env.example', root), environmentExample());

const deployDoc = new URL('docs/deploy.md', root);
const lines = fs.readFileSync(deployDoc, 'utf8').split('\n');
const start = lines.indexOf('| variable | default | meaning |');
if (start === -1) throw new Error('docs/deploy.md has no environment table to replace.');
let end = start;
while (lines[end]?.startsWith('|')) end++;
lines.splice(start, end - start, environmentTable());
fs.writeFileSync(deployDoc, lines.join('\n'));
console.log('Wrote deploy/wecom-sp-login.env.example and the table in docs/deploy.md.');
