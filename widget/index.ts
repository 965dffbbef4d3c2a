/**
 * Public entry of the `<wecom-sp-login>` element: importing it defines the element.
 * @module
 */
export {WecomSpLoginElement} from './wecom-sp-login.ts';
export {
  WecomLoginErrorEvent,
  WecomLoginStartEvent,
  WecomLoginSuccessEvent,
  type LoginMode,
  type WidgetErrorCode,
} from './events.ts';
export {ERROR_SENTENCES, STRINGS, type Lang, type Strings} from './strings.ts';
export {
  parseLoginMessage,
  parseLoginResult,
  type LoginErrorCode,
  type LoginMessage,
  type LoginResult,
  type LoginUser,
  type WecomUserType,
} from './protocol.ts';
