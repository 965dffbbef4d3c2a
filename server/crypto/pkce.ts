import {createHash, timingSafeEqual} from 'node:crypto';

/** An S256 code challenge: base64url of a SHA-256 digest, 43 characters without padding (RFC 7636 §4.2). */
const CODE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
/** A code verifier: 43 to 128 unreserved characters (RFC 7636 §4.1). */
const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

/** True when `value` has the shape of an S256 code challenge. */
export function isCodeChallenge(value: unknown): value is string {
  return typeof value === 'string' && CODE_CHALLENGE.test(value);
}

/**
 * True when `verifier` is a well-formed code verifier whose S256 challenge is `challenge`. Compared
 * in constant time: the challenge was recorded by the browser that started the login.
 */
export function verifierMatches(verifier: unknown, challenge: string): boolean {
  if (typeof verifier !== 'string' || !CODE_VERIFIER.test(verifier)) return false;
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}
