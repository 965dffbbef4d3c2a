/** A WeCom user the simulator can "scan as". */
export interface ScriptedIdentity {
  /** Short handle used in links and tests (`alice`). */
  key: string;
  /** What the scan list shows. */
  label: string;
  /** The user's own enterprise (`corp_info.corpid`). */
  corpId: string;
  /** 1 creator, 2 internal admin, 3 external admin, 4 department admin, 5 member. */
  usertype: 1 | 2 | 3 | 4 | 5;
  userid: string;
  openUserid: string;
  avatar: string;
  /** False for a login user outside the contacts: WeCom then omits userid, open_userid and avatar. */
  inContacts: boolean;
  /** A WeChat user in no enterprise: only WeCom's new login admits them, answering with an openid alone. */
  wechatOnly?: boolean;
}

/** The enterprise of the default cast. */
export const DEFAULT_CUSTOMER_CORP_ID = 'wwcustomer0000001';

/** The default cast: a member, an admin of each type and a user outside the contacts. */
export const DEFAULT_IDENTITIES: readonly ScriptedIdentity[] = [
  identity('alice', 'Alice · 成员 member', 5),
  identity('bob', 'Bob · 创建者 creator', 1),
  identity('carol', 'Carol · 内部管理员 internal admin', 2),
  identity('dave', 'Dave · 外部管理员 external admin', 3),
  identity('erin', 'Erin · 分级管理员 department admin', 4),
  {...identity('frank', 'Frank · 不在通讯录 not in contacts', 3), inContacts: false},
  {...identity('gina', 'Gina · 非企业成员 no enterprise', 5), wechatOnly: true},
];

function identity(key: string, label: string, usertype: ScriptedIdentity['usertype']): ScriptedIdentity {
  return {
    key,
    label,
    corpId: DEFAULT_CUSTOMER_CORP_ID,
    usertype,
    userid: key,
    openUserid: `wo${key.padEnd(6, '0')}OpenUserId${usertype}`,
    avatar: `https://wework.qpic.cn/wwhead/${key}/0`,
    inContacts: true,
  };
}
