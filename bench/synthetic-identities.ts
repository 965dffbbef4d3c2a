import type {ScriptedIdentity} from '../demo/wecom-simulator/identities.ts';

/** The key of the i-th synthetic user: user0000, user0001, … */
export const syntheticKey = (i: number): string => `user${String(i).padStart(4, '0')}`;

/** `count` distinct members of one customer enterprise, for load runs. */
export function syntheticIdentities(count: number): ScriptedIdentity[] {
  return Array.from({length: count}, (_, i) => {
    const key = syntheticKey(i);
    return {
      key,
      label: key,
      corpId: 'wwloadcustomer0001',
      usertype: 5,
      userid: key,
      openUserid: `wo${key}OpenUserId`,
      avatar: '',
      inContacts: true,
    };
  });
}
