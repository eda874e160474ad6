import { loadable } from '../../../behaviors/loadable';
import { session } from '../../../services/session';
import { baseData, followLanguage, showInLanguage, type BaseData } from '../../../utils/page-base';
import { findOrder, orderDetail, remembered, type OrderDetail } from '../../orders';

const title = (base: BaseData): string => base.text.orders.detailTitle;

/** One order: status, items, amounts, refunds and the points it earned (and had taken back). */
Component({
  behaviors: [loadable],
  data: { ...baseData(), orderId: '', order: null as OrderDetail | null },
  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      showInLanguage(this, title, () => ({ orderId: query.id ? decodeURIComponent(query.id) : '' }));
      void this.load();
    },
    onShow() {
      if (followLanguage(this, title)) this.show(remembered(this.data.orderId));
    },
    /** Shows the order (or the empty state); true when there is one. */
    show(order: ReturnType<typeof remembered>): boolean {
      if (order) this.setData({ status: 'ready', order: orderDetail(order, this.data.text) });
      else this.setData({ status: 'empty', order: null });
      return order !== undefined;
    },
    /** An order opened from the list is shown as the list read it; a refresh reads it again. */
    async fetch(refresh: boolean) {
      const id = this.data.orderId;
      if (!id) return this.show(undefined);
      const known = refresh ? undefined : remembered(id);
      if (known) return this.show(known);
      await session();
      return this.show(await findOrder(id));
    },
  },
});
