import {createHash, randomBytes} from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

// Each randomBytes call is a trip to the system's CSPRNG; one 4 KiB draw serves about sixty
// tokens. Every byte is handed out once, as randomUUID's own cache does.
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let used = 0;

function randomByte(): number {
  if (used === pool.length) {
    pool = randomBytes(POOL_BYTES);
    used = 0;
  }
  return pool[used++]!;
}

/**
 * A random string of `[A-Za-z0-9]`, the only charset WeCom accepts in `state`.
 * 32 characters carry 190 bits. Rejection sampling keeps every character uniform.
 */
export function randomToken(length = 32): string {
  let out = '';
  while (out.length < length) {
    const byte = randomByte();
    // 248 = 4 * 62: bytes at or above it would favour the first characters.
    if (byte < 248) out += ALPHABET[byte % 62];
  }
  return out;
}

/**
 * SHA-256 of a one-time value, as stored in the database. States and tickets are looked up by
 * hash so that a copy of the database file cannot be used to finish someone else's login.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
