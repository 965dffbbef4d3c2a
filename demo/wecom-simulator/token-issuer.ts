import {randomBytes} from 'node:crypto';

/**
 * Access tokens as WeCom hands them out: one current token per owner (a provider's CorpID, a
 * suite's SuiteID), the same while it is valid ("有效期内重复获取返回相同结果"), a new one after.
 */
export function createTokenIssuer({
  ttlMs,
  now,
  unknownErrcode,
  expiredErrcode,
}: {
  ttlMs: number;
  now: () => number;
  unknownErrcode: number;
  expiredErrcode: number;
}) {
  const tokens = new Map<string, {owner: string; expiresAt: number; revokedWith?: number}>();
  const current = new Map<string, string>();
  return {
    /** The owner's token and the seconds it has left. */
    issue(owner: string): {token: string; expiresIn: number} {
      const existing = current.get(owner);
      const issued = existing ? tokens.get(existing) : undefined;
      if (existing && issued && issued.revokedWith === undefined && issued.expiresAt > now()) {
        return {token: existing, expiresIn: Math.floor((issued.expiresAt - now()) / 1000)};
      }
      const token = randomBytes(48).toString('base64url');
      tokens.set(token, {owner, expiresAt: now() + ttlMs});
      current.set(owner, token);
      return {token, expiresIn: ttlMs / 1000};
    },
    /** errcode 0 and the owner when the token is good, else the errcode WeCom answers. */
    check(token: string): {errcode: number; owner?: string} {
      const issued = tokens.get(token);
      if (!issued) return {errcode: unknownErrcode};
      if (issued.revokedWith !== undefined) return {errcode: issued.revokedWith};
      if (issued.expiresAt <= now()) return {errcode: expiredErrcode};
      return {errcode: 0, owner: issued.owner};
    },
    /** WeCom invalidates every current token early, answering `errcode` for them from now on. */
    revoke(errcode: number): void {
      for (const token of tokens.values()) token.revokedWith ??= errcode;
    },
  };
}
