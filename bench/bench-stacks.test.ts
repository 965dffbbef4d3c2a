import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {decodeProtectedHeader} from 'jose';
import {CookieJar, exchange, issueAuthCodes, runLogins} from './login-driver.ts';
import {startLoginStack, type LoginStack} from './login-stack.ts';
import {readJsonScript} from '../test/helpers/test-browser.ts';

/** Runs `check` on a fresh stack and stops the stack whatever happens. */
async function withStack(
  options: Parameters<typeof startLoginStack>[0],
  check: (stack: LoginStack) => Promise<void>,
): Promise<void> {
  const stack = await startLoginStack(options);
  try {
    await check(stack);
  } finally {
    await stack.stop();
  }
}

// `npm run bench` compares ours with three references in two shapes of login; if one of them stopped
// completing logins, or a reference stopped doing what it stands for, the bench's ratios would mislead.
describe("the benchmark's login stacks", () => {
  for (const minimal of [undefined, 'unsigned', 'signed', 'koa'] as const) {
    it(`${minimal ? `the ${minimal} reference` : 'ours'}: logins complete in both shapes, with ${minimal === 'unsigned' ? 'a placeholder token' : 'an ES256 ID token'}`, async () => {
      await withStack({servers: 1, identities: 20, ...(minimal && {minimal})}, async (stack) => {
        const issuedCodes = await runLogins(stack, {count: 10, concurrency: 5, identities: 20, issuedCodes: true});
        const browser = await runLogins(stack, {count: 5, concurrency: 5, identities: 20});
        assert.deepEqual([...issuedCodes.failures, ...browser.failures], []);
        assert.equal(issuedCodes.succeeded + browser.succeeded, 15);
        if (minimal === 'unsigned') assert.equal(issuedCodes.sampleIdToken, 'a.b.c');
        else assert.equal(decodeProtectedHeader(issuedCodes.sampleIdToken!).alg, 'ES256');
      });
    });
  }

  it('the Koa reference refuses a callback that comes back without the browser binding, as ours does', async () => {
    await withStack({servers: 1, identities: 20, minimal: 'koa'}, async (stack) => {
      const server = stack.serverUrls[0]!;
      const callbackFor = async () => {
        const authorize = await exchange(`${server}/connections/load/authorize?nonce=${'n'.repeat(24)}`);
        const jar = new CookieJar();
        jar.store(authorize);
        const state = new URL(
          readJsonScript<{url: string}>(authorize.text, 'wecom-sp-login-navigate').url,
        ).searchParams.get('state')!;
        const [code] = await issueAuthCodes(stack, 1);
        return {
          url: `${server}/connections/load/callback?${new URLSearchParams({state, auth_code: code!})}`,
          cookie: jar.header(),
        };
      };
      const withoutCookie = await callbackFor();
      assert.equal((await exchange(withoutCookie.url)).status, 400);
      const withCookie = await callbackFor();
      assert.equal((await exchange(withCookie.url, {headers: {cookie: withCookie.cookie}})).status, 200);
    });
  });
});
