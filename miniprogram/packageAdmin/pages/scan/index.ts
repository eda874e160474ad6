import { call, type CallOutput } from '../../../services/cloud';
import { localDay, localTime, textIn } from '../../../pages/coupons/coupon-text';
import { baseData, ownText, loadedInLanguage } from '../../../utils/page-base';
import { adminMemberPage } from '../../../config/routes';
import { go } from '../../../utils/routes';
import { errorText, stopPullDown, type Status } from '../../../utils/view-state';
import { ask, can, currentStaff, fill, newRequestId, textOf } from '../../utils';
import { answered, refusalText } from '../index/refusal';
import { storesOf, type StoreChoice } from '../index/stores';
import { classify, fenOf } from './classify';
import { shownCoupon, type ShownCoupon } from './inspected';
import { texts as memberTexts } from '../member/text';
import { texts } from './text';

interface ScannedMember {
  memberId: string;
  cardNo: string;
  code: string;
  name: string;
  line: string;
}
interface Result {
  kind: 'coupon' | 'appointment';
  title: string;
  status: string;
  lines: string[];
}
type Appointment = CallOutput<'appointments', 'checkIn'>['appointment'];
type Input = { detail: { value: string } };
type Tap = { currentTarget: { dataset: { index?: number | string } } };

const { title, pageText } = ownText(texts);

/**
 * Scan to act (S10, S14, S21): a coupon code → the coupon as the server reads it (name, value,
 * status, holder, where valid) → confirm and redeem it at one of my stores; a member's rotating
 * code → the member's profile; a booking id → check it in. A code can be typed when the camera
 * fails. Every answer, refusals included, is shown on the page. A redemption carries a request
 * id kept for retries of the same attempt, so a retry after a lost answer never redeems twice.
 */
