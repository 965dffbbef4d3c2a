import {createHmac, timingSafeEqual} from 'node:crypto';
import type Keygrip from 'keygrip';

/**
 * The key ring Koa signs cookies with (`app.keys`): Keygrip's interface, with HMAC-SHA256 in
 * place of Keygrip's default SHA-1 and Node's constant-time comparison. Keygrip compares by
 * HMACing both values again under a fresh random key (tsscmp), on every cookie read, which cost a
 * random draw and two HMACs per login; timingSafeEqual is as constant-time without either.
 * The first key signs; every key verifies, so a key can be rotated in front of the old one.
 */
export function createCookieKeys(keys: readonly string[]): Keygrip {
  if (keys.length === 0) throw new Error('Cookie signing needs at least one key.');
  const sign = (data: string, key: string) => createHmac('sha256', key).update(data).digest('base64url');
  const index = (data: string, digest: string) => {
    const given = Buffer.from(digest);
    return keys.findIndex((key) => {
      const expected = Buffer.from(sign(data, key));
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
  };
  return {
    sign: (data: string) => sign(data, keys[0]!),
    index,
    verify: (data: string, digest: string) => index(data, digest) > -1,
  };
}
