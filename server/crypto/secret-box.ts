import {createCipheriv, createDecipheriv, hkdfSync, randomBytes} from 'node:crypto';

/** Seals and opens secrets at rest with AES-256-GCM. */
export interface SecretBox {
  /**
   * Encrypts `plaintext`; `context` (e.g. `connection:acme:provider_secret`) is authenticated, so a sealed value
   * cannot be moved to another row.
   */
  seal(plaintext: string, context: string): string;
  /** Decrypts a value from `seal` with the same context; throws if it was altered or moved. */
  open(sealed: string, context: string): string;
}

const VERSION = 'v1';

/** Derives an independent 32-byte subkey of the master key for one purpose. */
export function deriveKey(masterKey: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), `wecom-sp-login ${purpose}`, 32));
}

/**
 * Creates a SecretBox keyed by a subkey of the master key. Values sealed under `previousMasterKeys`
 * (SECRET_KEY_PREVIOUS, during a rotation) still open; everything is sealed under the current key.
 */
export function createSecretBox(masterKey: Buffer, previousMasterKeys: readonly Buffer[] = []): SecretBox {
  const key = deriveKey(masterKey, 'secrets at rest');
  const previous = previousMasterKeys.map((master) => createSecretBox(master));
  return {
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [
        VERSION,
        iv.toString('base64url'),
        cipher.getAuthTag().toString('base64url'),
        body.toString('base64url'),
      ].join('.');
    },
    open(sealed, context) {
      try {
        return openWith(key, sealed, context);
      } catch (error) {
        for (const box of previous) {
          try {
            return box.open(sealed, context);
          } catch {
            // Not this key either.
          }
        }
        throw error;
      }
    },
  };
}

function openWith(key: Buffer, sealed: string, context: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('Unknown sealed-secret format.');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}
