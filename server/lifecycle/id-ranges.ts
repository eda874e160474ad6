/** Characters of `_id`s compared as digits: each class counts whole once one of its characters is seen. */
const CLASSES = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
/** Positions after the common prefix the split interpolates over: enough for thousands of ranges. */
const DEPTH = 4;

/** The characters the ids are taken to be written in, in code order. */
function alphabetOf(texts: string[]): string[] {
  const seen = new Set(texts.join(''));
  const all = new Set(seen);
  for (const c of CLASSES) if ([...c].some((ch) => seen.has(ch))) for (const ch of c) all.add(ch);
  return [...all].sort();
}

/**
 * Up to `n - 1` strictly increasing boundaries between `first` and `last` (first < b ≤ last),
 * cutting the ids between them into `n` ranges of about the same size when ids are spread evenly over
 * their characters (generated hex ids, numbered ids): the characters after the shared prefix are read
 * as digits of a number, and the boundaries are that number's even steps. Uneven ids give uneven
 * ranges, never a wrong one.
 */
export function splitIds(first: string, last: string, n: number): string[] {
  if (n < 2 || first >= last) return [];
  let p = 0;
  while (p < first.length && first[p] === last[p]) p++;
  const prefix = first.slice(0, p);
  const alphabet = alphabetOf([first.slice(p), last.slice(p)]);
  const base = alphabet.length;
  const digit = (ch: string | undefined) => {
    if (ch === undefined) return 0;
    let i = 0;
    while (i + 1 < base && alphabet[i + 1]! <= ch) i++;
    return i;
  };
  const value = (s: string) => {
    let v = 0;
    for (let i = 0; i < DEPTH; i++) v = v * base + digit(s[p + i]);
    return v;
  };
  const lo = value(first);
  const hi = value(last);
  const out: string[] = [];
  for (let k = 1; k < n; k++) {
    let v = Math.floor(lo + ((hi - lo) * k) / n);
    let text = '';
    for (let i = 0; i < DEPTH; i++, v = Math.floor(v / base)) text = alphabet[v % base]! + text;
    const b = prefix + text;
    if (b > first && b <= last && (out.length === 0 || b > out[out.length - 1]!)) out.push(b);
  }
  return out;
}
