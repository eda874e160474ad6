/**
 * A condition as the editor holds it: "all of" / "any of" groups and negations around leaves. Pages
 * turn their own rules (a journey branch, a segment) into this shape and back; `kept` leaves are
 * parts the editor cannot change, carried through untouched.
 */
export type CondNode =
  | { kind: 'all' | 'any'; of: CondNode[] }
  | { kind: 'not'; of: CondNode }
  | { kind: 'leaf'; dim: string; values: string[] }
  | { kind: 'kept'; label: string; value: unknown };

/** One thing a leaf can ask about, with how its value is chosen. */
export interface Dimension {
  key: string;
  label: string;
  /** one value from `options`, several of them, or typed text */
  pick: 'one' | 'many' | 'text';
  options: { value: string; label: string }[];
  /** shown in an empty text field */
  hint?: string;
}

/** How many groups and negations hold the deepest leaf (0 for a leaf). */
export function height(n: CondNode): number {
  if (n.kind === 'all' || n.kind === 'any') return 1 + Math.max(0, ...n.of.map(height));
  if (n.kind === 'not') return 1 + height(n.of);
  return 0;
}

/** A fresh leaf on `dim`: a one-value dimension starts on its first option. */
export function leafOn(dim: Dimension | undefined): CondNode {
  if (!dim) return { kind: 'leaf', dim: '', values: [] };
  const first = dim.pick === 'one' ? dim.options[0]?.value : undefined;
  return { kind: 'leaf', dim: dim.key, values: first ? [first] : [] };
}

/** The options of a dimension with the leaf's own values first when the list lacks them (kept, not lost). */
export function optionsWith(dim: Dimension, values: readonly string[]): Dimension['options'] {
  const known = new Set(dim.options.map((o) => o.value));
  return [...values.filter((v) => v && !known.has(v)).map((v) => ({ value: v, label: v })), ...dim.options];
}

/** The list with `value` added, or taken out when it is there. */
export const toggled = (values: readonly string[], value: string): string[] =>
  values.includes(value) ? values.filter((v) => v !== value) : [...values, value];

/** Typed text as values: one value, or several separated by commas or spaces. */
export const typed = (text: string, pick: Dimension['pick']): string[] =>
  pick === 'many' ? text.split(/[,，、\s]+/).filter(Boolean) : text.trim() ? [text.trim()] : [];
