import type {CredentialDiagnosis} from '../server/connections/check-credentials.ts';
import type {ConnectionInput} from '../server/connections/connection.ts';
import type {OidcClientInput} from '../server/oidc/oidc-client-validation.ts';
import type {LoginFlow} from '../server/login/flows/protocol-catalogue.ts';
/** Languages the console speaks. */
export type AdminLang = 'zh-CN' | 'en';

/** Every user-visible text of the admin console. */
export interface AdminStrings {
  title: string;
  signInTitle: string;
  signInText: string;
  tokenLabel: string;
  signIn: string;
  signOut: string;
  badToken: string;
  adminDisabled: string;
  unreachable: string;
  connections: string;
  audit: string;
  newConnection: string;
  noConnections: string;
  settings: string;
  setup: string;
  /** The activity tab: logins over 30 days and the latest failures. */
  activity: string;
  /** `{total}` logins, `{failed}` failed, over the last 30 days. */
  activitySummary: string;
  succeeded: string;
  latestFailures: string;
  noFailures: string;
  /** What each login error code means, for an admin. */
  failureReasons: Record<string, string>;
  users: string;
  snippet: string;
  save: string;
  create: string;
  cancel: string;
  saved: string;
  delete: string;
  confirmDelete: string;
  confirmDeleteYes: string;
  /** Each field of a connection, as the form labels it. */
  fields: Record<keyof ConnectionInput, string>;
  hints: Record<
    | 'identifier'
    | 'identifierFixed'
    | 'providerSecret'
    | 'providerSecretUnchanged'
    | 'callbackUrl'
    | 'allowedOrigins'
    | 'launchUrl'
    | 'usertype'
    | 'allowedCorpIds'
    | 'flow'
    | 'suiteId'
    | 'suiteSecret'
    | 'callbackSecrets'
    | 'providerSecretOptional'
    | 'appSuite'
    | 'appSuiteSecret'
    | 'appCallbackSecrets',
    string
  >;
  /** Each flow's name in the form: every flow of the protocol catalogue needs one. */
  flows: Record<LoginFlow, string>;
  /** The form's and the setup tab's section on logins inside the WeCom client (the app suite). */
  inWecom: string;
  /** Setup tab, "In WeCom": what the section is for, and what to do without an app suite. */
  inWecomIntro: string;
  inWecomNone: string;
  inWecomItems: Record<
    'homepage' | 'trustedDomain' | 'commandCallback' | 'dataCallback' | 'token' | 'licence' | 'ticket',
    string
  >;
  /** The licence and visible-range preconditions of an in-client login. */
  licenceNote: string;
  /** The app suite's credential check: its button and its success. */
  checkInWecom: string;
  okInWecom: string;
  /** The app suite's suite_ticket status. */
  appTicketNone: string;
  /** The button that fills Token and EncodingAESKey with new random values. */
  generate: string;
  /** Service-app setup: the suite_ticket's status. */
  ticketNone: string;
  ticketReceived: string;
  /** The credential check's success on a service-app connection. */
  okServiceApp: string;
  serviceAppSetupIntro: string;
  serviceAppItems: Record<'trustedDomain' | 'callbackUrl' | 'token' | 'refreshTicket', string>;
  identifierRule: string;
  unchanged: string;
  loginModes: Record<'login-and-register' | 'login-only', string>;
  usertypes: Record<'member' | 'admin', string>;
  setupIntro: string;
  setupItems: Record<'loginDomain' | 'callbackDomain' | 'businessUrl' | 'ipWhitelist' | 'allowedCorps', string>;
  ipWhitelistValue: string;
  /** Setup view: the connection admits any enterprise. */
  anyCorp: string;
  /** Setup view: after the list of admitted CorpIDs. */
  onlyTheseCorps: string;
  copy: string;
  copied: string;
  check: string;
  checking: string;
  diagnoses: Record<CredentialDiagnosis, string>;
  ipSeen: string;
  search: string;
  noUsers: string;
  more: string;
  allConnections: string;
  allEvents: string;
  noEntries: string;
  events: Record<string, string>;
  eventFilter: string;
  auditColumns: [string, string, string, string, string, string, string];
  userColumns: [string, string, string, string, string, string];
  snippetText: string;
  errcodes: Record<number, string>;
  /** The OpenID clients page. */
  oidc: OidcStrings;
}

