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
  if (!isPlausibleAuthCode(code))
    throw new ExchangeError('exchange_failed', 'The login code is not valid. Please scan again.');
}

/** True when `authCode` could be one WeCom issued: printable ASCII, at most 512 bytes. */
export function isPlausibleAuthCode(authCode: string): boolean {
  return isWecomValue(authCode);
}

/** The refusal of a launch whose connection spent its launch budget: held back, like a call over any other cap. */
export function launchBudgetSpent(corpId: string): Error {
  return toExchangeError(new WecomHeldBack(corpId, 'launch'));
}

/** What a visitor reads when the site's WeCom setup is wrong: only the site owner can fix it. */
export const NOT_SET_UP = 'WeCom login is not set up correctly for this site. Please tell the site owner.';

/** Maps a WeCom or transport failure to the code and message a visitor may see. */
export function toExchangeError(error: unknown): ExchangeError | LoginNotAllowed | Error {
  if (error instanceof WecomApiError) {
    // The visitor's enterprise has not installed the app, or has left them out of it: only their
    // own WeCom admin can change that (the site owner cannot).
    if (NOT_INSTALLED_ERRCODES.has(error.errcode)) {
      return new LoginNotAllowed(
        'Your enterprise has not given you this app in WeCom (not installed, outside its visible range, or no WeCom licence). Please ask your WeCom admin.',
        {cause: error},
      );
    }
    if (CONFIG_ERRCODES.has(error.errcode)) return new ExchangeError('wecom_config_error', NOT_SET_UP, error);
    if (BUSY_ERRCODES.has(error.errcode))
      return new ExchangeError('wecom_unavailable', 'WeCom is busy right now. Please try again in a minute.', error);
    return new ExchangeError('exchange_failed', 'WeCom did not accept this login. Please scan again.', error);
  }
  if (error instanceof WecomTransportError)
    return new ExchangeError('wecom_unavailable', 'WeCom could not be reached. Please try again in a minute.', error);
  if (error instanceof WecomHeldBack)
    return new ExchangeError('wecom_unavailable', 'WeCom is busy right now. Please try again in a minute.', error);
  if (error instanceof NoSuiteTicket) return new ExchangeError('wecom_config_error', NOT_SET_UP, error);
  return error instanceof Error ? error : new Error(String(error));
}
