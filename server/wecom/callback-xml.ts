/**
 * Reads WeCom's callback XML: a flat `<xml>` of elements holding text or one CDATA section. No XML
 * parser and no pattern that can backtrack: every step is an index scan, so reading takes time
 * linear in the input whatever it holds (a pattern with `\s*` around a lazy group once took
 * seconds on a few KB of spaces, with the whole server waiting). A document with a DTD, an entity
 * declaration or a processing instruction other than the XML declaration is refused outright (no
 * XXE, no entity expansion), and only the five predefined entities are decoded.
 */

/** The longest callback body or message read: WeCom's envelopes are under 2 KB. */
export const MAX_CALLBACK_XML_LENGTH = 16 * 1024;

/** The fields `names` of `xml`, each trimmed; a field that is absent is left out. Null when the XML is refused. */
export function readXmlFields(xml: string, names: readonly string[]): Record<string, string> | null {
  if (xml.length > MAX_CALLBACK_XML_LENGTH || hasDeclarations(xml)) return null;
  const fields: Record<string, string> = {};
  for (const name of names) {
    const value = readXmlField(xml, name);
    if (value === null) return null;
    if (value !== undefined) fields[name] = value;
  }
  return fields;
}

/**
 * The trimmed text of the one `<name>` element of `xml`: undefined when there is none, null when
 * there are two (which one counts would be left to chance), it is not closed right after its text
 * or CDATA section, or its text holds an entity other than the five predefined ones. Cheap enough to
 * run before the signature check: a few index scans, no copy beyond the value.
 */
export function readXmlField(xml: string, name: string): string | null | undefined {
  const open = `<${name}>`;
  const start = xml.indexOf(open);
  if (start === -1) return undefined;
  if (xml.indexOf(open, start + open.length) !== -1) return null;
  let at = skipWhitespace(xml, start + open.length);
  let value: string | null;
  if (xml.startsWith('<![CDATA[', at)) {
    const end = xml.indexOf(']]>', at + 9);
    if (end === -1) return null;
    value = xml.slice(at + 9, end);
    at = skipWhitespace(xml, end + 3);
  } else {
    const end = xml.indexOf('<', at);
    if (end === -1) return null;
    value = decodeEntities(xml.slice(at, end));
    at = end;
  }
  if (value === null || !xml.startsWith(`</${name}>`, at)) return null;
  // WeCom's own example writes `<InfoType> <![CDATA[suite_ticket]]></InfoType>`.
  return value.trim();
}

/** True when `xml` has `<!` other than a CDATA section, or `<?` other than the XML declaration. */
function hasDeclarations(xml: string): boolean {
  for (let at = xml.indexOf('<!'); at !== -1; at = xml.indexOf('<!', at + 2)) {
    if (!xml.startsWith('<![CDATA[', at)) return true;
  }
  for (let at = xml.indexOf('<?'); at !== -1; at = xml.indexOf('<?', at + 2)) {
    if (!xml.startsWith('<?xml', at) || !isWhitespace(xml.charCodeAt(at + 5))) return true;
  }
  return false;
}

const ENTITIES: ReadonlyMap<string, string> = new Map([
  ['&lt;', '<'],
  ['&gt;', '>'],
  ['&amp;', '&'],
  ['&quot;', '"'],
  ['&apos;', "'"],
]);

/** Decodes the predefined entities; null for any other `&` (a DTD's entity or a stray ampersand). */
function decodeEntities(text: string): string | null {
  let decoded = '';
  let from = 0;
  for (let at = text.indexOf('&'); at !== -1; at = text.indexOf('&', from)) {
    const end = text.indexOf(';', at);
    const entity = end === -1 || end - at > 5 ? undefined : ENTITIES.get(text.slice(at, end + 1));
    if (entity === undefined) return null;
    decoded += text.slice(from, at) + entity;
    from = end + 1;
  }
  return decoded + text.slice(from);
}

function skipWhitespace(text: string, at: number): number {
  while (at < text.length && isWhitespace(text.charCodeAt(at))) at++;
  return at;
}

/** XML's whitespace: space, tab, carriage return and line feed. */
function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a;
}
