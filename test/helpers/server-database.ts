import {loadConfig} from '../../server/config.ts';
import {createSecretBox} from '../../server/crypto/secret-box.ts';
import {openStore} from '../../server/db/open-store.ts';
import {resolveSecretKey} from '../../server/secret-key.ts';

/**
 * Creates the database `env` names, as a first `wecom-sp-login serve` would (with its key, when
 * SECRET_KEY is unset): the CLI only works on a database a server made.
 */
export async function createServerDatabase(env: Record<string, string | undefined>): Promise<void> {
  const config = loadConfig(env);
  const masterKey = resolveSecretKey(config.secretKeyBase64, config.databasePath, () => {});
  const store = await openStore(config, createSecretBox(masterKey, config.previousMasterKeys));
  await store.close();
}
