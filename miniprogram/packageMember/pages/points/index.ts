import { loadable } from '../../../behaviors/loadable';
import { call, type CallOutput } from '../../../services/cloud';
import { session } from '../../../services/session';
import { ROUTES } from '../../../config/routes';
import { localTime } from '../../../pages/coupons/coupon-text';
import { baseData, type BaseData, loadedInLanguage } from '../../../utils/page-base';
import { inLanguage } from '../../../utils/view-state';
import { fill, localDay } from '../../utils';
import { unseen } from '../../../utils/paging';

type Summary = CallOutput<'points', 'summary'>;
type LedgerItem = CallOutput<'points', 'history'>['items'][number];
interface HistoryRow {
  id: string;
  label: string;
  amount: string;
  plus: boolean;
  when: string;
  detail: string;
}
interface Header {
  balance: number;
  spendable: string;
  expiring: string;
  tier: string;
  nextTier: string;
  percent: number;
  progress: string;
}

const title = (base: BaseData): string => base.text.points.title;

/** Points: balance, what expires soon, tier progress, and the ledger newest first, 20 a page. */
Component({
  behaviors: [loadable],
  data: {
    ...baseData(),
    header: null as Header | null,
    history: [] as HistoryRow[],
    page: 0,
  },
  methods: {
    ...loadedInLanguage(title),
    header(s: Summary): Header {
      const { text, lang } = this.data;
      const p = s.progress;
      return {
        balance: s.balance,
        spendable: fill(text.points.spendable, { n: s.spendable }),
        expiring:
          s.expiringSoon.total > 0 && s.expiringSoon.earliest
            ? fill(text.points.expiring, { n: s.expiringSoon.total, date: localDay(s.expiringSoon.earliest) })
            : fill(text.points.noExpiring, { days: s.expiringSoon.withinDays }),
        tier: s.tier.name[lang] || s.tier.name.zh,
        nextTier: s.nextTier
          ? fill(text.points.nextTier, { name: s.nextTier.name[lang] || s.nextTier.name.zh })
          : text.points.topTier,
        percent: Math.round(Math.min(1, Math.max(0, s.nextTier ? p.ratio : 1)) * 100),
        progress: p.message[lang] || p.message.zh,
      };
    },
    row(i: LedgerItem): HistoryRow {
      const text = this.data.text;
      return {
        id: i.id,
        label: text.points[i.kind],
        amount: `${i.amount > 0 ? '+' : ''}${i.amount}`,
        plus: i.amount > 0,
        when: localTime(i.at),
        detail: [inLanguage(i.reason ?? '', this.data.lang), fill(text.points.balanceAfter, { n: i.balanceAfter })]
          .filter(Boolean)
          .join(' · '),
      };
    },
    /** The header is shown even with no history yet: a member always has something to see. */
    async fetch() {
      await session();
      const [summary, first] = await Promise.all([
        call('points', 'summary', {}),
        call('points', 'history', { page: 0 }),
      ]);
      const history = first.items.map((i) => this.row(i));
      this.setData({ header: this.header(summary), history, page: first.page, hasMore: first.hasMore });
      return true;
    },
    async fetchMore() {
      const next = await call('points', 'history', { page: this.data.page + 1 });
      const added = unseen(this.data.history, next.items, (i) => i.id).map((i) => this.row(i));
      this.setData({ history: [...this.data.history, ...added], page: next.page, hasMore: next.hasMore });
    },
    openMall() {
      wx.navigateTo({ url: ROUTES.mall });
    },
  },
});
