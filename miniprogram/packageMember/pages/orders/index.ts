import { loadable } from '../../../behaviors/loadable';
import { call } from '../../../services/cloud';
import { session } from '../../../services/session';
import { orderPage } from '../../../config/routes';
import { baseData, followLanguage, showInLanguage, type BaseData } from '../../../utils/page-base';
import { go } from '../../../utils/routes';
import { orderRow, remember, remembered, type OrderRow } from '../../orders';
import { unseen } from '../../../utils/paging';

const title = (base: BaseData): string => base.text.orders.title;
type Tap = { currentTarget: { dataset: { id?: string } } };

/** My orders: every channel, newest first, 20 a page; each opens its detail. */
Component({
  behaviors: [loadable],
  data: { ...baseData(), orders: [] as OrderRow[], page: 1 },
  methods: {
    onLoad() {
      showInLanguage(this, title);
      void this.load();
    },
    onShow() {
      // rows are text in the page's language: built again when it changed elsewhere
      if (followLanguage(this, title))
        this.setData({ orders: this.data.orders.map((r) => orderRow(remembered(r.orderId)!, this.data.text)) });
    },
    async fetch() {
      await session();
      const r = await call('orders', 'mine', { page: 1 });
      remember(r.items);
      const orders = r.items.map((o) => orderRow(o, this.data.text));
      this.setData({ orders, page: r.page, hasMore: r.hasMore });
      return orders.length > 0;
    },
    async fetchMore() {
      const r = await call('orders', 'mine', { page: this.data.page + 1 });
      remember(r.items);
      const added = unseen(this.data.orders, r.items, (o) => o.orderId).map((o) => orderRow(o, this.data.text));
      this.setData({ orders: [...this.data.orders, ...added], page: r.page, hasMore: r.hasMore });
    },
    open(e: Tap) {
      const id = e.currentTarget.dataset.id;
      if (id) go(orderPage(id));
    },
  },
});
