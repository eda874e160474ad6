/**
 * The items of a next page that the list does not show yet, in the server's order: the list can
 * move between two page reads, so an item may come again.
 */
export function unseen<Listed, Next>(
  listed: readonly Listed[],
  next: readonly Next[],
  keyOf: (x: Listed | Next) => string,
): Next[] {
  const seen = new Set(listed.map(keyOf));
  return next.filter((x) => !seen.has(keyOf(x)));
}
