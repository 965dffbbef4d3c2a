import type {SigningKeyStore} from '../db/signing-key-store.ts';
import {
  generateSigningKey,
  retireRefusal,
  ROTATION_DELAY_MS,
  SIGNING_ALGS,
  signingKeyAt,
} from '../tokens/signing-keys.ts';
import {ID_TOKEN_TTL_SECONDS} from '../tokens/token-signer.ts';
import type {CliIo} from './connection-commands.ts';

/** Help text of `wecom-sp-login keys`. */
export const KEYS_HELP = `Usage: wecom-sp-login keys list | rotate | retire KID

The keys that sign ID tokens: ES256 for the element's, published at /.well-known/jwks.json, and
RS256 for the OpenID provider's, published at /oidc/jwks (which lists the ES256 keys too, for
clients that ask for ES256). Each algorithm rotates on its own timeline. Running servers pick up
a change within 5 seconds; no restart.

  list         each key's kid (as the JWKS spells it), its algorithm, whether it signs, and since or from when
  rotate       adds a key of each algorithm; each is published at once and signs
               ${ROTATION_DELAY_MS / 60_000} minutes later, so every
               verifier's cached JWKS knows its kid before any token carries it
  retire KID   removes a key from the JWKS; refused for the key that signs, and for one that
               stopped signing less than ${ID_TOKEN_TTL_SECONDS / 60} minutes (an ID token's lifetime) ago`;

/** Runs `keys <subcommand>`; returns the exit code. */
export async function runKeyCommand(args: string[], store: SigningKeyStore, io: CliIo): Promise<number> {
  const [subcommand, kid, ...extra] = args;
  const now = io.now ?? Date.now;
  const time = now();
  if (subcommand === 'list' && kid === undefined) {
    const keys = await store.list();
    const signing = new Set(SIGNING_ALGS.map((alg) => signingKeyAt(keys, time, alg)));
    for (const key of keys) {
      const status = signing.has(key)
        ? 'signing'
        : key.signsFrom > time
          ? `signs from ${new Date(key.signsFrom).toISOString()}`
          : 'published (no longer signs)';
      io.out(`${key.kid}\t${key.alg}\t${status}\tcreated ${new Date(key.createdAt).toISOString()}`);
    }
    if (keys.length === 0) io.out('No keys yet: the server creates the first one when it starts.');
    return 0;
  }
  if (subcommand === 'rotate' && kid === undefined) {
    for (const alg of SIGNING_ALGS) {
      const key = await generateSigningKey(time, time + ROTATION_DELAY_MS, alg);
      await store.add(key);
      io.out(`Added ${key.kid} (${alg}): published now, signs from ${new Date(key.signsFrom).toISOString()}.`);
    }
    return 0;
  }
  if (subcommand === 'retire' && kid !== undefined && extra.length === 0) {
    const refusal = retireRefusal(await store.list(), kid, time, ID_TOKEN_TTL_SECONDS * 1000);
    if (refusal) throw new Error(refusal);
    await store.remove(kid);
    io.out(`Retired ${kid}: it leaves the JWKS within 5 seconds (and verifiers' caches within 5 minutes).`);
    return 0;
  }
  io.out(KEYS_HELP);
  return subcommand === '--help' || subcommand === '-h' ? 0 : 1;
}
