// What every site's backend does with the token the element hands the page: verify it against the
// login server's JWKS before trusting any claim. The demo page shows this file as the snippet to copy.
import {createRemoteJWKSet, jwtVerify, type JWTPayload} from 'jose';

/** What a token must name to be for this site. */
export interface IdTokenCheck {
  /** The login server's public URL: the token's `iss` and the home of its JWKS. */
  loginServer: string;
  /** The connection identifier: the token's `aud`. */
  connection: string;
  /** This site's origin: the token's `azp`, the page it was issued to. */
  siteOrigin: string;
}

/** Returns a function that verifies an ID token and resolves to its claims, or rejects. */
export function createIdTokenVerifier({loginServer, connection, siteOrigin}: IdTokenCheck) {
  // Fetched once, cached, and refetched when a token names an unknown key (key rotation).
  const jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', loginServer));
  return async (idToken: string): Promise<JWTPayload> => {
    const {payload} = await jwtVerify(idToken, jwks, {issuer: loginServer, audience: connection, algorithms: ['ES256']});
    // A token issued to another site must not log anyone in here, even with a valid signature.
    if (payload.azp !== siteOrigin) throw new Error(`azp is ${String(payload.azp)}, not ${siteOrigin}`);
    return payload;
  };
}