/** The texts of the OpenID clients page. */
export interface OidcStrings {
  title: string;
  intro: string;
  discovery: string;
  none: string;
  add: string;
  /** The table's columns: id, name, connection, enterprises, actions. */
  columns: [string, string, string, string, string];
  anyCorp: string;
  nobody: string;
  rotate: string;
  delete: string;
  /** Shown once with a new secret. */
  secretOnce: string;
  /** Each field of a client, as the form labels it. */
  fields: Record<keyof OidcClientInput, string>;
  hints: Record<'clientId' | 'redirectUris' | 'allowedCorpIds', string>;
  authMethods: Record<'client_secret_basic' | 'client_secret_post' | 'none', string>;
  confirmDelete: string;
}

const enOidc: OidcStrings = {
  title: 'OpenID clients',
  intro:
    'Apps that speak OpenID Connect (Grafana, GitLab, Keycloak, oauth2-proxy …) log in with WeCom here. Each ' +
    'uses one connection’s WeCom login and admits the enterprises you list.',
  discovery: 'Discovery URL',
  none: 'No OpenID clients yet.',
  add: 'New OpenID client',
  columns: ['Client ID', 'Name', 'Connection', 'Enterprises', 'Actions'],
  anyCorp: 'any enterprise',
  nobody: 'nobody (no enterprise listed)',
  rotate: 'New secret',
  delete: 'Delete',
  secretOnce:
    'The client secret of {client}, shown this once: put it in the app’s settings now. A previous secret keeps ' +
    'working for 24 hours.',
  fields: {
    clientId: 'Client ID',
    name: 'Application name',
    connection: 'Connection',
    redirectUris: 'Redirect URIs',
    postLogoutRedirectUris: 'Post-logout redirect URIs',
    tokenEndpointAuthMethod: 'Client authentication',
    allowedCorpIds: 'Enterprises (CorpIDs)',
    anyCorp: 'Admit every enterprise',
    idTokenSignedResponseAlg: 'ID token algorithm',
  },
  hints: {
    clientId: 'Optional: one is made (oc_…) when left empty.',
    redirectUris: 'One exact URL per line, as the app sends it. https only in production.',
    allowedCorpIds: 'One CorpID per line. With none, nobody can log in unless every enterprise is admitted.',
  },
  authMethods: {
    client_secret_basic: 'Secret in the Authorization header (client_secret_basic)',
    client_secret_post: 'Secret in the form (client_secret_post)',
    none: 'Public client, no secret (PKCE required)',
  },
  confirmDelete: 'Delete {client}? Its logins stop at once.',
};

const zhCNOidc: OidcStrings = {
  title: 'OpenID 客户端',
  intro:
    '支持 OpenID Connect 的应用（Grafana、GitLab、Keycloak、oauth2-proxy 等）' +
    '通过这里用企业微信登录。每个客户端' +
    '使用一个连接的企业微信登录，并只接纳你列出的企业。',
  discovery: '发现地址（Discovery URL）',
  none: '还没有 OpenID 客户端。',
  add: '新建 OpenID 客户端',
  columns: ['Client ID', '名称', '连接', '企业', '操作'],
  anyCorp: '任何企业',
  nobody: '无人（未列出企业）',
  rotate: '更换密钥',
  delete: '删除',
  secretOnce: '{client} 的客户端密钥只显示这一次：请立即填入应用的设置。旧密钥在 24 小时内仍然有效。',
  fields: {
    clientId: 'Client ID',
    name: '应用名称',
    connection: '连接',
    redirectUris: '回调地址（Redirect URI）',
    postLogoutRedirectUris: '退出后回调地址',
    tokenEndpointAuthMethod: '客户端认证方式',
    allowedCorpIds: '企业（CorpID）',
    anyCorp: '接纳所有企业',
    idTokenSignedResponseAlg: 'ID Token 签名算法',
  },
  hints: {
    clientId: '可选：留空则自动生成（oc_…）。',
    redirectUris: '每行一个应用发送的确切网址。生产环境只允许 https。',
    allowedCorpIds: '每行一个 CorpID。未列出企业且未接纳所有企业时，任何人都无法登录。',
  },
  authMethods: {
    client_secret_basic: '密钥放在 Authorization 头（client_secret_basic）',
    client_secret_post: '密钥放在表单中（client_secret_post）',
    none: '公开客户端，无密钥（必须使用 PKCE）',
  },
  confirmDelete: '删除 {client}？它的登录将立即停止。',
};

