/**
 * The page's element tree as WeChat sees it, over j-component's exparser nodes: WXML tag names
 * (`view`, `picker`, `t-button`), ids and unprefixed classes, one component scope at a time
 * (a custom component's own template is reached through the component, as on the platform).
 * Selectors (tag, #id, .class, [attr], [attr=value], descendant and child combinators, comma
 * groups), XPath over the same tree, and its WXML text.
 */

/**
 * The WXML tag of a node; virtual nodes (wx:if, block, slot) have none of their own, but a custom
 * component with a virtual host (TDesign's) is still the element its tag names.
 */
export function tagOf(node: any): string | undefined {
  if (node.__virtual && !isCustom(node)) return undefined;
  const tag = node._vt?.tagName as string | undefined;
  return tag && !tag.startsWith('wx:') ? tag : undefined;
}

export const isCustom = (node: any) => typeof node.is === 'string' && node.is.startsWith('pv:');

/** Class names as written in the WXML: the engine's per-component prefix (`c3--card`) taken off. */
export function classesOf(node: any): string[] {
  const raw = (node.$$?.getAttribute?.('class') as string | null) ?? '';
  return raw
    .split(/\s+/)
    .filter(Boolean)
    .map((c) => c.replace(/^c\d+--/, ''));
}

export const idOf = (node: any): string => (typeof node.id === 'string' ? node.id : '');

function attributeOf(node: any, name: string): string | null {
  if (name === 'id') return idOf(node) || null;
  if (name === 'class') return classesOf(node).join(' ') || null;
  if (name.startsWith('data-')) {
    const key = name.slice(5).replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    const v = node.dataset?.[key];
    return v === undefined ? null : String(v);
  }
  return (node.$$?.getAttribute?.(name) as string | null) ?? null;
}

/** Element children in WXML terms: virtual nodes are looked through, text nodes skipped. */
export function childElements(node: any): any[] {
  const kids: any[] = node.childNodes ?? [];
  return kids.flatMap((c) => (c.childNodes === undefined ? [] : tagOf(c) ? [c] : childElements(c)));
}

/** The element parent inside the same scope (virtual nodes skipped); undefined at the scope's root. */
function parentElement(node: any, scope: any): any {
  for (let p = node.parentNode; p && p !== scope; p = p.parentNode) if (tagOf(p)) return p;
  return undefined;
}

interface Compound {
  tag?: string;
  id?: string;
  classes: string[];
  attrs: { name: string; value?: string }[];
}
type Step = { combinator: ' ' | '>'; compound: Compound };

const IDENT = /^-?[_a-zA-Z][\w-]*/;

function parseCompound(text: string, whole: string): Compound {
  const c: Compound = { classes: [], attrs: [] };
  let rest = text;
  const tag = rest.match(/^(\*|-?[_a-zA-Z][\w-]*)/);
  if (tag) {
    if (tag[1] !== '*') c.tag = tag[1];
    rest = rest.slice(tag[0].length);
  }
  while (rest) {
    const kind = rest[0];
    if (kind === '#' || kind === '.') {
      const name = rest.slice(1).match(IDENT)?.[0];
      if (!name) throw new Error(`invalid selector: ${whole}`);
      if (kind === '#') c.id = name;
      else c.classes.push(name);
      rest = rest.slice(1 + name.length);
    } else if (kind === '[') {
      const m = rest.match(/^\[\s*([\w-]+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([\w-]+))\s*)?\]/);
      if (!m) throw new Error(`invalid selector: ${whole}`);
      c.attrs.push({ name: m[1]!, value: m[2] ?? m[3] ?? m[4] });
      rest = rest.slice(m[0].length);
    } else throw new Error(`invalid selector: ${whole}`);
  }
  return c;
}

/** `.card > text, #welcome` → groups of steps, the last step being the element to return. */
function parseSelector(selector: string): Step[][] {
  return selector.split(',').map((group) => {
    const tokens = group
      .trim()
      .replace(/\s*>\s*/g, ' > ')
      .split(/\s+/)
      .filter(Boolean);
    if (tokens.length === 0) throw new Error(`invalid selector: ${selector}`);
    const steps: Step[] = [];
    let combinator: ' ' | '>' = ' ';
    for (const token of tokens) {
      if (token === '>') {
        if (steps.length === 0) throw new Error(`invalid selector: ${selector}`);
        combinator = '>';
        continue;
      }
      steps.push({ combinator, compound: parseCompound(token, selector) });
      combinator = ' ';
    }
    return steps;
  });
}

function matchesCompound(node: any, c: Compound): boolean {
  if (c.tag && tagOf(node) !== c.tag) return false;
  if (c.id && idOf(node) !== c.id) return false;
  if (c.classes.length) {
    const own = classesOf(node);
    if (!c.classes.every((k) => own.includes(k))) return false;
  }
  return c.attrs.every((a) => {
    const v = attributeOf(node, a.name);
    return a.value === undefined ? v !== null : v === a.value;
  });
}

