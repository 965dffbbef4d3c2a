import type {WidgetErrorCode} from './events.ts';

/** Languages the element speaks. */
export type Lang = 'zh-CN' | 'en';

/** Every user-visible text of the element; each language fills all of it. */
export interface Strings {
  /** Default button text (and the QR panel's title) when neither `label` nor a display name is known. */
  logIn: string;
  /** Shown while a popup or the embedded panel waits for a scan. */
  scan: string;
  /** The control that abandons a pending popup login. */
  cancel: string;
  /** Announced after a successful login; `{name}` is the user's name. */
  loggedIn: string;
  /** Failures the visitor can retry now. */
  failed: string;
  /** Failures only the site owner can fix. */
  setup: string;
  /** Failures of the login service or the network: retry later. */
  unavailable: string;
  /** The visitor's account may not log in to this site. */
  notAllowed: string;
  /** The visitor cancelled or closed the login window. */
  cancelled: string;
  /** The browser blocked the popup. */
  blocked: string;
}

/** Which visitor-facing sentence each error code shows: the code itself is for the site owner. */
export const ERROR_SENTENCES: Readonly<Record<WidgetErrorCode, keyof Strings>> = {
  invalid_request: 'setup',
  unknown_connection: 'setup',
  origin_not_allowed: 'setup',
  wecom_config_error: 'setup',
  invalid_state: 'failed',
  invalid_ticket: 'failed',
  exchange_failed: 'failed',
  timeout: 'failed',
  wecom_unavailable: 'unavailable',
  server_error: 'unavailable',
  rate_limited: 'unavailable',
  network_error: 'unavailable',
  login_not_allowed: 'notAllowed',
  login_cancelled: 'cancelled',
  popup_closed: 'cancelled',
  popup_blocked: 'blocked',
};

const zhCN: Strings = {
  logIn: '企业微信登录',
  scan: '请用企业微信扫码登录',
  cancel: '取消',
  loggedIn: '已登录：{name}',
  failed: '登录未完成，请重试',
  setup: '登录配置有误，请联系网站管理员',
  unavailable: '服务暂不可用，请稍后重试',
  notAllowed: '你的账号无权登录此网站',
  cancelled: '登录已取消',
  blocked: '弹窗被拦截，请允许弹窗后重试',
};

const en: Strings = {
  logIn: 'Log in with WeCom',
  scan: 'Scan the QR code with WeCom to log in',
  cancel: 'Cancel',
  loggedIn: 'Logged in as {name}',
  failed: 'Login did not finish. Try again.',
  setup: 'Login is misconfigured. Tell the site owner.',
  unavailable: 'Login is unavailable. Try again later.',
  notAllowed: 'Your account may not log in here.',
  cancelled: 'Login cancelled.',
  blocked: 'Popup blocked. Allow popups and try again.',
};

/** The dictionaries by language. */
export const STRINGS: Readonly<Record<Lang, Strings>> = {'zh-CN': zhCN, en};

/** The strings of `lang`, or of the browser's language when `lang` is empty; English unless Chinese. */
export function stringsFor(lang: string | undefined): Strings {
  return /^zh/i.test(lang || navigator.language) ? zhCN : en;
}

/** The visitor-facing sentence for an error code in `strings`; unknown codes read as `server_error`. */
export function errorSentence(strings: Strings, code: string): string {
  // hasOwn: a code such as __proto__ must not reach Object.prototype.
  return strings[Object.hasOwn(ERROR_SENTENCES, code) ? ERROR_SENTENCES[code as WidgetErrorCode] : 'unavailable'];
}
