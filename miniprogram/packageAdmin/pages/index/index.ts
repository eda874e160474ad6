import { loadable } from '../../../behaviors/loadable';
import { call } from '../../../services/cloud';
import { baseData, ownText, loadedInLanguage } from '../../../utils/page-base';
import { go } from '../../../utils/routes';
import { currentStaff, fill, forgetStaff } from '../../utils';
import { entriesFor, type Entry } from './entries';
import { refusalText } from './refusal';
import { storesOf } from './stores';
import { texts } from './text';

interface Me {
  name: string;
  role: string;
  stores: string;
}
type Input = { detail: { value: string } };
type Tap = { currentTarget: { dataset: { url?: string } } };

const { title, pageText } = ownText(texts);

/**
 * The staff hub (entered from Me): who I am, and the tools my role may use. A person who is not
 * staff sees "staff only" and can join with an invitation code.
 */
Component({
  behaviors: [loadable],
  data: {
    ...baseData(),
    t: texts.zh,
    staff: false,
    me: null as Me | null,
    entries: [] as Entry[],
    inviteCode: '',
    joining: false,
    joinError: '',
  },
  methods: {
    ...loadedInLanguage(title, pageText),
    /** Someone who is not staff yet sees the invite-code form: the page shows either way. */
    async fetch(refresh: boolean) {
      const staff = await currentStaff(refresh);
      const t = this.data.t;
      if (!staff) {
        this.setData({ staff: false, me: null, entries: [] });
        return true;
      }
      const stores = staff.storeIds.length
        ? (await storesOf(staff, this.data.lang)).map((s) => s.name).join('、')
        : t.allStores;
      const me: Me = { name: staff.name || t.nameless, role: t.roles[staff.role], stores: fill(t.stores, { stores }) };
      this.setData({ staff: true, me, entries: entriesFor(staff, t) });
      return true;
    },
    open(e: Tap) {
      const url = e.currentTarget.dataset.url;
      if (url) go(url, this.data.t.soon);
    },
    onInviteCode(e: Input) {
      this.setData({ inviteCode: e.detail.value, joinError: '' });
    },
    async join() {
      const code = this.data.inviteCode.trim();
      const t = this.data.t;
      if (this.data.joining) return;
      if (code.length < 6 || code.length > 32) {
        this.setData({ joinError: t.codeRequired });
        return;
      }
      this.setData({ joining: true, joinError: '' });
      try {
        await call('admin', 'staff.redeemInvite', { code });
        forgetStaff();
        wx.showToast({ title: t.joined, icon: 'success' });
        this.setData({ inviteCode: '' });
        await this.load(true);
      } catch (err) {
        this.setData({ joinError: refusalText(err, t.refusals) });
      } finally {
        this.setData({ joining: false });
      }
    },
  },
});