const en: AdminStrings = {
  oidc: enOidc,
  title: 'wecom-sp-login admin',
  signInTitle: 'Sign in to the admin console',
  signInText: 'Use the ADMIN_TOKEN this login server was started with. It stays in this tab only.',
  tokenLabel: 'Admin token',
  signIn: 'Sign in',
  signOut: 'Sign out',
  badToken: 'That token is not valid.',
  adminDisabled:
    'The admin API is disabled on this server. Set ADMIN_TOKEN (a random value: openssl rand -base64 24) and ' +
    'restart it.',
  unreachable: 'The login server could not be reached.',
  connections: 'Connections',
  audit: 'Audit log',
  newConnection: 'New connection',
  noConnections: 'No connections yet. Create one to let a site offer WeCom login.',
  settings: 'Settings',
  setup: 'WeCom setup',
  activity: 'Activity',
  activitySummary: '{total} logins in the last 30 days (UTC), {failed} of them failed.',
  succeeded: 'Succeeded',
  latestFailures: 'Latest failures',
  noFailures: 'No failed logins.',
  failureReasons: {
    exchange_failed: 'WeCom did not accept the login code: it was used twice, expired, or came from another provider.',
    wecom_unavailable: 'WeCom was busy, unreachable, or rate-limiting this provider; the server held back for a while.',
    wecom_config_error:
      "WeCom refused this connection's setup: check the ProviderSecret, the CorpID and the IP whitelist " +
      '(WeCom setup tab).',
    login_not_allowed:
      "The connection's policy refused the user: login-only mode, an enterprise not in the allowed list, or " +
      'a member at the admin launch.',
    login_cancelled: "The user cancelled on WeCom's page.",
    invalid_state: 'The login was started in another browser, or its cookie was lost.',
    server_error: 'Something failed on this server: see its log.',
  },
  users: 'Users',
  snippet: 'Snippet',
  save: 'Save',
  create: 'Create',
  cancel: 'Cancel',
  saved: 'Saved.',
  delete: 'Delete connection',
  confirmDelete: 'Delete {id}? Its users and pending logins go with it. This cannot be undone.',
  confirmDeleteYes: 'Yes, delete',
  fields: {
    identifier: 'Identifier',
    displayName: 'Display name',
    corpId: 'CorpID',
    providerSecret: 'ProviderSecret',
    callbackUrl: 'Callback URL (deprecated)',
    loginMode: 'Login mode',
    usertype: 'QR user type',
    allowedOrigins: 'Allowed origins',
    launchUrl: 'Launch URL',
    allowedCorpIds: 'Allowed enterprises (CorpIDs)',
    flow: 'WeCom login',
    suiteId: 'SuiteID (登录授权)',
    suiteSecret: 'Secret (登录授权)',
    callbackToken: 'Token (callback)',
    encodingAesKey: 'EncodingAESKey (callback)',
    appSuiteId: 'SuiteID (app suite)',
    appSuiteSecret: 'Secret (app suite)',
    appCallbackToken: 'Token (app callbacks)',
    appEncodingAesKey: 'EncodingAESKey (app callbacks)',
  },
  hints: {
    flow:
      "Provider QR login: CorpID + ProviderSecret. New login: the 登录授权 page's SuiteID, Secret and callback; " +
      'WeCom advises moving to it.',
    suiteId: 'From 服务商管理后台 → 应用管理 → 登录授权. It looks like a CorpID but is not one.',
    suiteSecret: 'The Secret of 登录授权 (not the ProviderSecret). Write-only.',
    callbackSecrets:
      'Set the same Token and EncodingAESKey on the 登录授权 page’s callback. Generate makes new ones: copy them ' +
      'there before saving; they are never shown again.',
    providerSecretOptional:
      'Needed only with a launch URL: the admin-console launch admits admins only, and only get_login_info, ' +
      'with the ProviderSecret, says who is one.',
    appSuite:
      'Optional, on either login: the SuiteID of your app (应用管理 → 网页应用 → 基本信息), for members inside ' +
      'the WeCom app. All four app fields, or none.',
    appSuiteSecret: "The app suite's Secret (not the ProviderSecret, not the 登录授权 Secret). Write-only.",
    appCallbackSecrets:
      'Set the same Token and EncodingAESKey on the app page for both callback URLs. Generate makes new ' +
      'ones: copy them there before saving; they are never shown again.',
    identifier: 'Lowercase letters, digits and "-", 1 to 31 characters. It cannot change later.',
    identifierFixed: 'The identifier cannot change after creation.',
    providerSecret: 'From 服务商管理后台 → 应用管理 → 通用开发参数. Write-only: it is never shown again.',
    providerSecretUnchanged: 'Unchanged. Type a new ProviderSecret to replace it.',
    callbackUrl: 'Kept for parity with the console form; "#" or empty means unused.',
    allowedOrigins: 'One exact origin per line, e.g. https://shop.example (no path, no trailing slash).',
    launchUrl: 'The page on an allowed origin where the admin-console / workbench launch lands.',
    allowedCorpIds:
      'One customer CorpID per line. Empty: members of any enterprise that installed your app may log in. ' +
      'Others get login_not_allowed, and no user is written.',
    usertype: 'member: scan with WeCom; admin: scan with WeChat.',
  },
  identifierRule: 'Use 1 to 31 lowercase letters, digits or "-".',
  unchanged: '(unchanged)',
  loginModes: {'login-and-register': 'Log in and register new users', 'login-only': 'Log in known users only'},
  usertypes: {member: 'member (WeCom)', admin: 'admin (WeChat)'},
  flows: {
    legacy: 'Provider QR login (CorpID + ProviderSecret)',
    'service-app': 'New login (登录授权, login_type=ServiceApp)',
  },
  generate: 'Generate',
  inWecom: 'In WeCom (no QR code)',
  inWecomIntro:
    'Members who open the site inside the WeCom app (its workbench, a link in a chat) cannot scan a QR code; ' +
    "with the provider's app suite they are logged in with no QR code and no tap. Enter these values on " +
    '服务商管理后台 → 应用管理 → 网页应用 (your app), then check the app suite.',
  inWecomNone:
    'This connection has no app suite, so inside the WeCom app members see a QR code they cannot scan. Add ' +
    "the app suite's SuiteID, Secret, Token and EncodingAESKey under Settings → In WeCom.",
  inWecomItems: {
    homepage: '应用主页 (app home page)',
    trustedDomain: '可信域名 (trusted domain)',
    commandCallback: '指令回调URL (command callback)',
    dataCallback: '数据回调URL (data callback)',
    token: 'Token and EncodingAESKey',
    licence: 'Members',
    ticket: 'App suite_ticket',
  },
  licenceNote:
    "Each member's enterprise must install the app, include them in its visible range (可见范围), and give them " +
    'a WeCom licence (基础账号, 接口调用许可). Otherwise WeCom shows its own page, or the login is refused with ' +
    'login_not_allowed.',
  checkInWecom: 'Check the app suite',
  okInWecom:
    "WeCom accepted the app suite's SuiteID, its Secret and the latest app suite_ticket. " +
    'Logins inside WeCom will work.',
  appTicketNone:
    'No app suite_ticket received yet: check both callback URLs on the app page; WeCom pushes one every ten minutes.',
  okServiceApp: 'WeCom accepted the SuiteID, its Secret and the latest suite_ticket. Logins will work.',
  ticketNone: 'No suite_ticket received yet: press 刷新Ticket on the 登录授权 page and check its callback URL.',
  ticketReceived: 'Last suite_ticket received {ago} ago.',
  serviceAppSetupIntro: 'Enter these values on 服务商管理后台 → 应用管理 → 登录授权, then check the credentials.',
  serviceAppItems: {
    trustedDomain: '登录授权的可信域名 (trusted domain)',
    callbackUrl: '回调配置 URL (callback URL)',
    token: 'Token and EncodingAESKey',
    refreshTicket: '刷新Ticket (push a suite_ticket now)',
  },
  setupIntro: 'Enter these values in the WeCom service-provider console (服务商管理后台), then check the credentials.',
  setupItems: {
    loginDomain: '登录授权发起域名 (login initiation domain)',
    callbackDomain: '授权完成回调域名 (callback domain)',
    businessUrl: '业务设置URL (launch from the admin console)',
    ipWhitelist: 'IP白名单 (服务商信息 → 基本信息)',
    allowedCorps: 'Enterprises that may log in',
  },
  ipWhitelistValue: "This server's outbound IP. If it is missing, Check credentials shows the IP WeCom saw.",
  anyCorp:
    'Any enterprise that installed your app: a provider QR code admits members of every customer. List ' +
    'CorpIDs under Settings → Allowed enterprises to admit only some.',
  onlyTheseCorps: 'Users of other enterprises get login_not_allowed before any account is written.',
  copy: 'Copy',
  copied: 'Copied',
  check: 'Check credentials',
  checking: 'Checking…',
  diagnoses: {
    ok: 'WeCom accepted the CorpID and ProviderSecret. Logins will work.',
    wrong_secret:
      'WeCom rejected the ProviderSecret. Copy it again from 通用开发参数 (the ProviderSecret, not an app Secret).',
    wrong_corp_id: 'WeCom does not know this CorpID. Copy the provider CorpID from 通用开发参数.',
    ip_not_whitelisted: "WeCom refused this server's IP. Add it to the IP whitelist; the change takes effect at once.",
    rate_limited: 'WeCom is rate-limiting this provider. Wait a minute, then check again.',
    wecom_unavailable: 'WeCom could not be reached or was busy. Try again in a minute.',
    wecom_error: 'WeCom answered with an unexpected error.',
    no_suite_ticket:
      'No suite_ticket has reached this server yet. On 登录授权, check the callback URL, Token and ' +
      'EncodingAESKey, then press 刷新Ticket.',
    invalid_suite_ticket:
      'WeCom refused the stored suite_ticket (expired, or of another suite). Press 刷新Ticket on 登录授权.',
    wrong_suite_id: 'WeCom does not know this SuiteID. Copy it from 应用管理 → 登录授权 (not the CorpID).',
    wrong_suite_secret: 'WeCom rejected the Secret. Copy the Secret of 应用管理 → 登录授权 (not the ProviderSecret).',
  },
  ipSeen: 'IP WeCom saw',
  search: 'Search name or userid',
  noUsers: 'No users yet.',
  more: 'Load more',
  allConnections: 'All connections',
  allEvents: 'All events',
  noEntries: 'Nothing logged yet.',
  events: {
    login_succeeded: 'Login succeeded',
    login_failed: 'Login failed',
    login_refused: 'Login refused',
    connection_created: 'Connection created',
    connection_updated: 'Connection updated',
    connection_deleted: 'Connection deleted',
    credentials_checked: 'Credentials checked',
    suite_ticket_cleared: 'suite_ticket cleared',
    admin_auth_failed: 'Wrong admin token',
  },
  eventFilter: 'Event',
  auditColumns: ['Time', 'Event', 'Connection', 'Code', 'WeCom errcode', 'Detail', 'IP'],
  userColumns: ['Name', 'userid', 'open_userid', 'Enterprise (CorpID)', 'Last login', 'Logins'],
  snippetText: 'Paste this into any page on an allowed origin:',
  errcodes: {
    [-1]: 'WeCom was busy; retried.',
    40001: 'Invalid ProviderSecret.',
    40013: 'Invalid CorpID.',
    40014: 'Invalid or expired provider token; refreshed.',
    40029: 'Invalid auth_code (used, expired or from another provider).',
    41001: 'Missing access token; refreshed.',
    42001: 'Provider token expired; refreshed.',
    45009: 'WeCom rate limit reached.',
    60020: "This server's IP is not on the provider's IP whitelist.",
  },
};

