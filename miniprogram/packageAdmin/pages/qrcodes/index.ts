import { loadablePage } from '../../../behaviors/loadable-page';
import { call, type CallOutput } from '../../../services/cloud';
import { followLanguage, showInLanguage, ownText } from '../../../utils/page-base';
import { ask, fill, staffStores, textOf, type Staff, type StoreChip } from '../../utils';
import { refusalText } from '../index/refusal';
import { previewImage, saveToAlbum } from './album';
import { texts } from './text';

type Code = CallOutput<'member', 'createStoreCode'>;
interface Shown {
  qrcodeId: string;
  imageBase64: string;
  src: string;
  scene: string;
  page: string;
  kind: string;
}

const { title, pageText } = ownText(texts, (t) => t.navTitle);

/**
 * Store and advisor Mini Program codes (S1 entry points): a manager makes a store's code, any staff
 * member their own advisor code; the image can be saved to the album or previewed for long-press.
 */
Component({
  ...loadablePage(texts, (t) => t.noStore, {
    staff: null as Staff | null,
    stores: [] as StoreChip[],
    storeId: '',
    campaign: '',
    /** Advisors make codes naming themselves only (server/members/store-code.ts). */
    storeCodeAllowed: false,
    myCodeAllowed: false,
    busy: false,
    error: '',
    code: null as Shown | null,
  }),
  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      showInLanguage(this, title, (base) => {
        const t = textOf(texts, base.lang);
        return { t, emptyText: t.noStore, storeId: query.store ?? '' };
      });
      void this.load();
    },
    onShow() {
      followLanguage(this, title, pageText);
    },
    /** Not staff, or no store to make codes for: the empty state says which. */
    async fetch() {
      const picked = await staffStores(this.data.lang, this.data.storeId);
      if (!picked) {
        this.setData({ staff: null, emptyText: this.data.t.notStaff });
        return false;
      }
      const { staff, stores, storeId } = picked;
      this.setData({ staff, stores, storeId, emptyText: this.data.t.noStore });
      this.applyRights();
      return storeId !== '';
    },
    applyRights() {
      const staff = this.data.staff;
      if (!staff) return;
      this.setData({
        storeCodeAllowed: staff.role !== 'advisor',
        // an advisor code names a staff member of that store
        myCodeAllowed: staff.storeIds.includes(this.data.storeId),
      });
    },
    pickStore(e: { currentTarget: { dataset: { id?: string } } }) {
      const id = e.currentTarget.dataset.id;
      if (!id || id === this.data.storeId) return;
      this.setData({ storeId: id, code: null, error: '' });
      this.applyRights();
    },
    onCampaign(e: { detail: { value?: string } }) {
      this.setData({ campaign: (e.detail.value ?? '').trim() });
    },
    storeName(): string {
      return this.data.stores.find((s) => s.storeId === this.data.storeId)?.name ?? this.data.storeId;
    },
    async make(advisor: boolean) {
      const staff = this.data.staff;
      if (!staff || !this.data.storeId || this.data.busy) return;
      this.setData({ busy: true, error: '' });
      try {
        const code: Code = await call('member', 'createStoreCode', {
          storeId: this.data.storeId,
          ...(advisor ? { advisorId: staff.staffId } : {}),
          ...(this.data.campaign ? { campaign: this.data.campaign } : {}),
        });
        const t = this.data.t;
        const kind = advisor
          ? fill(t.kindAdvisor, { store: this.storeName(), name: staff.name ?? t.me })
          : fill(t.kindStore, { store: this.storeName() });
        this.setData({
          code: {
            qrcodeId: code.qrcodeId,
            imageBase64: code.imageBase64,
            src: `data:${code.contentType};base64,${code.imageBase64}`,
            scene: code.scene,
            page: code.page,
            kind,
          },
        });
      } catch (err) {
        this.setData({ error: refusalText(err, this.data.t.refusals), code: null });
      } finally {
        this.setData({ busy: false });
      }
    },
    makeStoreCode() {
      return this.make(false);
    },
    makeMyCode() {
      return this.make(true);
    },
    async save() {
      const code = this.data.code;
      if (!code) return;
      const t = this.data.t;
      const result = await saveToAlbum(code);
      if (result === 'saved') wx.showToast({ title: t.saved, icon: 'success' });
      else if (result === 'failed') wx.showToast({ title: t.saveFailed, icon: 'none' });
      else if (await ask(t.albumDenied, t.openSettings)) wx.openSetting({});
    },
    async preview() {
      const code = this.data.code;
      if (code && !(await previewImage(code))) wx.showToast({ title: this.data.t.saveFailed, icon: 'none' });
    },
  },
});
