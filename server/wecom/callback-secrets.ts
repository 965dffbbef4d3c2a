import {randomInt} from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const randomAlphanumeric = (length: number) =>
  Array.from({length}, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join('');

/**
 * A new Token and EncodingAESKey for the 登录授权 callback, in the form WeCom's console generates:
 * letters and digits, 32 and 43 long. Any 43 letters and digits decode to a 32-byte AES key.
 */
export function generateCallbackSecrets(): {callbackToken: string; encodingAesKey: string} {
  return {callbackToken: randomAlphanumeric(32), encodingAesKey: randomAlphanumeric(43)};
}
