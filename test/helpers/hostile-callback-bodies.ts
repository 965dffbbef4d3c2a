/**
 * The three callback bodies that made the old XML pattern backtrack, each exactly `size`
 * characters: whitespace after `<Encrypt>`, `<Encrypt>` repeated, and a CDATA section never closed.
 * The request-cost tests and `npm run abuse` post the same ones.
 */
export function hostileCallbackBodies(size: number): Record<string, string> {
  const fill = (prefix: string, unit: string) =>
    prefix + unit.repeat(Math.ceil((size - prefix.length) / unit.length)).slice(0, size - prefix.length);
  return {
    whitespace: fill('<xml><Encrypt>', ' '),
    '<Encrypt> repeats': fill('<xml>', '<Encrypt>'),
    'unclosed CDATA': fill('<xml><Encrypt><![CDATA[', 'QUJD '),
  };
}
