// Widget tests: @web/test-runner in Debian's Chromium, beside a real login server and the WeCom
// simulator. Run through `npm run test:widget`, which loads tsx so this file can import TypeScript.
import {esbuildPlugin} from '@web/dev-server-esbuild';
import {chromeLauncher} from '@web/test-runner-chrome';
import {assertChromiumInstalled, CHROMIUM, CHROMIUM_FLAGS} from './test/helpers/chromium.ts';
import {freePort} from './test/helpers/local-ports.ts';
import {loginStackPlugin} from './test/widget/login-stack-plugin.ts';

try {
  assertChromiumInstalled();
} catch (error) {
  console.error(error.message);
  process.exit(1);
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
        executablePath: CHROMIUM,
        // Puppeteer's own headless switch stands for the shared list's --headless.
        headless: true,
        args: CHROMIUM_FLAGS.filter((flag) => flag !== '--headless'),
      },
    }),
  ],
};
