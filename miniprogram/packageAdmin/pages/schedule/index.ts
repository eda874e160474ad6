import { call, type CallOutput } from '../../../services/cloud';
import { followLanguage, showInLanguage, ownText } from '../../../utils/page-base';
import { loadablePage } from '../../../behaviors/loadable-page';
import { errorText } from '../../../utils/view-state';
import type { Dict } from '../../../i18n/index';
import { ask, can, fill, staffStores, textOf, type Staff, type StoreChip } from '../../utils';
import { addDays, isDate, todayLocal } from './dates';
import { refusalText } from '../index/refusal';
import { texts, type ScheduleText } from './text';
import { textIn as nameIn } from '../../../i18n/index';
import { statusText } from '../../../utils/appointment-text';

type Item = CallOutput<'appointments', 'schedule'>['items'][number];
type Act = 'confirm' | 'checkIn' | 'noShow' | 'cancel';
interface Row {
  appointmentId: string;
  serviceId: string;
  start: string;
  time: string;
  service: string;
  member: string;
  status: Item['status'];
  statusText: string;
  canConfirm: boolean;
  canAct: boolean;
}
interface MoveSlot {
  start: string;
  label: string;
}

const OPEN: readonly Item['status'][] = ['requested', 'confirmed'];
/** Keys of the page text that are one line (not a map). */
type TextLine = { [K in keyof ScheduleText]: ScheduleText[K] extends string ? K : never }[keyof ScheduleText];
/** Each row action: the server action, its question and what the toast says once done. */
const ACTS: Record<
  Act,
  { action: 'confirm' | 'checkIn' | 'markNoShow' | 'staffCancel'; askKey: TextLine; doneKey: TextLine }
> = {
  confirm: { action: 'confirm', askKey: 'confirmAsk', doneKey: 'confirmed' },
  checkIn: { action: 'checkIn', askKey: 'checkInAsk', doneKey: 'checkedIn' },
  noShow: { action: 'markNoShow', askKey: 'noShowAsk', doneKey: 'markedNoShow' },
  cancel: { action: 'staffCancel', askKey: 'cancelAsk', doneKey: 'cancelled' },
};
const MOVE_DAYS = 7;

const { title, pageText } = ownText(texts);

/**
 * A store's appointments of one day (S14, staff side): confirm, check in, mark no-show, and for
 * managers reschedule and cancel. Every change asks first; a refusal shows the server's code.
 */
