/**
 * One coupon or offer as a ticket: the benefit on the brand-coloured stub, then the name, muted
 * lines (minimum spend, validity, stock), an optional highlight (a points price), a note that
 * explains why it cannot be taken, and the page's own action in the `action` slot. Pages word
 * everything in the reader's language; taps reach the page's `bind:tap` on the card.
 */
Component({
  options: { styleIsolation: 'apply-shared', multipleSlots: true },
  properties: {
    benefit: { type: String, value: '' },
    name: { type: String, value: '' },
    lines: { type: Array, value: [] as string[] },
    highlight: { type: String, value: '' },
    note: { type: String, value: '' },
    tag: { type: String, value: '' },
    /** TDesign tag theme: default, primary, success, warning or danger. */
    tagTheme: { type: String, value: 'default' },
    /** Used, expired or paused: shown dimmed. */
    off: { type: Boolean, value: false },
  },
  data: { shownLines: [] as string[] },
  observers: {
    // pages may pass lines built in WXML, some of them blank when a fact does not apply
    lines(lines: unknown[]) {
      this.setData({ shownLines: lines.filter((l): l is string => typeof l === 'string' && l.trim() !== '') });
    },
  },
});
