import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {describe, it} from 'node:test';
import {setup} from '../helpers/login-harness.ts';
import {authorizationUrl, browserLogin, redeemCode, relyingParty} from '../helpers/oidc-relying-party.ts';
import {storeBackends} from '../helpers/store-backends.ts';

for (const backend of storeBackends()) {
  describe(`the OpenID provider on two processes and one ${backend.name} database`, () => {
    /** Two login servers on one database, with one SECRET_KEY and one PUBLIC_URL, as behind a load balancer. */
    const twoServers = async () => {
      const {settings} = await backend.createDatabase();
      const database = settings.databaseUrl
        ? {databaseUrl: settings.databaseUrl}
        : {databasePath: settings.databasePath};
      const masterKey = randomBytes(32);
      const one = await setup({...database, masterKey});
      const two = await setup({...database, masterKey, connection: null, publicUrl: one.baseUrl});
      return {one, two, rp: await relyingParty(one)};
    };

    it('redeems at one process a code the other issued, and answers userinfo there too', async () => {
      const {one, two, rp} = await twoServers();
      const {url, checks} = await authorizationUrl(rp);
      const {redirect} = await browserLogin(one, url);

      const tokens = await redeemCode(two.baseUrl, rp, {
        code: redirect.searchParams.get('code')!,
        code_verifier: checks.pkceCodeVerifier,
      });
      const userinfo = await fetch(`${two.baseUrl}/oidc/me`, {
        headers: {authorization: `Bearer ${String(tokens.body.access_token)}`},
      });

      assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
      assert.equal(userinfo.status, 200);
      assert.equal(((await userinfo.json()) as {preferred_username: string}).preferred_username, 'alice');
    });

    it('gives one token for a code redeemed at both processes at once', async () => {
      const {one, two, rp} = await twoServers();
      const {url, checks} = await authorizationUrl(rp);
      const code = (await browserLogin(one, url)).redirect.searchParams.get('code')!;

      const answers = await Promise.all(
        [one, two, one, two].map((server) =>
          redeemCode(server.baseUrl, rp, {code, code_verifier: checks.pkceCodeVerifier}),
        ),
      );

      assert.deepEqual(answers.map((answer) => answer.status).sort(), [200, 400, 400, 400]);
      for (const answer of answers.filter((each) => each.status === 400))
        assert.equal(answer.body.error, 'invalid_grant');
    });
  });
}
