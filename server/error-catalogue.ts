import type {LoginErrorCode} from '../widget/protocol.ts';
import type {Lang} from '../widget/strings.ts';

/** Every stable error code the server can answer with: the wire codes of login results, and the API's own. */
export type ErrorCode =
  LoginErrorCode | 'not_found' | 'conflict' | 'unauthorized' | 'admin_disabled' | 'invalid_callback';

/** One error the server answers with: its wire code, HTTP status and message in each language. */
export interface ErrorEntry {
  code: ErrorCode;
  status: number;
  /** Shown to the caller although 5xx: written for the visitor (a WeCom failure, a disabled API). */
  expose?: true;
  /** `{name}` is replaced by the error's parameter `name`. */
  en: string;
  'zh-CN': string;
}

/**
 * Every error the server answers with, by key (as oidc-provider keeps one table of its errors).
 * The code is the contract; the messages are for people and may change. JSON answers speak English
 * unless the request prefers Chinese; the result and error pages speak the visitor's language.
 */
export const ERRORS = {
  // Requests in general.
  not_found: {code: 'not_found', status: 404, en: 'Not found.', 'zh-CN': '未找到。'},
  method_not_allowed: {
    code: 'invalid_request',
    status: 405,
    en: 'Method not allowed.',
    'zh-CN': '不支持此请求方法。',
  },
  malformed_request: {code: 'invalid_request', status: 400, en: 'The request is malformed.', 'zh-CN': '请求格式有误。'},
  server_error: {
    code: 'server_error',
    status: 500,
    en: 'Something went wrong on the login server. Please try again.',
    'zh-CN': '登录服务器出错了，请重试。',
  },
  parameter_repeated: {
    code: 'invalid_request',
    status: 400,
    en: 'The "{name}" parameter is given more than once.',
    'zh-CN': '参数“{name}”出现了不止一次。',
  },
  body_too_large: {code: 'invalid_request', status: 413, en: 'The request body is too large.', 'zh-CN': '请求体过大。'},
  body_not_json: {
    code: 'invalid_request',
    status: 415,
    en: 'The body must be JSON (Content-Type: application/json).',
    'zh-CN': '请求体必须是 JSON（Content-Type: application/json）。',
  },
  body_compressed: {
    code: 'invalid_request',
    status: 415,
    en: 'The body must not be compressed.',
    'zh-CN': '请求体不能压缩。',
  },
  body_invalid_json: {
    code: 'invalid_request',
    status: 400,
    en: 'The body is not valid JSON.',
    'zh-CN': '请求体不是有效的 JSON。',
  },
  rate_limited: {
    code: 'rate_limited',
    status: 429,
    en: 'Too many requests from this network right now. Wait a moment and try again.',
    'zh-CN': '此网络的请求过多，请稍候再试。',
  },

  // Starting a login.
  unknown_connection: {
    code: 'unknown_connection',
    status: 404,
    en: 'No connection is named "{identifier}".',
    'zh-CN': '没有名为“{identifier}”的登录连接。',
  },
  mode_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'mode must be popup, embedded or redirect.',
    'zh-CN': 'mode 必须是 popup、embedded 或 redirect。',
  },
  origin_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'origin must be the exact origin of the page starting the login.',
    'zh-CN': 'origin 必须恰好是发起登录的页面的源。',
  },
  origin_not_allowed: {
    code: 'origin_not_allowed',
    status: 400,
    en: 'This site is not allowed to use this login connection.',
    'zh-CN': '此网站无权使用这个登录连接。',
  },
  nonce_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'nonce must be 16 to 128 characters of A-Z, a-z, 0-9, "-" or "_".',
    'zh-CN': 'nonce 必须是 16 到 128 个 A-Z、a-z、0-9、“-”或“_”字符。',
  },
  redirect_only: {
    code: 'invalid_request',
    status: 400,
    en: '{name} is only used with mode=redirect.',
    'zh-CN': '{name} 只用于 mode=redirect。',
  },
  code_challenge_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'code_challenge is required with mode=redirect: base64url(SHA-256(code_verifier)), 43 characters.',
    'zh-CN': 'mode=redirect 需要 code_challenge：base64url(SHA-256(code_verifier))，43 个字符。',
  },
  code_challenge_method_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'code_challenge_method must be S256.',
    'zh-CN': 'code_challenge_method 必须是 S256。',
  },
  return_to_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'return_to must be a URL on the origin that started the login, without user info, at most {max} characters.',
    'zh-CN': 'return_to 必须是发起登录的源上的网址，不含用户信息，最多 {max} 个字符。',
  },
  no_app_suite: {
    code: 'invalid_request',
    status: 400,
    en:
      'This connection has no app suite, so it cannot log members in inside WeCom. Its owner sets appSuiteId ' +
      "and the app suite's secrets.",
    'zh-CN': '此连接没有第三方应用，无法在企业微信内为成员登录。请连接的管理员设置 appSuiteId 和应用的密钥。',
  },
  workbench_return_to_not_allowed: {
    code: 'invalid_request',
    status: 400,
    en: "return_to must be a page on one of the connection's allowed origins.",
    'zh-CN': 'return_to 必须是连接所允许的某个源上的页面。',
  },
  workbench_no_landing: {
    code: 'invalid_request',
    status: 400,
    en:
      'This workbench link names no page to land on: add ?return_to=<a page of the site>, or set the ' +
      "connection's launchUrl.",
    'zh-CN': '此工作台链接没有指明登录后的页面：请加上 ?return_to=<网站的页面>，或设置连接的 launchUrl。',
  },

  // WeCom's answer.
  state_unknown: {
    code: 'invalid_state',
    status: 400,
    en: 'The login state is missing, expired or already used. Start the login again.',
    'zh-CN': '登录状态缺失、已过期或已被使用，请重新登录。',
  },
  state_other_browser: {
    code: 'invalid_state',
    status: 400,
    en: 'This login was started in another browser or its cookie was lost. Start the login again.',
    'zh-CN': '此次登录是在另一个浏览器中发起的，或其 Cookie 已丢失，请重新登录。',
  },
  no_launch_url: {
    code: 'invalid_request',
    status: 400,
    en: 'This connection has no launch URL. Set launchUrl to use the admin-console launch.',
    'zh-CN': '此连接没有设置跳转地址。请设置 launchUrl 以使用管理后台的跳转登录。',
  },
  other_corp: {
    code: 'invalid_request',
    status: 400,
    en: 'The login came back for another CorpID.',
    'zh-CN': '登录返回的 CorpID 与此连接不符。',
  },
  login_cancelled: {
    code: 'login_cancelled',
    status: 400,
    en: 'The login was cancelled in WeCom.',
    'zh-CN': '已在企业微信中取消登录。',
  },
  identity_unconfirmed: {
    code: 'login_cancelled',
    status: 400,
    en: 'WeCom did not confirm who you are. Open the app from WeCom again.',
    'zh-CN': '企业微信没有确认你的身份，请从企业微信中重新打开应用。',
  },
  not_set_up: {
    code: 'wecom_config_error',
    // A setting only the site owner can fix, not this server failing: 424, and shown.
    status: 424,
    expose: true,
    en: 'WeCom login is not set up correctly for this site. Please tell the site owner.',
    'zh-CN': '此网站的企业微信登录配置有误，请告知网站管理员。',
  },
  not_trusted_domain: {
    code: 'wecom_config_error',
    status: 424,
    expose: true,
    en:
      "WeCom login inside the WeCom app is not set up correctly: this login server is not on the app's trusted " +
      'domain (可信域名). Please tell the site owner.',
    'zh-CN': '企业微信内的登录配置有误：此登录服务器不在应用的可信域名中，请告知网站管理员。',
  },
  no_provider_secret: {
    code: 'wecom_config_error',
    status: 424,
    expose: true,
    en: 'This connection has no ProviderSecret.',
    'zh-CN': '此连接没有 ProviderSecret。',
  },
  code_implausible: {
    code: 'exchange_failed',
    // A WeCom failure written for the visitor: shown, though a 502 would normally be hidden.
    status: 502,
    expose: true,
    en: 'The login code is not valid. Please scan again.',
    'zh-CN': '登录码无效，请重新扫码。',
  },
  wecom_refused: {
    code: 'exchange_failed',
    status: 502,
    expose: true,
    en: 'WeCom did not accept this login. Please scan again.',
    'zh-CN': '企业微信没有接受此次登录，请重新扫码。',
  },
  wecom_busy: {
    code: 'wecom_unavailable',
    status: 502,
    expose: true,
    en: 'WeCom is busy right now. Please try again in a minute.',
    'zh-CN': '企业微信当前繁忙，请一分钟后重试。',
  },
  wecom_unreachable: {
    code: 'wecom_unavailable',
    status: 502,
    expose: true,
    en: 'WeCom could not be reached. Please try again in a minute.',
    'zh-CN': '无法连接企业微信，请一分钟后重试。',
  },
  app_not_granted: {
    code: 'login_not_allowed',
    status: 403,
    en:
      'Your enterprise has not given you this app in WeCom (not installed, outside its visible range, or no ' +
      'WeCom licence). Please ask your WeCom admin.',
    'zh-CN':
      '你的企业没有在企业微信中向你开放此应用（未安装、不在可见范围内或没有企业微信许可），请联系企业微信管理员。',
  },
  no_enterprise: {
    code: 'login_not_allowed',
    status: 403,
    en: 'Only members of an enterprise can log in here; this WeCom account belongs to none.',
    'zh-CN': '只有企业成员可以在此登录；此企业微信账号不属于任何企业。',
  },
  no_member_identity: {
    code: 'login_not_allowed',
    status: 403,
    en: 'This WeCom account has no member identity in its enterprise, so it cannot log in here.',
    'zh-CN': '此企业微信账号在其企业中没有成员身份，无法在此登录。',
  },
  launch_admins_only: {
    code: 'login_not_allowed',
    status: 403,
    en: 'The admin-console launch is for WeCom admins only; members log in with the QR code.',
    'zh-CN': '管理后台跳转登录仅限企业微信管理员；成员请扫码登录。',
  },
  corp_not_allowed: {
    code: 'login_not_allowed',
    status: 403,
    en: 'Your enterprise is not allowed to log in to this site.',
    'zh-CN': '你的企业无权登录此网站。',
  },
  login_only: {
    code: 'login_not_allowed',
    status: 403,
    en: 'This site only lets existing accounts log in, and this WeCom account has none yet.',
    'zh-CN': '此网站只允许已有账号登录，而此企业微信账号还没有账号。',
  },

  // Redeeming a redirect's ticket.
  ticket_body_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'The body must be {"ticket": "…", "code_verifier": "…"}.',
    'zh-CN': '请求体必须是 {"ticket": "…", "code_verifier": "…"}。',
  },
  ticket_unknown: {
    code: 'invalid_ticket',
    status: 400,
    en: 'The ticket is unknown, expired, already used or meant for another site.',
    'zh-CN': '票据未知、已过期、已被使用或属于其他网站。',
  },
  ticket_verifier_wrong: {
    code: 'invalid_ticket',
    status: 400,
    en: 'The ticket was issued to a login started in another browser tab (code_verifier is missing or wrong).',
    'zh-CN': '此票据属于在另一个浏览器标签页中发起的登录（code_verifier 缺失或错误）。',
  },

  // WeCom's pushes.
  callback_refused: {
    code: 'invalid_callback',
    status: 400,
    en: 'This message was not accepted.',
    'zh-CN': '此消息未被接受。',
  },

  // The admin API, /metrics and the built files.
  admin_disabled: {
    code: 'admin_disabled',
    status: 503,
    expose: true,
    en:
      'The admin API is disabled. Set ADMIN_TOKEN (a random value: `openssl rand -base64 24`) and restart ' +
      'the server to enable it.',
    'zh-CN': '管理 API 未启用。请设置 ADMIN_TOKEN（随机值：`openssl rand -base64 24`）并重启服务器。',
  },
  admin_token_required: {
    code: 'unauthorized',
    status: 401,
    en: 'A valid admin bearer token is required.',
    'zh-CN': '需要有效的管理令牌（bearer token）。',
  },
  metrics_token_required: {
    code: 'unauthorized',
    status: 401,
    en: 'A valid metrics bearer token is required.',
    'zh-CN': '需要有效的监控令牌（bearer token）。',
  },
  widget_not_built: {
    code: 'not_found',
    status: 404,
    en: 'The widget is not built on this server: run `npm run build`.',
    'zh-CN': '此服务器上没有构建登录组件：请运行 `npm run build`。',
  },
  admin_not_built: {
    code: 'not_found',
    status: 404,
    en: 'The admin console is not built on this server: run `npm run build`.',
    'zh-CN': '此服务器上没有构建管理后台：请运行 `npm run build`。',
  },
  protocol_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'protocol must be one of {protocols}.',
    'zh-CN': 'protocol 必须是 {protocols} 之一。',
  },
  limit_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'limit must be a whole number from 1 to 200.',
    'zh-CN': 'limit 必须是 1 到 200 的整数。',
  },
  cursor_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'cursor must come from a previous page.',
    'zh-CN': 'cursor 必须来自上一页。',
  },
  connection_exists: {
    code: 'conflict',
    status: 409,
    en: 'A connection named "{identifier}" already exists.',
    'zh-CN': '名为“{identifier}”的连接已存在。',
  },

  // A connection's fields.
  body_not_object: {
    code: 'invalid_request',
    status: 400,
    en: 'The body must be a JSON object.',
    'zh-CN': '请求体必须是 JSON 对象。',
  },
  field_unknown: {code: 'invalid_request', status: 400, en: 'Unknown field "{field}".', 'zh-CN': '未知字段“{field}”。'},
  field_required: {code: 'invalid_request', status: 400, en: '{field} is required.', 'zh-CN': '必须填写 {field}。'},
  identifier_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'identifier must be 1 to 31 lowercase letters, digits or "-".',
    'zh-CN': 'identifier 必须是 1 到 31 个小写字母、数字或“-”。',
  },
  identifier_fixed: {
    code: 'invalid_request',
    status: 400,
    en: 'identifier cannot be changed after creation.',
    'zh-CN': 'identifier 创建后不能修改。',
  },
  display_name_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'displayName must be 1 to 64 characters with no control characters.',
    'zh-CN': 'displayName 必须是 1 到 64 个字符，且不含控制字符。',
  },
  corp_id_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'corpId must be a WeCom CorpID such as "ww1234567890abcdef".',
    'zh-CN': 'corpId 必须是企业微信 CorpID，例如 "ww1234567890abcdef"。',
  },
  provider_secret_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'providerSecret must be the ProviderSecret from 通用开发参数 (printable characters, no spaces).',
    'zh-CN': 'providerSecret 必须是“通用开发参数”中的 ProviderSecret（可打印字符，不含空格）。',
  },
  suite_id_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'suiteId must be the SuiteID of 应用管理 → 登录授权, such as "ww1234567890abcdef".',
    'zh-CN': 'suiteId 必须是“应用管理 → 登录授权”的 SuiteID，例如 "ww1234567890abcdef"。',
  },
  suite_secret_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'suiteSecret must be the Secret of 应用管理 → 登录授权 (printable characters, no spaces).',
    'zh-CN': 'suiteSecret 必须是“应用管理 → 登录授权”的 Secret（可打印字符，不含空格）。',
  },
  callback_token_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'callbackToken must be 1 to 32 letters or digits (the Token of the 登录授权 callback).',
    'zh-CN': 'callbackToken 必须是 1 到 32 个字母或数字（“登录授权”回调的 Token）。',
  },
  encoding_aes_key_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'encodingAesKey must be the 43-character EncodingAESKey of the 登录授权 callback (it decodes to 32 bytes).',
    'zh-CN': 'encodingAesKey 必须是“登录授权”回调的 43 位 EncodingAESKey（解码后为 32 字节）。',
  },
  app_suite_id_invalid: {
    code: 'invalid_request',
    status: 400,
    en:
      'appSuiteId must be the SuiteID of the app suite (应用管理 → 网页应用 → 基本信息), such as ' +
      '"ww1234567890abcdef".',
    'zh-CN': 'appSuiteId 必须是第三方应用的 SuiteID（应用管理 → 网页应用 → 基本信息），例如 "ww1234567890abcdef"。',
  },
  app_suite_secret_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'appSuiteSecret must be the Secret of the app suite (printable characters, no spaces).',
    'zh-CN': 'appSuiteSecret 必须是第三方应用的 Secret（可打印字符，不含空格）。',
  },
  app_callback_token_invalid: {
    code: 'invalid_request',
    status: 400,
    en: "appCallbackToken must be 1 to 32 letters or digits (the Token of the app suite's callbacks).",
    'zh-CN': 'appCallbackToken 必须是 1 到 32 个字母或数字（第三方应用回调的 Token）。',
  },
  app_encoding_aes_key_invalid: {
    code: 'invalid_request',
    status: 400,
    en:
      "appEncodingAesKey must be the 43-character EncodingAESKey of the app suite's callbacks (it decodes to " +
      '32 bytes).',
    'zh-CN': 'appEncodingAesKey 必须是第三方应用回调的 43 位 EncodingAESKey（解码后为 32 字节）。',
  },
  flow_invalid: {code: 'invalid_request', status: 400, en: 'flow must be {flows}.', 'zh-CN': 'flow 必须是 {flows}。'},
  login_mode_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'loginMode must be "login-and-register" or "login-only".',
    'zh-CN': 'loginMode 必须是 "login-and-register" 或 "login-only"。',
  },
  usertype_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'usertype must be "member" or "admin".',
    'zh-CN': 'usertype 必须是 "member" 或 "admin"。',
  },
  field_required_by_flow: {
    code: 'invalid_request',
    status: 400,
    en: '{field} is required for a {flow} connection.',
    'zh-CN': '{flow} 连接必须填写 {field}。',
  },
  app_suite_incomplete: {
    code: 'invalid_request',
    status: 400,
    en: '{field} is required with the other app suite fields ({fields}).',
    'zh-CN': '填写了第三方应用的其他字段（{fields}）时，必须同时填写 {field}。',
  },
  launch_needs_provider_secret: {
    code: 'invalid_request',
    status: 400,
    en:
      'providerSecret is required for a service-app connection with a launchUrl: only get_login_info tells ' +
      'WeCom admins (who alone may launch) from members.',
    'zh-CN':
      '设置了 launchUrl 的 service-app 连接必须填写 providerSecret：只有 get_login_info ' +
      '能区分企业微信管理员（只有管理员可以跳转登录）和成员。',
  },
  launch_url_off_origins: {
    code: 'invalid_request',
    status: 400,
    en: 'launchUrl must be on one of allowedOrigins.',
    'zh-CN': 'launchUrl 必须位于 allowedOrigins 中的某个源上。',
  },
  origin_plain_http: {
    code: 'invalid_request',
    status: 400,
    en: '"{origin}" is plain http: with NODE_ENV=production allowedOrigins must be https (localhost aside).',
    'zh-CN': '“{origin}”是明文 http：NODE_ENV=production 时 allowedOrigins 必须是 https（localhost 除外）。',
  },
  callback_url_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'callbackUrl must be an http(s) URL, "#" or empty.',
    'zh-CN': 'callbackUrl 必须是 http(s) 网址、"#" 或留空。',
  },
  origins_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'allowedOrigins must be a list of at most 50 origins.',
    'zh-CN': 'allowedOrigins 必须是最多 50 个源的列表。',
  },
  origin_not_exact: {
    code: 'invalid_request',
    status: 400,
    en: '"{value}" is not an exact origin such as "https://shop.example" (no path, no trailing slash).',
    'zh-CN': '“{value}”不是确切的源，应形如 "https://shop.example"（不含路径和结尾的斜杠）。',
  },
  corp_ids_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'allowedCorpIds must be a list of at most 500 CorpIDs (empty admits every enterprise).',
    'zh-CN': 'allowedCorpIds 必须是最多 500 个 CorpID 的列表（留空则允许所有企业）。',
  },
  corp_id_not_valid: {
    code: 'invalid_request',
    status: 400,
    en: '"{value}" is not a CorpID such as "ww1234567890abcdef".',
    'zh-CN': '“{value}”不是 CorpID，应形如 "ww1234567890abcdef"。',
  },
  launch_url_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'launchUrl must be an http(s) URL without a fragment.',
    'zh-CN': 'launchUrl 必须是不含片段（#）的 http(s) 网址。',
  },
  // The OpenID provider's clients (admin API and CLI).
  oidc_client_exists: {
    code: 'conflict',
    status: 409,
    en: 'An OpenID client with the id "{clientId}" already exists.',
    'zh-CN': 'ID 为“{clientId}”的 OpenID 客户端已存在。',
  },
  unknown_oidc_client: {
    code: 'not_found',
    status: 404,
    en: 'No OpenID client has this id.',
    'zh-CN': '没有这个 ID 的 OpenID 客户端。',
  },
  oidc_client_id_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'clientId must be 3–64 letters, digits, ".", "_" or "-", starting with a letter or digit.',
    'zh-CN': 'clientId 须为 3–64 个字母、数字、“.”、“_”或“-”，并以字母或数字开头。',
  },
  oidc_client_id_fixed: {
    code: 'invalid_request',
    status: 400,
    en: 'clientId cannot be changed: remove the client and add a new one.',
    'zh-CN': 'clientId 不能修改：请删除该客户端后重新添加。',
  },
  oidc_client_name_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'name must be 1–64 characters without control characters.',
    'zh-CN': 'name 须为 1–64 个字符，且不含控制字符。',
  },
  oidc_connection_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'connection must name an existing connection.',
    'zh-CN': 'connection 必须是已有连接的标识。',
  },
  oidc_uris_invalid: {
    code: 'invalid_request',
    status: 400,
    en: '{field} must be a list of at most {max} URLs.',
    'zh-CN': '{field} 必须是最多 {max} 个网址的列表。',
  },
  oidc_uri_invalid: {
    code: 'invalid_request',
    status: 400,
    en:
      '"{value}" is not allowed: give an exact https URL (http only on localhost outside production) ' +
      'without a fragment.',
    'zh-CN': '不允许“{value}”：请填写确切的 https 网址（仅在非生产环境的 localhost 上可用 http），且不含片段（#）。',
  },
  oidc_auth_method_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'tokenEndpointAuthMethod must be "client_secret_basic", "client_secret_post" or "none".',
    'zh-CN': 'tokenEndpointAuthMethod 必须是 "client_secret_basic"、"client_secret_post" 或 "none"。',
  },
  oidc_any_corp_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'anyCorp must be true or false.',
    'zh-CN': 'anyCorp 必须是 true 或 false。',
  },
  oidc_signing_alg_invalid: {
    code: 'invalid_request',
    status: 400,
    en: 'idTokenSignedResponseAlg must be "RS256" or "ES256".',
    'zh-CN': 'idTokenSignedResponseAlg 必须是 "RS256" 或 "ES256"。',
  },
  oidc_auth_method_kind_fixed: {
    code: 'invalid_request',
    status: 400,
    en: 'A public client cannot become confidential, nor the other way round: add a new client instead.',
    'zh-CN': '公开客户端与机密客户端不能互相转换：请新建一个客户端。',
  },
  oidc_public_client_secret: {
    code: 'invalid_request',
    status: 400,
    en: 'A public client (tokenEndpointAuthMethod "none") has no secret to rotate.',
    'zh-CN': '公开客户端（tokenEndpointAuthMethod 为 "none"）没有可轮换的密钥。',
  },

  // Logging in to an OpenID client.
  oidc_interaction_gone: {
    code: 'invalid_state',
    status: 400,
    en: 'This login has expired or was finished in another tab. Go back to the application and log in again.',
    'zh-CN': '此次登录已过期，或已在其他标签页完成。请返回应用重新登录。',
  },
  oidc_open_userid_missing: {
    code: 'login_not_allowed',
    status: 403,
    en:
      'WeCom did not say who you are in a way that stays the same (no open_userid), so this application ' +
      'cannot log you in.',
    'zh-CN': '企业微信未提供稳定的身份标识（没有 open_userid），此应用无法为你登录。',
  },
} as const satisfies Record<string, ErrorEntry>;

/** The key of an entry of ERRORS. */
export type ErrorKey = keyof typeof ERRORS;

/** The keys whose wire code is `code`. */
export type ErrorKeyWithCode<Code extends ErrorCode> = {
  [Key in ErrorKey]: (typeof ERRORS)[Key]['code'] extends Code ? Key : never;
}[ErrorKey];

/** The values an entry's `{name}` placeholders are filled with. */
export type ErrorParams = Readonly<Record<string, string | number>>;

/** The message of `key` in `lang`, its placeholders filled from `params`. */
export function errorMessage(key: ErrorKey, lang: Lang, params: ErrorParams = {}): string {
  return ERRORS[key][lang].replace(/\{([a-zA-Z]+)\}/g, (placeholder, name: string) =>
    name in params ? String(params[name]) : placeholder,
  );
}