Component({
  ...loadablePage(texts, (t) => t.empty, {
    staff: null as Staff | null,
    stores: [] as StoreChip[],
    storeId: '',
    date: '',
    isToday: true,
    rows: [] as Row[],
    canReschedule: false,
    canCancel: false,
    busy: false,
    error: '',
    moving: null as { appointmentId: string; title: string; slots: MoveSlot[] } | null,
  }),
  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      showInLanguage(this, title, (base) => {
        const t = textOf(texts, base.lang);
        return {
          t,
          emptyText: t.empty,
          storeId: query.store ?? '',
          date: isDate(query.date) ? query.date : todayLocal(),
        };
      });
      void this.load();
    },
    onShow() {
      if (followLanguage(this, title, pageText)) void this.loadDay();
    },
    /** Who is asking and which stores they may pick (names from the catalogue), then the day. */
    async fetch() {
      const picked = await staffStores(this.data.lang, this.data.storeId);
      if (!picked) {
        this.setData({ staff: null, emptyText: this.data.t.notStaff });
        return false;
      }
      const { staff, stores, storeId } = picked;
      this.setData({
        staff,
        stores,
        storeId,
        emptyText: this.data.t.empty,
        canReschedule: can(staff, 'appointments.reschedule'),
        canCancel: can(staff, 'appointments.cancel'),
      });
      return storeId ? this.readDay() : false;
    },
    /** The chosen day's rows; true when there are any. */
    async readDay() {
      const r = await call('appointments', 'schedule', { storeId: this.data.storeId, date: this.data.date });
      const rows = r.items.map((a) => this.row(a));
      this.setData({ rows, isToday: this.data.date === todayLocal() });
      return rows.length > 0;
    },
    /** The day again (another date, after a change), keeping the stores. */
    async loadDay() {
      if (!this.data.storeId) return;
      try {
        this.setData({ status: (await this.readDay()) ? 'ready' : 'empty' });
      } catch (err) {
        this.setData({ status: 'error', message: errorText(err) });
      }
    },
    row(a: Item): Row {
      const open = OPEN.includes(a.status);
      return {
        appointmentId: a.appointmentId,
        serviceId: a.serviceId,
        start: a.start,
        time: a.startLocal,
        service: nameIn(a.serviceName, this.data.lang),
        member:
          a.member?.name ??
          a.member?.phoneMasked ??
          a.member?.cardNo ??
          fill(this.data.t.member, { id: a.memberId.slice(-6) }),
        status: a.status,
        statusText: statusText(a.status, this.data.text as Dict),
        canConfirm: a.status === 'requested',
        canAct: open,
      };
    },
    showDate(date: string) {
      this.setData({ date, status: 'loading', error: '', moving: null });
      void this.loadDay();
    },
    prevDay() {
      this.showDate(addDays(this.data.date, -1));
    },
    nextDay() {
      this.showDate(addDays(this.data.date, 1));
    },
    pickDate(e: { detail: { value?: string } }) {
      if (isDate(e.detail.value) && e.detail.value !== this.data.date) this.showDate(e.detail.value);
    },
    pickStore(e: { currentTarget: { dataset: { id?: string } } }) {
      const id = e.currentTarget.dataset.id;
      if (!id || id === this.data.storeId) return;
      this.setData({ storeId: id });
      this.showDate(this.data.date);
    },
    find(id: string | undefined): Row | undefined {
      return this.data.rows.find((r) => r.appointmentId === id);
    },
    /** Runs a change after the staff member confirms it; the day is read again afterwards. */
    async change(question: string, done: string, send: () => Promise<unknown>) {
      if (this.data.busy) return;
      if (!(await ask(question))) return;
      this.setData({ busy: true, error: '' });
      try {
        await send();
        wx.showToast({ title: done, icon: 'success' });
        this.setData({ moving: null });
        await this.loadDay();
      } catch (err) {
        const error = refusalText(err, this.data.t.refusals);
        this.setData({ error });
        wx.showToast({ title: error, icon: 'none' });
      } finally {
        this.setData({ busy: false });
      }
    },
    async act(e: { currentTarget: { dataset: { id?: string; act?: Act } } }) {
      const row = this.find(e.currentTarget.dataset.id);
      const spec = e.currentTarget.dataset.act ? ACTS[e.currentTarget.dataset.act] : undefined;
      if (!row || !spec) return;
      const t = this.data.t;
      const question = fill(t[spec.askKey], {
        who: row.member,
        service: row.service,
        time: `${this.data.date} ${row.time}`,
      });
      await this.change(question, t[spec.doneKey], () =>
        call('appointments', spec.action, { appointmentId: row.appointmentId }),
      );
    },
    /** Managers: the free slots of the same service in the next days, to move the appointment to. */
    async openMove(e: { currentTarget: { dataset: { id?: string } } }) {
      const row = this.find(e.currentTarget.dataset.id);
      if (!row || !this.data.canReschedule) return;
      try {
        const from = this.data.date < todayLocal() ? todayLocal() : this.data.date;
        const av = await call('appointments', 'availability', {
          storeId: this.data.storeId,
          serviceId: row.serviceId,
          from,
          days: MOVE_DAYS,
        });
        const slots = av.days.flatMap((d) =>
          d.slots
            .filter((s) => s.remaining > 0 && s.start !== row.start)
            .map((s) => ({
              start: s.start,
              label: `${d.date.slice(5)} ${s.startLocal} · ${fill(this.data.t.left, { n: s.remaining })}`,
            })),
        );
        this.setData({
          moving: {
            appointmentId: row.appointmentId,
            title: fill(this.data.t.moveTitle, { service: row.service }),
            slots,
          },
          error: '',
        });
      } catch (err) {
        this.setData({ error: refusalText(err, this.data.t.refusals) });
      }
    },
    closeMove() {
      this.setData({ moving: null });
    },
    async moveTo(e: { currentTarget: { dataset: { start?: string } } }) {
      const moving = this.data.moving;
      const row = this.find(moving?.appointmentId);
      const slot = moving?.slots.find((s) => s.start === e.currentTarget.dataset.start);
      if (!row || !slot) return;
      const question = fill(this.data.t.moveAsk, {
        service: row.service,
        from: `${this.data.date} ${row.time}`,
        to: slot.label.split(' · ')[0] ?? slot.label,
      });
      await this.change(question, this.data.t.moved, () =>
        call('appointments', 'staffReschedule', { appointmentId: row.appointmentId, start: slot.start }),
      );
    },
  },
});
