/** 'ABCD1234EF' → 'ABCD 1234 EF': easier to read aloud or type. */
export const groupCode = (code: string, size = 4): string =>
  (code.match(new RegExp(`.{1,${size}}`, 'g')) ?? []).join(' ');
