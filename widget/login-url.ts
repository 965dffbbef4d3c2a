import type {LoginMode} from './events.ts';

/** Where a login goes: the login server's base URL and a connection identifier on it. */
export interface LoginTarget {
  /** The login server's base URL, without a trailing slash. */
  server: string;
  /** The login server's origin: the only origin results are accepted from. */
  origin: string;
  /** The connection identifier. */
  connection: string;
}

/**
 * The target for the `server` and `connection` attributes, or null when either is missing or
 * `server` is not an http(s) URL. Never throws.
 */
export function loginTarget(server: string, connection: string): LoginTarget | null {
  if (!server || !connection) return null;
  try {
    const url = new URL(server, location.href);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    return {server: `${url.origin}${url.pathname}`.replace(/\/+$/, ''), origin: url.origin, connection};
  } catch {
    return null;
  }
}

/** `server/connections/<connection><path>`, with the identifier encoded as one path segment. */
export function connectionUrl(target: LoginTarget, path = ''): string {
  return `${target.server}/connections/${encodeURIComponent(target.connection)}${path}`;
}

/**
 * The authorize URL of one attempt: the page opened in the popup, the iframe or the top window. A
 * redirect also sends where to come back to and the S256 challenge of its code verifier.
 */
export function authorizeUrl(target: LoginTarget, mode: LoginMode, nonce: string, codeChallenge?: string): string {
  const query = new URLSearchParams({mode, origin: location.origin, nonce});
  if (codeChallenge) {
    query.set('return_to', location.href);
    query.set('code_challenge', codeChallenge);
    query.set('code_challenge_method', 'S256');
  }
  return `${connectionUrl(target, '/authorize')}?${query}`;
}

/** A fresh random value for one attempt (a nonce, a code verifier): 32 random bytes, base64url (43 characters). */
export function createNonce(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** The S256 code challenge of `verifier`: base64url(SHA-256(verifier)). Rejects outside a secure context. */
export async function codeChallenge(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}
