import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import {createRemoteJWKSet, decodeProtectedHeader, jwtVerify} from 'jose';
import {runCli} from '../../server/cli/cli.ts';
import {ROTATION_DELAY_MS} from '../../server/tokens/signing-keys.ts';
import {readResult, setup} from '../helpers/login-harness.ts';
import {loginForTokens, relyingParty} from '../helpers/oidc-relying-party.ts';

const MINUTE = 60_000;

/** A login server on a database file, a CLI on the same file and key, and one clock for both. */
async function rotationSetup() {
  let time = Date.now();
  const databasePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-keys-')), 'login.db');
  const masterKey = randomBytes(32);
  const h = await setup({databasePath, masterKey, now: () => time});
  const cli = async (...argv: string[]) => {
    const output: string[] = [];
    const code = await runCli(argv, {
      out: (text) => output.push(text),
      readStdin: async () => '',
      env: {DATABASE_PATH: databasePath, SECRET_KEY: masterKey.toString('base64')},
      now: () => time,
    }).catch((error: Error) => (output.push(error.message), 1));
    return {code, output: output.join('\n')};
  };
  const kidOfLogin = async () => {
    const result = readResult(await h.login('alice'));
    if (result.type !== 'wecom-sp-login:success') throw new Error('login failed');
    return {token: result.idToken, kid: decodeProtectedHeader(result.idToken).kid!};
  };
  return {h, cli, kidOfLogin, advance: (ms: number) => (time += ms), now: () => time};
}

describe('signing-key rotation (wecom-sp-login keys)', () => {
  it("rotates the OpenID provider's RS256 key alike: in /oidc/jwks at once, signing after the delay", async () => {
    const {h, cli, advance} = await rotationSetup();
    const rp = await relyingParty(h);
    const kidOf = async () => decodeProtectedHeader((await loginForTokens(h, rp)).id_token!).kid!;
    const rsaKids = async () =>
      ((await (await fetch(`${h.baseUrl}/oidc/jwks`)).json()) as {keys: Array<{kid: string; alg: string}>}).keys
        .filter((key) => key.alg === 'RS256')
        .map((key) => key.kid);
    const first = await kidOf();

    assert.equal((await cli('keys', 'rotate')).code, 0);
    advance(6_000);
    const published = await rsaKids();
    const beforeDelay = await kidOf();
    advance(ROTATION_DELAY_MS);
    const afterDelay = await kidOf();

    assert.equal(published.length, 2);
    assert.equal(beforeDelay, first, 'the old key signs until the delay has passed');
    assert.notEqual(afterDelay, first);
    assert.ok(published.includes(afterDelay), 'the new kid was published before it signed');
  });

  it('publishes a rotated key before it signs, so a remote JWKS verifier never meets an unknown kid', async () => {
    const {h, cli, kidOfLogin, advance, now} = await rotationSetup();
    // A host backend's verifier: jose's remote JWKS, which refetches only for a kid it does not know.
    const jwks = createRemoteJWKSet(new URL(`${h.baseUrl}/.well-known/jwks.json`), {cooldownDuration: 0});
    const verify = (token: string) =>
      jwtVerify(token, jwks, {issuer: h.baseUrl, audience: 'acme', currentDate: new Date(now())});
    const first = await kidOfLogin();
    await verify(first.token);

    const rotated = await cli('keys', 'rotate');
    advance(6_000);
    const published = (await (await fetch(`${h.baseUrl}/.well-known/jwks.json`)).json()).keys.map(
      (key: {kid: string}) => key.kid,
    );
    const beforeDelay = await kidOfLogin();
    advance(ROTATION_DELAY_MS);
    const afterDelay = await kidOfLogin();
    const verified = await verify(afterDelay.token);

    assert.equal(rotated.code, 0);
    assert.equal(published.length, 2);
    assert.equal(beforeDelay.kid, first.kid, 'the old key signs until the delay has passed');
    assert.notEqual(afterDelay.kid, first.kid);
    assert.ok(published.includes(afterDelay.kid), 'the new kid was published before it signed');
    assert.equal(verified.payload.sub !== undefined, true);
  });

  it('lists each kid exactly as the JWKSs spell it, with its algorithm and what it does', async () => {
    const {h, cli, advance} = await rotationSetup();
    await cli('keys', 'rotate');
    advance(6_000);

    const listed = await cli('keys', 'list');
    const kidsOf = async (path: string) =>
      (await (await fetch(`${h.baseUrl}${path}`)).json()).keys.map((key: {kid: string}) => key.kid) as string[];
    const elementKids = await kidsOf('/.well-known/jwks.json');
    const providerKids = await kidsOf('/oidc/jwks');

    const rows = listed.output.split('\n').map((line) => line.split('\t'));
    assert.deepEqual(rows.map((row) => row[0]).sort(), [...providerKids].sort());
    assert.deepEqual(
      rows
        .filter((row) => row[1] === 'ES256')
        .map((row) => row[0])
        .sort(),
      [...elementKids].sort(),
    );
    assert.deepEqual(rows.map((row) => `${row[1]} ${row[2]!.replace(/ .*/, '')}`).sort(), [
      'ES256 signing',
      'ES256 signs',
      'RS256 signing',
      'RS256 signs',
    ]);
  });

  /** A rotation started: the old key's kid, and the setup to go on with. */
  async function rotated() {
    const setup = await rotationSetup();
    const old = (await setup.kidOfLogin()).kid;
    await setup.cli('keys', 'rotate');
    return {...setup, old};
  }

  it('refuses to retire the key that still signs', async () => {
    const {cli, old} = await rotated();

    const whileSigning = await cli('keys', 'retire', old);

    assert.equal(whileSigning.code, 1);
    assert.match(whileSigning.output, /is the key that signs now/);
  });

  it('refuses to retire a key whose tokens may still be valid', async () => {
    const {cli, old, advance} = await rotated();
    advance(ROTATION_DELAY_MS + 1_000);

    const tooSoon = await cli('keys', 'retire', old);

    assert.equal(tooSoon.code, 1);
    assert.match(tooSoon.output, /stay valid until/);
  });

  it('retires a key once its tokens have expired, and it leaves the JWKS without a restart', async () => {
    const {h, cli, old, advance, kidOfLogin} = await rotated();
    advance(ROTATION_DELAY_MS + 1_000 + 5 * MINUTE);

    const retired = await cli('keys', 'retire', old);
    advance(6_000);

    const jwksKids = (await (await fetch(`${h.baseUrl}/.well-known/jwks.json`)).json()).keys.map(
      (key: {kid: string}) => key.kid,
    );
    assert.equal(retired.code, 0);
    assert.deepEqual(jwksKids, [(await kidOfLogin()).kid]);
    assert.ok(!jwksKids.includes(old));
  });

  it('states the JWKS cache lifetime the rotation delay outlasts', async () => {
    const {h} = await rotationSetup();

    const response = await fetch(`${h.baseUrl}/.well-known/jwks.json`);

    assert.equal(response.headers.get('cache-control'), 'public, max-age=300');
    assert.ok(ROTATION_DELAY_MS > 300_000 + 5_000);
  });
});
