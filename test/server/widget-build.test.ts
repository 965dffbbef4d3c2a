import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {fileURLToPath} from 'node:url';

// What `npm run build` leaves in widget/dist (npm test builds before it runs this file).
const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = join(root, 'widget/dist');
const read = (file: string) => readFileSync(join(dist, file), 'utf8');

describe('the widget build', () => {
  it('serves one self-contained module: Lit bundled in, no imports left', () => {
    const bundle = read('wecom-sp-login.js');

    assert.doesNotMatch(bundle, /\bimport\s*[{(*"'`]|\bfrom\s*["'`]/);
    assert.match(bundle, /customElements\.define\(`wecom-sp-login`/);
    assert.match(bundle, /litElementVersions/);
  });

  it('gives bundlers a module that imports Lit instead of carrying it', () => {
    const module = read('index.js');

    assert.match(module, /from "lit"/);
    assert.doesNotMatch(module, /litElementVersions/);
  });

  it('documents exactly the attributes and events custom-elements.json lists', () => {
    const manifest = JSON.parse(
      readFileSync(new URL('../../widget/dist/custom-elements.json', import.meta.url), 'utf8'),
    ) as {
      modules: Array<{
        declarations?: Array<{tagName?: string; attributes?: Array<{name: string}>; events?: Array<{name: string}>}>;
      }>;
    };
    const element = manifest.modules
      .flatMap((module) => module.declarations ?? [])
      .find((declaration) => declaration.tagName === 'wecom-sp-login')!;
    const readme = readFileSync(new URL('../../widget/README.md', import.meta.url), 'utf8');
    const documented = (header: string) => {
      const table = readme.slice(readme.indexOf(header));
      return [...table.slice(0, table.indexOf('\n\n')).matchAll(/^\| `([a-z-]+)` \|/gm)].map((match) => match[1]);
    };

    assert.deepEqual(documented('| attribute |').sort(), element.attributes!.map((attribute) => attribute.name).sort());
    assert.deepEqual(documented('| event |').sort(), element.events!.map((event) => event.name).sort());
  });

  it('describes the element in custom-elements.json: attributes, events, parts and properties', () => {
    const manifest = JSON.parse(read('custom-elements.json'));
    const element = manifest.modules
      .flatMap((module: any) => module.declarations ?? [])
      .find((declaration: any) => declaration.tagName === 'wecom-sp-login');

    assert.deepEqual(
      element.attributes.map((a: any) => a.name),
      ['server', 'connection', 'mode', 'lang', 'label', 'size', 'theme', 'fallback', 'disabled', 'timeout'],
    );
    assert.deepEqual(
      element.events.map((e: any) => e.name),
      ['wecom-login-start', 'wecom-login-success', 'wecom-login-error'],
    );
    assert.deepEqual(
      element.cssParts.map((p: any) => p.name),
      ['button', 'panel', 'status'],
    );
    assert.ok(element.cssProperties.some((p: any) => p.name === '--wecom-sp-login-color'));
    assert.ok(element.slots.some((s: any) => s.name === ''));
  });

  it('ships types a strict TypeScript app can use without casts', () => {
    const app = mkdtempSync(join(tmpdir(), 'widget-consumer-'));
    writeFileSync(
      join(app, 'app.ts'),
      `
      import {WecomSpLoginElement, type LoginResult, type WidgetErrorCode} from ` +
        `${JSON.stringify(join(dist, 'types/index.js'))};
      const element: WecomSpLoginElement = document.createElement('wecom-sp-login');
      element.mode = 'embedded';
      element.addEventListener('wecom-login-success', (event) => { const result: LoginResult = event.detail; ` +
        `console.log(result.user.name); });
      element.addEventListener('wecom-login-error', (event) => { const code: WidgetErrorCode = event.detail.code; ` +
        `console.log(code); });
      // @ts-expect-error: not a mode
      element.mode = 'fullscreen';
    `,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          module: 'ESNext',
          moduleResolution: 'Bundler',
          target: 'ES2022',
          lib: ['ES2022', 'DOM'],
          types: [],
          typeRoots: [join(root, 'node_modules/@types')],
          baseUrl: root,
          paths: {'*': [join(root, 'node_modules/*')]},
        },
        files: ['app.ts'],
      }),
    );

    const run = () =>
      execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', app], {encoding: 'utf8'});

    assert.doesNotThrow(run);
  });
});
