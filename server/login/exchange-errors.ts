import {ExchangeError, LoginNotAllowed} from '../errors.ts';
import {isWecomValue} from '../wecom/wecom-value.ts';
import {
  BUSY_ERRCODES,
  CONFIG_ERRCODES,
  NOT_INSTALLED_ERRCODES,
  NoSuiteTicket,
  WecomApiError,
  WecomHeldBack,
  WecomTransportError,
} from '../wecom/wecom-errors.ts';

/** Refuses, before any WeCom call, a code WeCom cannot have issued. */
export function assertPlausibleCode(code: string): void {
  if (!isPlausibleAuthCode(code)) throw new ExchangeError('code_implausible');
}

/** True when `authCode` could be one WeCom issued: printable ASCII, at most 512 bytes. */
export function isPlausibleAuthCode(authCode: string): boolean {
  return isWecomValue(authCode);
}

/** The refusal of a launch whose connection spent its launch budget: held back, like a call over any other cap. */
export function launchBudgetSpent(corpId: string): Error {
  return toExchangeError(new WecomHeldBack(corpId, 'launch'));
}

/** Maps a WeCom or transport failure to the code and message a visitor may see. */
export function toExchangeError(error: unknown): ExchangeError | LoginNotAllowed | Error {
  if (error instanceof WecomApiError) {
    // The visitor's enterprise has not installed the app, or has left them out of it: only their
    // own WeCom admin can change that (the site owner cannot).
    if (NOT_INSTALLED_ERRCODES.has(error.errcode)) {
      return new LoginNotAllowed('app_not_granted', error);
    }
    if (CONFIG_ERRCODES.has(error.errcode)) return new ExchangeError('not_set_up', error);
    if (BUSY_ERRCODES.has(error.errcode)) return new ExchangeError('wecom_busy', error);
    return new ExchangeError('wecom_refused', error);
  }
  if (error instanceof WecomTransportError) return new ExchangeError('wecom_unreachable', error);
  if (error instanceof WecomHeldBack) return new ExchangeError('wecom_busy', error);
  if (error instanceof NoSuiteTicket) return new ExchangeError('not_set_up', error);
  return error instanceof Error ? error : new Error(String(error));
}
