/**
 * What no action input may hold, whatever its contract says: keys that name an object's prototype
 * machinery (a merge or spread of the input could reach `Object.prototype` through them) and
 * nesting deeper than any contract needs. The walk is iterative, so a hostile depth cannot exhaust
 * the stack before the contract is even consulted.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
export const MAX_INPUT_DEPTH = 32;
export const MAX_INPUT_NODES = 20_000;

export type InputProblem = { kind: 'forbiddenKey'; path: string } | { kind: 'tooDeep' } | { kind: 'tooLarge' };

/** The first problem found in `input` (own keys only), or null. */
export function inputProblem(input: unknown): InputProblem | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: input, path: '', depth: 0 }];
  let nodes = 0;
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (!value || typeof value !== 'object') continue;
    if (++nodes > MAX_INPUT_NODES) return { kind: 'tooLarge' };
    if (depth >= MAX_INPUT_DEPTH) return { kind: 'tooDeep' };
    for (const key of Object.keys(value)) {
      const at = path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) return { kind: 'forbiddenKey', path: at };
      stack.push({ value: (value as Record<string, unknown>)[key], path: at, depth: depth + 1 });
    }
  }
  return null;
}
