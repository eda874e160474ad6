import { type ChildNode, DomHandler, type Element, isCDATA, isComment, isDirective, isTag, isText } from 'domhandler';
import { Parser } from 'htmlparser2';

/**
 * WXML as a tree and back, byte for byte where nothing changed: tag and attribute names keep their case, entities
 * stay as written, and an attribute written without a value (`<switch checked>`) is written back without one,
 * because `checked=""` would mean false to WeChat.
 */

const bareAttributes = new WeakMap<Element, Set<string>>();
const selfClosed = new WeakSet<Element>();

class WxmlHandler extends DomHandler {
  private bare = new Set<string>();

  onattribute(name: string, value: string, quote?: string | null): void {
    if (value === '' && quote == null) this.bare.add(name);
  }

  override onopentag(name: string, attribs: Record<string, string>): void {
    super.onopentag(name, attribs);
    const opened = this.tagStack[this.tagStack.length - 1];
    if (opened && isTag(opened) && this.bare.size > 0) bareAttributes.set(opened, this.bare);
    this.bare = new Set();
  }

  /** `implied` is true for `<x/>` (and for a tag the text never closes). */
  override onclosetag(_name?: string, implied?: boolean): void {
    const closing = this.tagStack[this.tagStack.length - 1];
    if (implied && closing && isTag(closing)) selfClosed.add(closing);
    super.onclosetag();
  }
}

export function parseWxml(text: string): ChildNode[] {
  const handler = new WxmlHandler();
  const parser = new Parser(handler, { xmlMode: true, decodeEntities: false, recognizeSelfClosing: true });
  parser.write(text);
  parser.end();
  return handler.root.children;
}

/** One attribute as WXML writes it, with a quote its value does not contain. */
export function attributeText(name: string, value: string): string {
  const quote = value.includes('"') ? "'" : '"';
  return ` ${name}=${quote}${value}${quote}`;
}

export function elementText(el: Element, attribs: Record<string, string>, inner: string): string {
  const bare = bareAttributes.get(el);
  const attrs = Object.entries(attribs)
    .map(([k, v]) => (v === '' && bare?.has(k) ? ` ${k}` : attributeText(k, v)))
    .join('');
  return inner === '' && selfClosed.has(el) ? `<${el.name}${attrs}/>` : `<${el.name}${attrs}>${inner}</${el.name}>`;
}

/** Writes a node that needs no rewriting: text as it was, elements through `renderElement`. */
export function nodeText(node: ChildNode, renderElement: (el: Element) => string): string {
  if (isTag(node)) return renderElement(node);
  if (isText(node)) return node.data;
  if (isComment(node)) return `<!--${node.data}-->`;
  if (isCDATA(node)) return `<![CDATA[${node.children.map((c) => nodeText(c, renderElement)).join('')}]]>`;
  if (isDirective(node)) return `<${node.data}>`;
  return '';
}
