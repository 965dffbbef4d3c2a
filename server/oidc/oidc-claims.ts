import type {User} from '../db/user-store.ts';

/**
 * The claims each scope releases. `openid` gives `sub`, the same user id as the element's tokens;
 * `profile` what relying parties show; `wecom` who the user is at WeCom, under the element token's
 * names. No `email` or `phone`, ever: WeCom gives none, and a made-up one would let a relying party
 * that links accounts by email hand one person's account to another.
 */
export const SCOPE_CLAIMS = {
  // amr (qr, wecom_client) comes from the login, in the ID token, as in the element's tokens.
  openid: ['sub', 'amr'],
  profile: ['name', 'preferred_username', 'picture'],
  wecom: ['corp_id', 'open_userid', 'userid', 'usertype'],
} as const;

/** The scopes the provider knows; any other requested scope (`email`, `offline_access`) is ignored. */
export const OIDC_SCOPES = Object.keys(SCOPE_CLAIMS);

/** Every claim of `user` the scopes above can release; oidc-provider keeps those the granted scopes name. */
export function accountClaims(user: User): Record<string, unknown> {
  return {
    sub: user.id,
    // WeCom's new login gives no name; GitLab and others need one, so the userid stands in.
    name: user.name || user.userId || user.openUserId,
    ...(user.userId !== undefined && {preferred_username: user.userId, userid: user.userId}),
    ...(user.avatar !== undefined && {picture: user.avatar}),
    corp_id: user.corpId,
    ...(user.openUserId !== undefined && {open_userid: user.openUserId}),
    ...(user.usertype !== undefined && {usertype: user.usertype}),
  };
}
