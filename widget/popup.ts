import {parseLoginMessage, type LoginMessage} from './protocol.ts';

/** Size of the popup: room for WeCom's QR page without scrolling. */
export const POPUP_SIZE = {width: 520, height: 640} as const;

/** How long a closed popup may still deliver its message (it posts, then closes itself). */
const CLOSED_GRACE_MS = 400;
/** How often the popup's `closed` and the deadline are checked. */
const POLL_MS = 200;

/**
 * Opens `url` in a popup centred over the current window. Must run synchronously inside the
 * click handler: any await before it spends the user activation and popup blockers step in.
 * Returns null when the browser blocked it.
 */
export function openPopup(url: string): Window | null {
  const {width, height} = POPUP_SIZE;
  const left = screenX + (outerWidth - width) / 2;
  const top = screenY + (outerHeight - height) / 2;
  // A named target would reuse (and navigate) a window another element opened; each attempt gets its own.
  return window.open(url, '_blank', `popup=yes,width=${width},height=${height},left=${left},top=${top}`);
}

/** What ended the wait for a result. */
export type WaitOutcome =
  {kind: 'message'; message: LoginMessage} | {kind: 'closed'} | {kind: 'timeout'} | {kind: 'aborted'};

/** What `waitForLoginMessage` accepts a message from. */
export interface WaitOptions {
  /** The popup or iframe window this attempt opened: the only accepted `event.source`. */
  source: () => Window | null;
  /** The login server's origin: the only accepted `event.origin`. */
  origin: string;
  /** This attempt's nonce. */
  nonce: string;
  /** A popup whose closing ends the wait; absent for the embedded panel. */
  popup?: Window;
  /** Milliseconds before the attempt times out. */
  timeoutMs: number;
  /** Ends the wait with `aborted` and removes every listener and timer. */
  signal: AbortSignal;
}

/**
 * Waits for the one result this attempt may receive, racing it against the popup being closed
 * and a timeout. Any other message is ignored silently: from another window (a hostile frame or
 * tab can post to us too), another origin, with another nonce (a stale or replayed attempt) or
 * with a malformed body.
 */
export function waitForLoginMessage(options: WaitOptions): Promise<WaitOutcome> {
  return new Promise((resolve) => {
    const listening = new AbortController();
    const deadline = Date.now() + options.timeoutMs;
    let closedAt = 0;
    const poll = setInterval(() => {
      if (Date.now() > deadline) return finish({kind: 'timeout'});
      // The result page posts and then closes; give its message time to arrive before calling it a close.
      if (options.popup?.closed && (closedAt ||= Date.now()) < Date.now() - CLOSED_GRACE_MS) finish({kind: 'closed'});
    }, POLL_MS);
    const finish = (outcome: WaitOutcome): void => {
      clearInterval(poll);
      listening.abort();
      resolve(outcome);
    };
    options.signal.addEventListener('abort', () => finish({kind: 'aborted'}), {signal: listening.signal});
    window.addEventListener(
      'message',
      (event) => {
        const source = options.source();
        if (source === null || event.source !== source || event.origin !== options.origin) return;
        const message = parseLoginMessage(event.data, options.nonce);
        if (message) finish({kind: 'message', message});
      },
      {signal: listening.signal},
    );
  });
}