function matchesSteps(node: any, steps: Step[], i: number, scope: any): boolean {
  if (!matchesCompound(node, steps[i]!.compound)) return false;
  if (i === 0) return true;
  const combinator = steps[i]!.combinator;
  for (let p = parentElement(node, scope); p; p = parentElement(p, scope)) {
    if (matchesSteps(p, steps, i - 1, scope)) return true;
    if (combinator === '>') return false;
  }
  return false;
}

/** Elements under `scope` in document order, without entering custom components' own templates. */
export function descendants(scope: any): any[] {
  const out: any[] = [];
  const visit = (n: any) => {
    for (const child of childElements(n)) {
      out.push(child);
      visit(child);
    }
  };
  visit(scope);
  return out;
}

export function select(scope: any, selector: string): any[] {
  const groups = parseSelector(selector);
  return descendants(scope).filter((n) => groups.some((steps) => matchesSteps(n, steps, steps.length - 1, scope)));
}

/** XPath over an XML copy of the scope's element tree, answered with the original nodes. */
export function selectXpath(scope: any, root: string, xpath: string): any[] {
  const doc = document.implementation.createDocument(null, root, null);
  const back = new Map<Node, any>();
  const copy = (node: any, into: Element) => {
    for (const child of childElements(node)) {
      const el = doc.createElement(tagOf(child)!);
      if (idOf(child)) el.setAttribute('id', idOf(child));
      const cls = classesOf(child).join(' ');
      if (cls) el.setAttribute('class', cls);
      const text = ownText(child);
      if (text) el.appendChild(doc.createTextNode(text));
      back.set(el, child);
      into.appendChild(el);
      copy(child, el);
    }
  };
  copy(scope, doc.documentElement);
  let found: XPathResult;
  try {
    found = doc.evaluate(xpath, doc, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
  } catch {
    throw new Error(`invalid xpath: ${xpath}`);
  }
  const out: any[] = [];
  for (let i = 0; i < found.snapshotLength; i++) {
    const node = back.get(found.snapshotItem(i)!);
    if (node) out.push(node);
  }
  return out;
}

/** Text directly inside an element (its text children, through virtual nodes). */
function ownText(node: any): string {
  return (node.childNodes ?? [])
    .map((c: any) => (c.childNodes === undefined ? (c.textContent ?? '') : tagOf(c) ? '' : ownText(c)))
    .join('');
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string) => escapeText(s).replace(/"/g, '&quot;');

/** Attributes as written back into WXML: id, class without prefixes, then the DOM's own (style, aria…). */
function attributesOf(node: any): string {
  const parts: string[] = [];
  if (idOf(node)) parts.push(`id="${escapeAttr(idOf(node))}"`);
  const cls = classesOf(node).join(' ');
  if (cls) parts.push(`class="${escapeAttr(cls)}"`);
  for (const a of Array.from((node.$$?.attributes ?? []) as ArrayLike<Attr>)) {
    if (a.name === 'id' || a.name === 'class' || a.name.startsWith('exparser:')) continue;
    parts.push(`${a.name}="${escapeAttr(a.value)}"`);
  }
  return parts.length ? ` ${parts.join(' ')}` : '';
}

/**
 * WXML of a node's children. `hosts` are the custom components whose templates we are inside, the
 * innermost last: a `<slot/>` there shows what that component's user put into it.
 */
function render(node: any, hosts: any[], slotName?: string): string {
  const own = (c: any) => slotName === undefined || (c.__slot || '') === slotName;
  return ((node.childNodes ?? []) as any[])
    .filter(own)
    .map((c: any) => {
      if (c.childNodes === undefined) return escapeText(c.textContent ?? '');
      if (tagOf(c)) return wxmlOf(c, hosts);
      const host = hosts[hosts.length - 1];
      if (host && c.is === 'slot') return render(host, hosts.slice(0, -1), c.__slotName || '');
      return render(c, hosts);
    })
    .join('');
}

const contentOf = (node: any, hosts: any[]) =>
  isCustom(node) && node.shadowRoot ? render(node.shadowRoot, [...hosts, node]) : render(node, hosts);

function wxmlOf(node: any, hosts: any[]): string {
  const tag = tagOf(node) ?? 'block';
  return `<${tag}${attributesOf(node)}>${contentOf(node, hosts)}</${tag}>`;
}

/** The WXML inside an element (for a custom component, its own template with the slotted content). */
export const innerWxml = (node: any): string => contentOf(node, []);

export const outerWxml = (node: any): string => wxmlOf(node, []);
