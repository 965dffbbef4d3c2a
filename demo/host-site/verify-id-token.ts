// What every site's backend does with the token the element hands the page: verify it against the
// login server's JWKS before trusting any claim. The demo page shows this file as the snippet to copy.
import {createRemoteJWKSet, jwtVerify, type JWTPayload} from 'jose';

/** What a token must name to be for this site. */
export interface IdTokenCheck {
  /** The login server's public URL: the token's `iss` and the home of its JWKS. */
  loginServer: string;
  /** The connection identifier (or this site's several): the token's `aud`. */
  connection: string | string[];
  /** This site's origin: the token's `azp`, the page it was issued to. */
  siteOrigin: string;
}

/** Returns a function that verifies an ID token and resolves to its claims, or rejects. */
export function createIdTokenVerifier({loginServer, connection, siteOrigin}: IdTokenCheck) {
  // Fetched once, cached, and refetched when a token names an unknown key (key rotation).
  const jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', loginServer));
  // Each token is accepted once: a copied token (a log, a proxy) must not log anyone in a second
  // time. Its id is kept until the token expires; one process here, a shared store with several.
  const used = new Map<string, number>();
  return async (idToken: string): Promise<JWTPayload> => {
    const {payload} = await jwtVerify(idToken, jwks, {
      issuer: loginServer,
      audience: connection,
      algorithms: ['ES256'],
    });
    // A token issued to another site must not log anyone in here, even with a valid signature.
    if (payload.azp !== siteOrigin) throw new Error(`azp is ${String(payload.azp)}, not ${siteOrigin}`);
    const now = Date.now() / 1000;
    for (const [jti, exp] of used) if (exp < now) used.delete(jti);
    if (typeof payload.jti !== 'string' || used.has(payload.jti)) throw new Error('this token was already used');
    used.set(payload.jti, payload.exp!);
    // Launch logins (amr ["launch"]) start in WeCom, not on this site: refuse them here, or ask the
    // user to confirm, if the site must never be logged in by a link (see the README's Security).
    return payload;
  };
}
