import { loadablePage } from '../../../behaviors/loadable-page';
import { localTime } from '../../../pages/coupons/coupon-text';
import { call, type CallOutput } from '../../../services/cloud';
import { ownText, loadedInLanguage } from '../../../utils/page-base';
import { ask, can, currentStaff } from '../../utils';
import { refusalText } from '../index/refusal';
import { texts, type RepairText } from './text';

type RebuildView = NonNullable<CallOutput<'admin', 'lifecycle.rebuildProgress'>['rebuild']>;

/** How often progress is read again while a rebuild is unfinished and the page is shown. */
const POLL_MS = 3000;
let pollTimer: ReturnType<typeof setTimeout> | undefined;
function stopPolling(): void {
  if (pollTimer !== undefined) clearTimeout(pollTimer);
  pollTimer = undefined;
}

const stateOf = (r: RebuildView | null, t: RepairText): string => (!r ? t.never : r.done ? t.done : t.running);

const { title, pageText } = ownText(texts);
const language = loadedInLanguage(title, pageText, true);

/**
 * The member data repair (brand admin): the lifecycle rebuild's progress, a start after a confirmation,
 * and progress read again every few seconds while the rebuild is unfinished and the page is shown.
 */
Component({
  ...loadablePage(texts, (t) => t.noRight, {
    rebuild: null as RebuildView | null,
    stateLine: texts.zh.never,
    atLine: '',
    running: false,
    busy: false,
    error: '',
  }),
  methods: {
    onLoad: language.onLoad,
    async fetch(refresh: boolean) {
      const staff = await currentStaff(refresh);
      if (!can(staff, 'lifecycle.rebuild')) return false;
      const { rebuild } = await call('admin', 'lifecycle.rebuildProgress', {});
      this.show(rebuild);
      return true;
    },
    show(rebuild: RebuildView | null) {
      const running = !!rebuild && !rebuild.done;
      this.setData({
        rebuild,
        running,
        stateLine: stateOf(rebuild, this.data.t),
        atLine: rebuild ? localTime(rebuild.at) : '',
      });
      stopPolling();
      if (running) pollTimer = setTimeout(() => void this.poll(), POLL_MS);
    },
    async poll() {
      pollTimer = undefined;
      try {
        const { rebuild } = await call('admin', 'lifecycle.rebuildProgress', {});
        this.setData({ error: '' });
        this.show(rebuild);
      } catch (err) {
        this.setData({ error: refusalText(err, this.data.t.refusals) });
      }
    },
    async start() {
      if (this.data.busy || this.data.running) return;
      if (!(await ask(this.data.t.startAsk))) return;
      this.setData({ busy: true, error: '' });
      try {
        this.show(await call('admin', 'lifecycle.rebuild', {}));
      } catch (err) {
        this.setData({ error: refusalText(err, this.data.t.refusals) });
      } finally {
        this.setData({ busy: false });
      }
    },
    onHide() {
      stopPolling();
    },
    onShow() {
      language.onShow.call(this as never);
      if (this.data.running && pollTimer === undefined) void this.poll();
    },
    onUnload() {
      stopPolling();
    },
  },
});