Component({
  data: {
    ...baseData(),
    t: texts.zh,
    status: 'loading' as Status,
    message: '',
    stores: [] as StoreChoice[],
    storeIndex: 0,
    canCheckIn: false,
    canLookup: false,
    manualCode: '',
    pending: null as ShownCoupon | null,
    inspecting: false,
    redeemKey: '',
    amount: '',
    member: null as ScannedMember | null,
    result: null as Result | null,
    error: '',
    busy: false,
  },
  methods: {
    ...loadedInLanguage(title, pageText),
    onPullDownRefresh() {
      void this.load(true).then(stopPullDown);
    },
    retry() {
      this.setData({ status: 'loading' });
      void this.load(true);
    },
    async load(refresh = false) {
      try {
        const staff = await currentStaff(refresh);
        if (!staff) {
          this.setData({ status: 'empty' });
          return;
        }
        const stores = await storesOf(staff, this.data.lang);
        this.setData({
          status: 'ready',
          stores,
          storeIndex: Math.min(this.data.storeIndex, Math.max(0, stores.length - 1)),
          canCheckIn: can(staff, 'appointments.checkIn'),
          canLookup: can(staff, 'member.lookup'),
        });
      } catch (err) {
        this.setData({ status: 'error', message: errorText(err) });
      }
    },
    scan() {
      if (this.data.busy || this.data.inspecting) return;
      wx.scanCode({
        scanType: ['qrCode', 'barCode'],
        success: (r) => void this.handle(r.result),
        fail: (e) => {
          if (!/cancel/i.test(e.errMsg ?? '')) this.setData({ error: this.data.t.cameraFailed });
        },
      });
    },
    onManual(e: Input) {
      this.setData({ manualCode: e.detail.value });
    },
    submitManual() {
      if (!this.data.manualCode.trim()) {
        this.setData({ error: this.data.t.emptyCode });
        return;
      }
      void this.handle(this.data.manualCode);
    },
    /** Another store: a coupon on screen is judged again for it, and a redemption there is a new attempt. */
    pickStore(e: Tap) {
      const storeIndex = Number(e.currentTarget.dataset.index ?? 0);
      if (storeIndex === this.data.storeIndex) return;
      this.setData({ storeIndex, redeemKey: '' });
      const pending = this.data.pending;
      if (pending) void this.inspect(pending.code);
    },
    onAmount(e: Input) {
      this.setData({ amount: e.detail.value, redeemKey: '' });
    },
    /** Decides what the code is and starts the matching flow; the previous result is cleared. */
    async handle(raw: string) {
      const scanned = classify(raw);
      this.setData({ error: '', result: null, pending: null, member: null, amount: '', redeemKey: '' });
      switch (scanned.kind) {
        case 'coupon':
          return this.inspect(scanned.code);
        case 'member':
          return this.resolveMember(scanned.code);
        case 'appointment':
          return this.checkIn(scanned.appointmentId);
        case 'unknown':
          this.setData({ error: fill(this.data.t.unknownCode, { raw: scanned.raw }) });
      }
    },
    /** Reads the coupon for the chosen store (nothing changes); the confirm step shows it. */
    async inspect(code: string) {
      const store = this.data.stores[this.data.storeIndex];
      this.setData({ inspecting: true, error: '' });
      try {
        const c = await call('coupons', 'inspect', { code, ...(store ? { storeId: store.storeId } : {}) });
        this.setData({ pending: shownCoupon(c, this.data.t, this.data.text, this.data.lang), manualCode: '' });
      } catch (err) {
        this.setData({ pending: null, error: refusalText(err, this.data.t.refusals) });
      } finally {
        this.setData({ inspecting: false });
      }
    },
    cancelCoupon() {
      this.setData({ pending: null, amount: '', error: '', redeemKey: '' });
    },
    openHolder() {
      const p = this.data.pending;
      if (p) go(adminMemberPage(p.memberId));
    },
    async redeem() {
      const { pending, t, busy } = this.data;
      const store = this.data.stores[this.data.storeIndex];
      if (!pending || !pending.redeemable || !store || busy) return;
      const orderAmountFen = fenOf(this.data.amount);
      if (orderAmountFen === null) {
        this.setData({ error: t.amountInvalid });
        return;
      }
      if (
        !(await ask(
          fill(t.confirmRedeem, {
            store: store.name,
            code: pending.display,
            amount: (orderAmountFen / 100).toFixed(2),
          }),
          t.redeem,
        ))
      )
        return;
      // the same attempt keeps its id: a retry after a lost answer gets the first answer back
      const requestId = this.data.redeemKey || newRequestId('rdm');
      this.setData({ busy: true, error: '', redeemKey: requestId });
      try {
        const r = await call('coupons', 'redeem', {
          code: pending.code,
          storeId: store.storeId,
          orderAmountFen,
          requestId,
        });
        const lines = [
          fill(t.couponCode, { code: pending.display }),
          fill(t.discount, { yuan: (r.discountFen / 100).toFixed(2) }),
          fill(t.payable, { yuan: (r.payableFen / 100).toFixed(2) }),
        ];
        if (r.gift) lines.push(fill(t.gift, { gift: textIn(r.gift, this.data.lang) }));
        lines.push(fill(t.usedAt, { time: localTime(r.usedAt) }));
        if (r.replayed) lines.push(t.replayed);
        this.setData({
          pending: null,
          amount: '',
          manualCode: '',
          redeemKey: '',
          result: { kind: 'coupon', title: textIn(r.name, this.data.lang), status: t.redeemed, lines },
        });
      } catch (err) {
        if (answered(err)) this.setData({ redeemKey: '' });
        this.setData({ error: refusalText(err, t.refusals) });
      } finally {
        this.setData({ busy: false });
      }
    },
    async resolveMember(code: string) {
      this.setData({ busy: true });
      try {
        const m = await call('member', 'resolveMemberCode', { code });
        const member: ScannedMember = {
          memberId: m.memberId,
          cardNo: m.cardNo,
          code,
          name: m.displayName ?? m.cardNo,
          line: fill(this.data.t.memberLine, {
            cardNo: m.cardNo,
            tier: textOf(memberTexts, this.data.lang).tiers[m.tier] ?? m.tier,
            points: m.points,
          }),
        };
        this.setData({ member, manualCode: '' });
        this.openMember();
      } catch (err) {
        this.setData({ error: refusalText(err, this.data.t.refusals) });
      } finally {
        this.setData({ busy: false });
      }
    },
    openMember() {
      const m = this.data.member;
      if (m) go(adminMemberPage(m.memberId));
    },
    async checkIn(appointmentId: string) {
      if (!(await ask(fill(this.data.t.confirmCheckIn, { id: appointmentId }), this.data.t.checkIn))) return;
      await this.checkInWith({ appointmentId });
    },
    /** The member's open booking today at the chosen store, by the code just scanned (valid for about two minutes). */
    async checkInMember() {
      const m = this.data.member;
      const store = this.data.stores[this.data.storeIndex];
      if (!m || !store || this.data.busy) return;
      if (!(await ask(fill(this.data.t.confirmMemberCheckIn, { store: store.name }), this.data.t.checkIn))) return;
      await this.checkInWith({ memberCode: m.code, storeId: store.storeId });
    },
    async checkInWith(input: { appointmentId: string } | { memberCode: string; storeId: string }) {
      const t = this.data.t;
      this.setData({ busy: true, error: '' });
      try {
        const a: Appointment = (await call('appointments', 'checkIn', input)).appointment;
        const lines = [
          fill(t.appointmentLine, {
            service: textIn(a.serviceName, this.data.lang),
            store: textIn(a.storeName, this.data.lang),
          }),
          fill(t.appointmentTime, { date: localDay(a.start), time: a.startLocal }),
        ];
        this.setData({
          manualCode: '',
          result: { kind: 'appointment', title: t.appointment, status: t.checkedIn, lines },
        });
      } catch (err) {
        this.setData({ error: refusalText(err, t.refusals) });
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
