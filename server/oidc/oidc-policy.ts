import type {OidcClient} from '../db/oidc-client-store.ts';
import type {WecomIdentity} from '../db/user-store.ts';
import {LoginNotAllowed} from '../errors.ts';

/**
 * Whether `client` admits this WeCom identity, checked before any user is written: its connection,
 * its enterprise allow-list (nobody when it lists none and anyCorp is off: a provider's QR code
 * admits every enterprise that installed its app), and an open_userid to keep `sub` stable.
 */
export function admitsUser(
  client: Pick<OidcClient, 'connection' | 'allowedCorpIds' | 'anyCorp'>,
  identity: Pick<WecomIdentity, 'corpId'> & {connection?: string},
): boolean {
  if (identity.connection !== undefined && identity.connection !== client.connection) return false;
  return client.anyCorp || client.allowedCorpIds.includes(identity.corpId);
}

/** Throws the refusal that goes back to the client as access_denied when it does not admit `identity`. */
export function checkOidcAdmission(client: OidcClient, identity: WecomIdentity): void {
  if (!admitsUser(client, identity)) throw new LoginNotAllowed('corp_not_allowed');
  // The element falls back to userid when WeCom sends no open_userid; a relying party's `sub`
  // must never change, so it gets no user at all instead.
  if (identity.openUserId === undefined) throw new LoginNotAllowed('oidc_open_userid_missing');
}
