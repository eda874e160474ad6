import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * The flat XML the Official Account platform posts: `<xml>` holding elements with text or one CDATA
 * section. Anything else (attributes, a repeated element, text beside CDATA, entities other than
 * XML's five, a DOCTYPE, another root) makes the whole message null; nested elements such as
 * `ScanCodeInfo` are skipped.
 */
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  cdataPropName: '#cdata',
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
});

const UNKNOWN_ENTITY = /&(?!(?:lt|gt|amp|quot|apos);)/;

type Node = string | Record<string, unknown> | unknown[];

/** An element's text: plain or one CDATA section; undefined to skip (nested), null to refuse. */
function textOf(node: Node): string | null | undefined {
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return null;
  const keys = Object.keys(node);
  if (keys.some((k) => k.startsWith('@'))) return null;
  if ('#cdata' in node) return keys.length === 1 && typeof node['#cdata'] === 'string' ? node['#cdata'] : null;
  return '#text' in node ? null : undefined;
}

/** The document's root, or null when the parser refuses it (invalid, or nested deeper than it allows). */
function parsed(s: string): Node | null {
  try {
    if (XMLValidator.validate(s) !== true) return null;
    return (parser.parse(s) as { xml?: Node }).xml ?? '';
  } catch {
    return null; // malformed input is refused like any other: the caller answers 400
  }
}

/** Parses `<xml><A>text</A><B><![CDATA[text]]></B>…</xml>` into a flat record; null when malformed. */
export function parseFlatXml(input: string, maxLength = 16_384): Record<string, string> | null {
  if (input.length > maxLength) return null;
  const s = input.trim();
  if (!s.startsWith('<xml>') || !s.endsWith('</xml>')) return null;
  const outside = s.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  if (UNKNOWN_ENTITY.test(outside)) return null;
  const root = parsed(s);
  if (root === null) return null;
  if (typeof root === 'string') return root.trim() === '' ? {} : null;
  if (Array.isArray(root)) return null;
  const out: Record<string, string> = {};
  for (const [name, node] of Object.entries(root)) {
    if (name === '#text') {
      if (String(node).trim() !== '') return null;
      continue;
    }
    if (name.startsWith('@') || name === '#cdata') return null;
    const text = textOf(node as Node);
    if (text === null) return null;
    if (text !== undefined) out[name] = text;
  }
  return out;
}
