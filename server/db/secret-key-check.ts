import type {SecretBox} from '../crypto/secret-box.ts';
import {ConfigError} from '../config.ts';
import {providerSecretSealContext} from './connection-store.ts';
import type {SqliteDatabase} from './database.ts';
import {signingKeySealContext} from './signing-key-store.ts';

/**
 * Stops with a ConfigError naming SECRET_KEY when the key does not open what this database sealed
 * (a signing key, else a ProviderSecret): a server or CLI started with another key would otherwise
 * fail later with a cipher error, or seal new rows under a second key.
 */
export function assertSecretKeyOpens(db: SqliteDatabase, box: SecretBox, databasePath: string): void {
  const signingKey = db.prepare<[], {kid: string; sealed: string}>('SELECT kid, private_jwk_sealed AS sealed FROM signing_keys LIMIT 1').get();
  const connection = db.prepare<[], {identifier: string; sealed: string}>('SELECT identifier, provider_secret_sealed AS sealed FROM connections LIMIT 1').get();
  const probe = signingKey
    ? {sealed: signingKey.sealed, context: signingKeySealContext(signingKey.kid)}
    : connection ? {sealed: connection.sealed, context: providerSecretSealContext(connection.identifier)} : null;
  if (!probe) return;
  try {
    box.open(probe.sealed, probe.context);
  } catch {
    throw new ConfigError('SECRET_KEY', `does not open the secrets in ${databasePath}: it is not the key this database was created with. Set SECRET_KEY to that key (see the README's Keys section).`);
  }
}
