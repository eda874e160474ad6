import { loadablePage } from '../../../behaviors/loadable-page';
import { call } from '../../../services/cloud';
import { followLanguage, showInLanguage, ownText } from '../../../utils/page-base';
import { ask, can, currentStaff, fill, newRequestId, textOf } from '../../utils';
import { answered, refusalText } from '../index/refusal';
import { deltaOf, shown, signed, type Portrait, type Shown } from './portrait';
import { texts } from './text';
import { TIMELINE_PAGE, timelineShown, type Entry, type TimelineShown } from './timeline';

interface Match {
  memberId: string;
  name: string;
  card: string;
  phone: string;
}
type Input = { detail: { value: string } };
type Tap = { currentTarget: { dataset: { id?: string; tag?: string } } };

const { title, pageText } = ownText(texts);

/**
 * Member lookup (S21): find a member by phone, card number or name, and see the portrait (stage,
 * tags, tier, points, lifetime spend, recent orders and bookings). Staff add or remove tags and
 * adjust points with a reason, each after a confirmation. Opened with `?memberId=` (a scanned
 * member code, a coupon's holder, any link) it shows that member at once, card or no card.
 */
Component({
  ...loadablePage(texts, (t) => t.notStaff, {
    query: '',
    searching: false,
    searchNote: '',
    found: [] as Portrait[],
    matches: [] as Match[],
    member: null as Shown | null,
    canTag: false,
    canAdjust: false,
    tagInput: '',
    tagError: '',
    delta: '',
    reason: '',
    adjustKey: '',
    adjustError: '',
    adjustNote: '',
    busy: false,
    /** The member the page was opened for (`?memberId=`). */
    target: '',
    timeline: null as TimelineShown | null,
    /** The timeline entries shown so far, a page at a time. */
    events: [] as Entry[],
    timelineBusy: false,
    timelineError: '',
  }),
  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      showInLanguage(this, title, (base) => {
        const t = textOf(texts, base.lang);
        return { t, emptyText: t.notStaff, target: query.memberId ?? '' };
      });
      void this.load();
    },
    onShow() {
      followLanguage(this, title, pageText);
    },
    /** Who may do what here, then the member named by the page's link (if any), or the member shown (on refresh). */
    async fetch(refresh: boolean) {
      const t = this.data.t;
      const staff = await currentStaff(refresh);
      if (!staff) {
        this.setData({ emptyText: t.notStaff });
        return false;
      }
      this.setData({ canTag: can(staff, 'member.tag'), canAdjust: can(staff, 'points.adjust') });
      const memberId = (refresh && this.data.member?.memberId) || this.data.target;
      if (!memberId) return true;
      // a merged-away id answers with the member it was merged into
      const p = (await call('admin', 'members.lookup', { query: memberId, by: 'memberId' })).members[0];
      if (!p) {
        this.setData({ emptyText: t.notFound, member: null });
        return false;
      }
      const listed = this.data.found.some((m) => m.memberId === p.memberId);
      const found = listed ? this.data.found.map((m) => (m.memberId === p.memberId ? p : m)) : [p];
      this.setData({ found, matches: listed ? this.data.matches : [], member: shown(p, t) });
      await this.readTimeline(p.memberId);
      return true;
    },
    onQuery(e: Input) {
      this.setData({ query: e.detail.value, searchNote: '' });
    },
    async search() {
      const query = this.data.query.trim();
      const t = this.data.t;
      if (this.data.searching) return;
      if (!query) {
        this.setData({ searchNote: t.queryRequired });
        return;
      }
      this.setData({ searching: true, searchNote: '' });
      try {
        const r = await call('admin', 'members.lookup', { query });
        const matches = r.members.map((p) => {
          const s = shown(p, t);
          return { memberId: s.memberId, name: s.name, card: s.card, phone: s.phone };
        });
        const only = r.members.length === 1 ? r.members[0]! : null;
        this.setData({
          found: r.members,
          matches: only ? [] : matches,
          member: only ? shown(only, t) : null,
          searchNote:
            r.members.length === 0 ? fill(t.noMatch, { query }) : only ? '' : fill(t.matches, { n: r.members.length }),
        });
        if (only) void this.readTimeline(only.memberId);
      } catch (err) {
        this.setData({ searchNote: refusalText(err, t.refusals) });
      } finally {
        this.setData({ searching: false });
      }
    },
    pick(e: Tap) {
      const p = this.data.found.find((m) => m.memberId === e.currentTarget.dataset.id);
      if (!p) return;
      this.setData({ member: shown(p, this.data.t), tagError: '', adjustError: '', adjustNote: '' });
      void this.readTimeline(p.memberId);
    },
    /**
     * The member's timeline (stage, RFM, LTV, tags with their source, one list of what happened),
     * shown a page at a time; a failure is said in its card and leaves the rest of the page as it is.
     */
    async readTimeline(memberId: string) {
      this.setData({ timeline: null, events: [], hasMore: false, timelineBusy: true, timelineError: '' });
      try {
        const tl = await call('admin', 'members.timeline', { memberId });
        // another member was picked while this one was read
        if (this.data.member?.memberId !== tl.memberId && this.data.member?.memberId !== memberId) return;
        const timeline = timelineShown(tl, this.data.t);
        const events = timeline.entries.slice(0, TIMELINE_PAGE);
        this.setData({ timeline, events, hasMore: timeline.entries.length > events.length });
      } catch (err) {
        this.setData({ timelineError: refusalText(err, this.data.t.refusals) });
      } finally {
        this.setData({ timelineBusy: false });
      }
    },
    /** The next page of the timeline (the loadable behaviour calls it at the bottom). */
    async fetchMore() {
      const all = this.data.timeline?.entries ?? [];
      const events = all.slice(0, this.data.events.length + TIMELINE_PAGE);
      this.setData({ events, hasMore: events.length < all.length });
    },
    onTagInput(e: Input) {
      this.setData({ tagInput: e.detail.value, tagError: '' });
    },
    async addTag() {
      const m = this.data.member;
      const t = this.data.t;
      const tag = this.data.tagInput.trim();
      if (!m || this.data.busy) return;
      if (!tag || tag.length > 64) return this.setData({ tagError: t.tagRequired });
      if (m.tags.includes(tag)) return this.setData({ tagError: t.tagHeld });
      if (!(await ask(fill(t.confirmAddTag, { name: m.name, tag })))) return;
      await this.saveTags(m.memberId, { add: [tag] });
    },
    async removeTag(e: Tap) {
      const m = this.data.member;
      const tag = e.currentTarget.dataset.tag;
      if (!m || !tag || this.data.busy) return;
      if (!(await ask(fill(this.data.t.confirmRemoveTag, { name: m.name, tag })))) return;
      await this.saveTags(m.memberId, { remove: [tag] });
    },
    async saveTags(memberId: string, change: { add?: string[]; remove?: string[] }) {
      this.setData({ busy: true, tagError: '' });
      try {
        const r = await call('admin', 'members.tag', { memberId, ...change });
        this.setData({ 'member.tags': r.tags, tagInput: change.add ? '' : this.data.tagInput });
        wx.showToast({ title: this.data.t.tagSaved, icon: 'success' });
      } catch (err) {
        this.setData({ tagError: refusalText(err, this.data.t.refusals) });
      } finally {
        this.setData({ busy: false });
      }
    },
    onDelta(e: Input) {
      this.setData({ delta: e.detail.value, adjustError: '', adjustKey: '' });
    },
    onReason(e: Input) {
      this.setData({ reason: e.detail.value, adjustError: '', adjustKey: '' });
    },
    async adjust() {
      const m = this.data.member;
      const t = this.data.t;
      if (!m || this.data.busy) return;
      const delta = deltaOf(this.data.delta);
      const reason = this.data.reason.trim();
      if (delta === null) return this.setData({ adjustError: t.deltaInvalid });
      if (reason.length < 2 || reason.length > 200) return this.setData({ adjustError: t.reasonRequired });
      if (!(await ask(fill(t.confirmAdjust, { name: m.name, delta: signed(delta), reason })))) return;
      // the same intent keeps its key, so a retry after a lost answer is not counted twice
      const requestId = this.data.adjustKey || newRequestId('adj');
      this.setData({ busy: true, adjustError: '', adjustNote: '', adjustKey: requestId });
      try {
        const r = await call('points', 'adjust', { memberId: m.memberId, delta, reason, requestId });
        this.setData({
          'member.points': r.balance,
          delta: '',
          reason: '',
          adjustKey: '',
          adjustNote: fill(t.adjustDone, { delta: signed(delta), balance: r.balance }),
        });
        wx.showToast({ title: t.adjusted, icon: 'success' });
      } catch (err) {
        if (answered(err)) this.setData({ adjustKey: '' });
        this.setData({ adjustError: refusalText(err, t.refusals) });
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
