import { session } from '../../../services/session';
import { baseData, followLanguage, showInLanguage, type BaseData } from '../../../utils/page-base';
import { errorText, stopPullDown, type Status } from '../../../utils/view-state';
import { findOrder, orderDetail, remembered, type OrderDetail } from '../../orders';

const title = (base: BaseData): string => base.text.orders.detailTitle;

/** One order: status, items, amounts, refunds and the points it earned (and had taken back). */
Component({
  data: { ...baseData(), status: 'loading' as Status, message: '', orderId: '', order: null as OrderDetail | null },
  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      showInLanguage(this, title, () => ({ orderId: query.id ? decodeURIComponent(query.id) : '' }));
      void this.load(false);
    },
    onShow() {
      if (followLanguage(this, title)) this.show(remembered(this.data.orderId));
    },
    onPullDownRefresh() {
      void this.load(true).then(stopPullDown);
    },
    retry() {
      this.setData({ status: 'loading' });
      void this.load(true);
    },
    show(order: ReturnType<typeof remembered>) {
      if (order) this.setData({ status: 'ready', order: orderDetail(order, this.data.text) });
      else this.setData({ status: 'empty', order: null });
    },
    async load(fresh: boolean) {
      const id = this.data.orderId;
      if (!id) return this.show(undefined);
      try {
        const known = fresh ? undefined : remembered(id);
        if (known) return this.show(known);
        await session();
        this.show(await findOrder(id));
      } catch (err) {
        this.setData({ status: 'error', message: errorText(err) });
      }
    },
  },
});
