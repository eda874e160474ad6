/**
 * The navigation-bar title in the reader's language. A page's `index.json` title is only the
 * Chinese first paint; pages call this on load and when the language changed. A failure (the
 * page is already gone) leaves the old title, which is harmless.
 */
export function showTitle(title: string): void {
  wx.setNavigationBarTitle({ title, fail: () => undefined });
}
