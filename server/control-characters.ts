/**
 * A C0 control character or DEL. Refused in every value a person types or a URL carries: the URL
 * parser silently drops CR, LF and tabs, and a display name with them breaks the log and the page.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
