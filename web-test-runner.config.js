// Widget tests: @web/test-runner in Debian's Chromium, beside a real login server and the WeCom
// simulator. Run through `npm run test:widget`, which loads tsx so this file can import TypeScript.
import {existsSync} from 'node:fs';
import {createServer} from 'node:net';
import {esbuildPlugin} from '@web/dev-server-esbuild';
import {chromeLauncher} from '@web/test-runner-chrome';
import {loginStackPlugin} from './test/widget/login-stack-plugin.ts';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(
    `Chromium was not found at ${chromium}. Install Debian's package:\n  sudo apt-get update && sudo apt-get install -y chromium\nor point CHROMIUM_PATH at a Chromium or Chrome binary.`,
  );
  process.exit(1);
}

/** A free port for the test pages' origin, so parallel runs never collide. */
async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export default {
  files: 'test/widget/**/*.test.ts',
  hostname: '127.0.0.1',
  port: await freePort(),
  // Lit's production build, as bundled into the served module.
  nodeResolve: {exportConditions: ['production']},
  concurrency: 1,
  testFramework: {config: {timeout: 15000}},
  plugins: [esbuildPlugin({ts: true, target: 'es2022', tsconfig: 'tsconfig.json'}), loginStackPlugin()],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: chromium,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
          '--disable-sync',
        ],
      },
    }),
  ],
};
