/**
 * The shape of every opaque value WeCom hands out or the console shows: codes ("最长为512字节"),
 * suite_tickets and secrets are printable ASCII without spaces, at most 512 bytes. A value of any
 * other shape is not WeCom's, and is refused before it is stored or sent anywhere.
 */
export const WECOM_VALUE = /^[\x21-\x7e]{1,512}$/;

/** True when `value` could be one WeCom issued (a code, a ticket, a secret). */
export function isWecomValue(value: string): boolean {
  return WECOM_VALUE.test(value);
}