const zhCN: AdminStrings = {
  oidc: zhCNOidc,
  title: 'wecom-sp-login 管理后台',
  signInTitle: '登录管理后台',
  signInText: '使用启动本登录服务器时设置的 ADMIN_TOKEN。它只保存在当前标签页中。',
  tokenLabel: '管理令牌',
  signIn: '登录',
  signOut: '退出',
  badToken: '令牌无效。',
  adminDisabled: '本服务器未启用管理 API。请设置 ADMIN_TOKEN（随机值：openssl rand -base64 24）后重启。',
  unreachable: '无法连接登录服务器。',
  connections: '身份源连接',
  audit: '审计日志',
  newConnection: '新建连接',
  noConnections: '还没有连接。创建一个，网站即可提供企业微信登录。',
  settings: '设置',
  setup: '企业微信配置',
  activity: '登录情况',
  activitySummary: '最近 30 天（UTC）共 {total} 次登录，其中 {failed} 次失败。',
  succeeded: '成功',
  latestFailures: '最近的失败',
  noFailures: '没有失败的登录。',
  failureReasons: {
    exchange_failed: '企业微信不接受此登录码：已被使用、已过期或属于其他服务商。',
    wecom_unavailable: '企业微信繁忙、无法访问或正在限制本服务商的调用频率；服务器已暂停调用一段时间。',
    wecom_config_error: '企业微信拒绝了此连接的配置：请检查 ProviderSecret、CorpID 和 IP 白名单（企业微信配置页）。',
    login_not_allowed: '连接策略拒绝了此用户：仅登录模式、企业不在允许列表中，或成员从管理后台进入。',
    login_cancelled: '用户在企业微信页面取消了登录。',
    invalid_state: '登录在另一个浏览器中发起，或其 Cookie 已丢失。',
    server_error: '本服务器出错：请查看日志。',
  },
  users: '用户',
  snippet: '接入代码',
  save: '保存',
  create: '创建',
  cancel: '取消',
  saved: '已保存。',
  delete: '删除连接',
  confirmDelete: '删除 {id}？其用户和未完成的登录将一并删除，且无法恢复。',
  confirmDeleteYes: '确认删除',
  fields: {
    identifier: '唯一标识',
    displayName: '显示名称',
    corpId: 'CorpID',
    providerSecret: 'ProviderSecret',
    callbackUrl: '回调地址（已废弃）',
    loginMode: '登录模式',
    usertype: '扫码用户类型',
    allowedOrigins: '允许的来源',
    launchUrl: '业务设置跳转页',
    allowedCorpIds: '允许的企业（CorpID）',
    flow: '企业微信登录方式',
    suiteId: 'SuiteID（登录授权）',
    suiteSecret: 'Secret（登录授权）',
    callbackToken: 'Token（回调）',
    encodingAesKey: 'EncodingAESKey（回调）',
    appSuiteId: 'SuiteID（第三方应用）',
    appSuiteSecret: 'Secret（第三方应用）',
    appCallbackToken: 'Token（应用回调）',
    appEncodingAesKey: 'EncodingAESKey（应用回调）',
  },
  hints: {
    flow:
      '服务商扫码登录：CorpID + ProviderSecret。新版登录：“登录授权”页的 SuiteID、Secret 和回调；' +
      '企业微信建议迁移到新版。',
    suiteId: '在 服务商管理后台 → 应用管理 → 登录授权 中获取。它看起来像 CorpID，但不是。',
    suiteSecret: '“登录授权”的 Secret（不是 ProviderSecret）。只写。',
    callbackSecrets:
      '在“登录授权”页的回调配置中填写相同的 Token 和 EncodingAESKey。' +
      '“生成”会创建新值：保存前请复制过去，之后不再显示。',
    providerSecretOptional:
      '仅在填写业务设置跳转页时需要：管理后台进入只允许管理员，而只有 get_login_info（需 ProviderSecret）' +
      '能判断是否为管理员。',
    appSuite:
      '可选，两种登录方式均可：你的应用的 SuiteID（应用管理 → 网页应用 → 基本信息），供企业微信内的成员登录。' +
      '四个应用字段要么都填，要么都不填。',
    appSuiteSecret: '第三方应用的 Secret（不是 ProviderSecret，也不是登录授权的 Secret）。只写。',
    appCallbackSecrets:
      '在应用页面的两个回调 URL 中填写相同的 Token 和 EncodingAESKey。“生成”会创建新值：保存前请复制过去，' +
      '之后不再显示。',
    identifier: '小写字母、数字和“-”，1 到 31 个字符。创建后不可修改。',
    identifierFixed: '唯一标识创建后不可修改。',
    providerSecret: '在 服务商管理后台 → 应用管理 → 通用开发参数 中获取。只写：保存后不再显示。',
    providerSecretUnchanged: '未修改。输入新的 ProviderSecret 以替换。',
    callbackUrl: '与控制台表单保持一致；“#”或留空表示不使用。',
    allowedOrigins: '每行一个精确来源，例如 https://shop.example（不含路径和结尾斜杠）。',
    launchUrl: '管理后台 / 工作台进入时落地的页面，须在允许的来源上。',
    allowedCorpIds:
      '每行一个客户企业的 CorpID。留空：任何安装了你的应用的企业的成员都可登录。其他企业的用户会收到 ' +
      'login_not_allowed，且不会创建用户。',
    usertype: 'member：用企业微信扫码；admin：用微信扫码。',
  },
  identifierRule: '请使用 1 到 31 个小写字母、数字或“-”。',
  unchanged: '（未修改）',
  loginModes: {'login-and-register': '登录并注册新用户', 'login-only': '仅允许已有用户登录'},
  usertypes: {member: 'member（企业微信）', admin: 'admin（微信）'},
  flows: {legacy: '服务商扫码登录（CorpID + ProviderSecret）', 'service-app': '新版登录授权（login_type=ServiceApp）'},
  generate: '生成',
  inWecom: '在企业微信内（无需扫码）',
  inWecomIntro:
    '成员在企业微信客户端内（工作台、聊天中的链接）打开网站时无法扫码；有了服务商的第三方应用，他们无需扫码、' +
    '无需点击即可登录。在 服务商管理后台 → 应用管理 → 网页应用（你的应用）中填写以下内容，然后检查应用凭证。',
  inWecomNone:
    '此连接没有第三方应用，成员在企业微信内会看到无法扫描的二维码。请在“设置 → 在企业微信内”中填写应用的 ' +
    'SuiteID、Secret、Token 和 EncodingAESKey。',
  inWecomItems: {
    homepage: '应用主页',
    trustedDomain: '可信域名',
    commandCallback: '指令回调URL',
    dataCallback: '数据回调URL',
    token: 'Token 和 EncodingAESKey',
    licence: '成员',
    ticket: '应用 suite_ticket',
  },
  licenceNote:
    '成员所在企业须安装该应用、将其加入可见范围，并为其开通基础账号（接口调用许可）。' +
    '否则企业微信会显示自己的提示页，或登录以 login_not_allowed 被拒绝。',
  checkInWecom: '检查第三方应用',
  okInWecom: '企业微信接受了第三方应用的 SuiteID、Secret 和最新的 suite_ticket，企业微信内登录可以正常使用。',
  appTicketNone: '尚未收到应用的 suite_ticket：请检查应用页面上的两个回调 URL；企业微信每十分钟推送一次。',
  okServiceApp: '企业微信接受了 SuiteID、Secret 和最新的 suite_ticket，可以正常登录。',
  ticketNone: '尚未收到 suite_ticket：请在“登录授权”页点击“刷新Ticket”，并检查回调 URL。',
  ticketReceived: '最近一次收到 suite_ticket：{ago}前。',
  serviceAppSetupIntro: '在 服务商管理后台 → 应用管理 → 登录授权 中填写以下内容，然后检查凭证。',
  serviceAppItems: {
    trustedDomain: '登录授权的可信域名',
    callbackUrl: '回调配置 URL',
    token: 'Token 和 EncodingAESKey',
    refreshTicket: '刷新Ticket（立即推送 suite_ticket）',
  },
  setupIntro: '在企业微信服务商管理后台中填写以下值，然后检查凭证。',
  setupItems: {
    loginDomain: '登录授权发起域名',
    callbackDomain: '授权完成回调域名',
    businessUrl: '业务设置URL（从管理后台进入）',
    ipWhitelist: 'IP白名单（服务商信息 → 基本信息）',
    allowedCorps: '允许登录的企业',
  },
  ipWhitelistValue: '本服务器的出口 IP。若未添加，“检查凭证”会显示企业微信看到的 IP。',
  anyCorp:
    '任何安装了你的应用的企业：服务商二维码对所有客户企业的成员开放。如只允许部分企业，请在“设置 → ' +
    '允许的企业”中填写 CorpID。',
  onlyTheseCorps: '其他企业的用户在创建账号之前即被拒绝（login_not_allowed）。',
  copy: '复制',
  copied: '已复制',
  check: '检查凭证',
  checking: '检查中…',
  diagnoses: {
    ok: '企业微信接受了 CorpID 和 ProviderSecret，可以正常登录。',
    wrong_secret: '企业微信拒绝了 ProviderSecret。请从“通用开发参数”重新复制（是 ProviderSecret，不是应用 Secret）。',
    wrong_corp_id: '企业微信不认识该 CorpID。请从“通用开发参数”复制服务商 CorpID。',
    ip_not_whitelisted: '企业微信拒绝了本服务器的 IP。请将其加入 IP白名单，修改立即生效。',
    rate_limited: '企业微信正在对该服务商限流。请等待一分钟后再检查。',
    wecom_unavailable: '企业微信无法连接或繁忙，请一分钟后重试。',
    wecom_error: '企业微信返回了意外的错误。',
    no_suite_ticket:
      '本服务器还没有收到 suite_ticket。请在“登录授权”页检查回调 URL、Token 和 EncodingAESKey，然后点击“刷新Ticket”。',
    invalid_suite_ticket:
      '企业微信拒绝了保存的 suite_ticket（已过期，或属于其他应用）。请在“登录授权”页点击“刷新Ticket”。',
    wrong_suite_id: '企业微信不认识该 SuiteID。请从 应用管理 → 登录授权 复制（不是 CorpID）。',
    wrong_suite_secret: '企业微信拒绝了 Secret。请复制 应用管理 → 登录授权 的 Secret（不是 ProviderSecret）。',
  },
  ipSeen: '企业微信看到的 IP',
  search: '搜索姓名或 userid',
  noUsers: '还没有用户。',
  more: '加载更多',
  allConnections: '全部连接',
  allEvents: '全部事件',
  noEntries: '暂无记录。',
  events: {
    login_succeeded: '登录成功',
    login_failed: '登录失败',
    login_refused: '登录被拒绝',
    connection_created: '创建连接',
    connection_updated: '修改连接',
    connection_deleted: '删除连接',
    credentials_checked: '检查凭证',
    suite_ticket_cleared: '清除 suite_ticket',
    admin_auth_failed: '管理令牌错误',
  },
  eventFilter: '事件',
  auditColumns: ['时间', '事件', '连接', '结果代码', '企业微信错误码', '详情', 'IP'],
  userColumns: ['姓名', 'userid', 'open_userid', '企业（CorpID）', '最近登录', '登录次数'],
  snippetText: '将以下代码粘贴到允许来源上的任意页面：',
  errcodes: {
    [-1]: '企业微信系统繁忙，已重试。',
    40001: 'ProviderSecret 不合法。',
    40013: 'CorpID 不合法。',
    40014: '服务商凭证无效或已过期，已刷新。',
    40029: 'auth_code 无效（已使用、过期或属于其他服务商）。',
    41001: '缺少 access_token，已刷新。',
    42001: '服务商凭证已过期，已刷新。',
    45009: '已达到企业微信接口调用频率上限。',
    60020: '本服务器 IP 不在服务商 IP 白名单中。',
  },
};

/** The console's dictionaries by language. */
export const ADMIN_STRINGS: Readonly<Record<AdminLang, AdminStrings>> = {'zh-CN': zhCN, en};
