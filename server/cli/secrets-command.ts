import type {SecretBox} from '../crypto/secret-box.ts';
import {providerSecretSealContext} from '../db/connection-store.ts';
import type {SqliteDatabase} from '../db/database.ts';
import {signingKeySealContext} from '../db/signing-key-store.ts';
import {providerTokenSealContext} from '../db/token-cache-store.ts';
import type {CliIo} from './connection-commands.ts';

/** Help text of `wecom-sp-login secrets`. */
export const SECRETS_HELP = `Usage: wecom-sp-login secrets reseal

Re-seals every secret in the database (ProviderSecrets, signing keys, cached provider tokens) under
SECRET_KEY, opening each with SECRET_KEY or SECRET_KEY_PREVIOUS. To rotate SECRET_KEY:
  1. give every server SECRET_KEY=<new key> and SECRET_KEY_PREVIOUS=<old key>, and restart them one
     at a time (they read both; session cookies signed with the old key stay valid);
  2. run this command with the same two variables. The servers need not be stopped;
  3. remove SECRET_KEY_PREVIOUS from the servers and restart them. The old key can then go.`;

/** Each sealed column: its table, key column, sealed column and sealing context. */
const SEALED = [
  {table: 'connections', key: 'identifier', column: 'provider_secret_sealed', context: providerSecretSealContext},
  {table: 'signing_keys', key: 'kid', column: 'private_jwk_sealed', context: signingKeySealContext},
  {table: 'provider_tokens', key: 'corp_id', column: 'token_sealed', context: providerTokenSealContext},
] as const;

/** Runs `secrets reseal`; returns the exit code. */
export function runSecretsCommand(args: string[], db: SqliteDatabase, box: SecretBox, io: CliIo): number {
  if (args.length !== 1 || args[0] !== 'reseal') {
    io.out(SECRETS_HELP);
    return args[0] === '--help' || args[0] === '-h' ? 0 : 1;
  }
  // One transaction: either every value is under the new key, or none moved.
  const counts = db.transaction(() => SEALED.map(({table, key, column, context}) => {
    const rows = db.prepare<[], {key: string; sealed: string}>(`SELECT ${key} AS key, ${column} AS sealed FROM ${table} WHERE ${column} IS NOT NULL`).all();
    const update = db.prepare(`UPDATE ${table} SET ${column} = ? WHERE ${key} = ?`);
    for (const row of rows) update.run(box.seal(box.open(row.sealed, context(row.key)), context(row.key)), row.key);
    return `${rows.length} ${table}`;
  })).immediate();
  io.out(`Re-sealed under SECRET_KEY: ${counts.join(', ')}. Remove SECRET_KEY_PREVIOUS from the servers and restart them.`);
  return 0;
}
