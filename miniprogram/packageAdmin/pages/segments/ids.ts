/** Ids the server accepts (`a-z 0-9 -`): a prefix, the time and a little randomness. */
export const newId = (prefix: 'seg' | 'cmp'): string =>
  `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
