import assert from 'node:assert/strict';
import {execFileSync, spawn} from 'node:child_process';
import {cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {fileURLToPath} from 'node:url';
import {freePort, waitUntilUp} from '../helpers/local-ports.ts';

// The two packages as users get them: packed from this checkout (npm test builds first), then
// installed into scratch folders from the tarballs, as `npm install <package>` would.
const root = fileURLToPath(new URL('../../', import.meta.url));
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
  });

/** Packs the package in `folder` (already built) and returns the tarball's path. */
function pack(folder: string): string {
  const destination = mkdtempSync(join(tmpdir(), 'wecom-pack-'));
  const name = npm(['pack', '--ignore-scripts', '--pack-destination', destination], folder).trim().split('\n').at(-1)!;
  return join(destination, name);
}

/** The packages installed in a node_modules folder, scoped ones as `@scope/name`. */
function installed(nodeModules: string): string[] {
  return readdirSync(nodeModules)
    .filter((name) => !name.startsWith('.'))
    .flatMap((name) =>
      name.startsWith('@') ? readdirSync(join(nodeModules, name)).map((inner) => `${name}/${inner}`) : [name],
    );
}

function tarballFiles(tarball: string): string[] {
  return execFileSync('tar', ['-tzf', tarball], {encoding: 'utf8'})
    .trim()
    .split('\n')
    .map((entry) => entry.replace(/^package\//, ''));
}

describe('the element package (wecom-sp-login-element)', () => {
  it('installs from its tarball into a Vite app with lit as its only dependency, and the app builds', () => {
    const tarball = pack(join(root, 'widget'));
    const app = mkdtempSync(join(tmpdir(), 'element-consumer-'));
    writeFileSync(join(app, 'package.json'), JSON.stringify({name: 'shop', private: true, type: 'module'}));
    writeFileSync(
      join(app, 'index.html'),
      '<!doctype html><script type="module" src="./main.js"></script><wecom-sp-login ' +
        'server="https://login.example.com" connection="acme"></wecom-sp-login>',
    );
    writeFileSync(
      join(app, 'main.js'),
      'import {WecomSpLoginElement} from ' +
        "'wecom-sp-login-element';\nconsole.log(customElements.get('wecom-sp-login') === " +
        'WecomSpLoginElement);\n',
    );

    npm(['install', tarball], app);
    // The checkout's Vite builds the app: the app's own node_modules is all it resolves from.
    execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
      cwd: app,
    });

    const packages = installed(join(app, 'node_modules'));
    assert.ok(packages.includes('wecom-sp-login-element') && packages.includes('lit'));
    for (const serverOnly of ['koa', '@koa/router', 'koa-session', 'better-sqlite3', 'jose', 'undici', 'tsx'])
      assert.ok(!packages.includes(serverOnly), `${serverOnly} was installed`);
    assert.ok(
      packages.every((name) => name === 'wecom-sp-login-element' || /lit|trusted-types/.test(name)),
      `unexpected: ${packages.join(', ')}`,
    );
    const assets = readdirSync(join(app, 'dist/assets'));
    const bundle = assets.map((file) => readFileSync(join(app, 'dist/assets', file), 'utf8')).join('');
    assert.match(bundle, /customElements\.define\(`wecom-sp-login`|"wecom-sp-login"/);
    assert.ok(tarballFiles(tarball).includes('LICENSE'));
  });
});

describe('the server package (wecom-sp-login)', () => {
  it('has a CHANGELOG entry per release saying its migration and its rolling upgrade', () => {
    const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
    const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string;
    const releases = changelog.split(/^## /m).slice(1);

    assert.ok(releases[0]!.startsWith(`${version} `), `the newest entry is for ${version}`);
    for (const release of releases) {
      assert.match(release, /^- \*\*Schema:\*\* /m, release.split('\n')[0]);
      assert.match(release, /^- \*\*Rolling upgrade:\*\* /m, release.split('\n')[0]);
    }
  });

  it('ships the deploy files and the CHANGELOG an operator needs beside the server', () => {
    const files = tarballFiles(pack(root));

    for (const file of [
      'CHANGELOG.md',
      'deploy/wecom-sp-login.env.example',
      'deploy/systemd/wecom-sp-login@.service',
      'deploy/systemd/wecom-sp-login-backup.timer',
      'deploy/nginx/wecom-sp-login.conf',
      'deploy/prometheus/alerts.yml',
    ]) {
      assert.ok(files.includes(file), `${file} is missing`);
    }
  });

  it('ships the compiled server, element and console, with a LICENSE and no sources', () => {
    const files = tarballFiles(pack(root));

    for (const file of [
      'LICENSE',
      'README.md',
      'bin/wecom-sp-login.js',
      'dist/node/server/main.js',
      'dist/node/server/cli/cli.js',
      'widget/dist/wecom-sp-login.js',
      'dist/admin/admin.js',
    ])
      assert.ok(files.includes(file), `${file} is missing`);
    assert.deepEqual(
      files.filter((file) => file.startsWith('demo/') || file.startsWith('test/') || file.endsWith('.ts')),
      [],
    );
  });

  it('runs from a production install (--omit=dev) with plain node: no tsx, no build tools', async () => {
    const app = mkdtempSync(join(tmpdir(), 'server-install-'));
    writeFileSync(join(app, 'package.json'), JSON.stringify({name: 'login', private: true}));
    npm(['install', '--omit=dev', '--ignore-scripts', pack(root)], app);
    // better-sqlite3 is installed as npm installs it; its native addon, which its install script
    // would compile for two minutes, is the identical build of this checkout's copy.
    cpSync(join(root, 'node_modules/better-sqlite3/build'), join(app, 'node_modules/better-sqlite3/build'), {
      recursive: true,
    });
    const packages = installed(join(app, 'node_modules'));
    for (const devOnly of ['tsx', 'typescript', 'vite', 'lit', '@web/test-runner', 'playwright-core'])
      assert.ok(!packages.includes(devOnly), `${devOnly} was installed`);

    const port = await freePort();
    const child = spawn(join(app, 'node_modules/.bin/wecom-sp-login'), ['serve'], {
      cwd: app,
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_PATH: join(app, 'data/login.db'),
        SECRET_KEY: Buffer.alloc(32, 9).toString('base64'),
        ADMIN_TOKEN: 'admin-token-of-the-install-test',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitUntilUp(`${base}/healthz`, () => stderr);
      const [widget, admin, jwks] = await Promise.all([
        fetch(`${base}/widget/wecom-sp-login.js`),
        fetch(`${base}/admin`),
        fetch(`${base}/.well-known/jwks.json`),
      ]);

      assert.equal(widget.status, 200);
      assert.match(await widget.text(), /wecom-sp-login/);
      assert.equal(admin.status, 200);
      assert.equal(jwks.status, 200);
      assert.match(stderr, /"message":"wecom-sp-login server listening"/);
      assert.ok(existsSync(join(app, 'data/login.db')));
    } finally {
      child.kill('SIGTERM');
    }
  });
});
