import type {SecretBox} from '../crypto/secret-box.ts';
import {reseal} from '../db/sealed-columns.ts';
import type {Store} from '../db/store.ts';
import type {CliIo} from './connection-commands.ts';

/** Help text of `wecom-sp-login secrets`. */
export const SECRETS_HELP = `Usage: wecom-sp-login secrets reseal

Re-seals every secret in the database (ProviderSecrets, signing keys, cached provider tokens) under
SECRET_KEY, opening each with SECRET_KEY or SECRET_KEY_PREVIOUS. To rotate SECRET_KEY:
  1. give every server SECRET_KEY=<new key> and SECRET_KEY_PREVIOUS=<old key>, and restart them one
     at a time (they read both; session cookies signed with the old key stay valid);
  2. run this command with the same two variables. The servers need not be stopped;
  3. remove SECRET_KEY_PREVIOUS from the servers and restart them. The old key can then go.`;

/** Runs `secrets reseal`; returns the exit code. */
export async function runSecretsCommand(args: string[], store: Store, box: SecretBox, io: CliIo): Promise<number> {
  if (args.length !== 1 || args[0] !== 'reseal') {
    io.out(SECRETS_HELP);
    return args[0] === '--help' || args[0] === '-h' ? 0 : 1;
  }
  // One transaction: either every value is under the new key, or none moved.
  const counts = await store.resealAll((value) => reseal(box, value));
  io.out(
    `Re-sealed under SECRET_KEY: ${Object.entries(counts)
      .map(([table, n]) => `${n} in ${table}`)
      .join(', ')}. Remove SECRET_KEY_PREVIOUS from the servers and restart them.`,
  );
  return 0;
}
