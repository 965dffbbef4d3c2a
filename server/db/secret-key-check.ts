import type {SecretBox} from '../crypto/secret-box.ts';
import {ConfigError} from '../settings/config-error.ts';
import type {Store} from './store.ts';

/**
 * Stops with a ConfigError naming SECRET_KEY when the key does not open what this database sealed:
 * a server or CLI started with another key would otherwise
 * fail later with a cipher error, or seal new rows under a second key.
 */
export async function assertSecretKeyOpens(store: Store, box: SecretBox): Promise<void> {
  const [probe] = await store.sampleSealed();
  if (!probe) return;
  try {
    box.open(probe.sealed, probe.column.context(probe.key));
  } catch {
    throw new ConfigError(
      'SECRET_KEY',
      `does not open the secrets in ${store.location}: it is not the key this database was created with. ` +
        `Set SECRET_KEY to that key (see docs/deploy.md, Keys).`,
    );
  }
}
