/**
 * Reads WeCom's callback XML: a flat `<xml>` of elements holding text or one CDATA section. No XML
 * parser: a document with a DTD, an entity declaration or a processing instruction other than the
 * XML declaration is refused outright (no XXE, no entity expansion), and only the five predefined
 * entities are decoded.
 */
export function readXmlFields(xml: string, names: readonly string[]): Record<string, string> | null {
  if (xml.length > 64 * 1024 || /<!(?!\[CDATA\[)|<\?(?!xml\s)/.test(xml)) return null;
  const fields: Record<string, string> = {};
  for (const name of names) {
    const pattern = new RegExp(`<${name}>\\s*(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))\\s*</${name}>`, 'g');
    const matches = [...xml.matchAll(pattern)];
    // One of each: a second Encrypt or SuiteTicket would leave which one counts to chance.
    if (matches.length > 1) return null;
    if (matches.length === 0) continue;
    const [, cdata, text] = matches[0]!;
    const value = cdata ?? decodeEntities(text!);
    if (value === null) return null;
    // WeCom's own example writes `<InfoType> <![CDATA[suite_ticket]]></InfoType>`.
    fields[name] = value.trim();
  }
  return fields;
}

const ENTITIES: Record<string, string> = {lt: '<', gt: '>', amp: '&', quot: '"', apos: "'"};

function decodeEntities(text: string): string | null {
  let refused = false;
  const decoded = text.replace(/&([a-z]+);|&/g, (match, name: string | undefined) => {
    if (name !== undefined && name in ENTITIES) return ENTITIES[name]!;
    refused = true;
    return match;
  });
  return refused ? null : decoded;
}
