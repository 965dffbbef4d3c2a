import type {LoginErrorCode, LoginResult} from './protocol.ts';

/** Every code a `wecom-login-error` can carry: the server's codes plus the ones only a browser can see. */
export type WidgetErrorCode = LoginErrorCode | 'popup_blocked' | 'popup_closed' | 'timeout' | 'network_error';

/** How a login attempt runs. */
export type LoginMode = 'popup' | 'embedded' | 'redirect';

/** The shape all three events share: a bubbling, composed event with a typed `detail`. */
class WecomLoginEvent<Detail> extends Event {
  /** What happened; typed per event. */
  readonly detail: Detail;
  constructor(type: string, detail: Detail) {
    super(type, {bubbles: true, composed: true});
    this.detail = detail;
  }
}

/** Fired when a login attempt starts (a click, `start()`, or an embedded panel being shown). */
export class WecomLoginStartEvent extends WecomLoginEvent<{mode: LoginMode}> {
  constructor(detail: {mode: LoginMode}) {
    super('wecom-login-start', detail);
  }
}

/** Fired when a login finished; send `detail.idToken` to your backend and verify it there. */
export class WecomLoginSuccessEvent extends WecomLoginEvent<LoginResult> {
  constructor(detail: LoginResult) {
    super('wecom-login-success', detail);
  }
}

/** Fired when a login failed or was abandoned: a stable `code` to branch on and a readable `message`. */
export class WecomLoginErrorEvent extends WecomLoginEvent<{code: WidgetErrorCode; message: string}> {
  constructor(detail: {code: WidgetErrorCode; message: string}) {
    super('wecom-login-error', detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'wecom-login-start': WecomLoginStartEvent;
    'wecom-login-success': WecomLoginSuccessEvent;
    'wecom-login-error': WecomLoginErrorEvent;
  }
}
