import { appModule } from '../../support/miniprogram/built-app';
import { resetApp } from '../../support/miniprogram/app-modules';
import { installFakeWx, ok, type CloudAnswer, type FakeWx } from '../../support/miniprogram/fake-wx';
import type { PageInstance } from '../../support/miniprogram/page-harness';
import { openLoaded } from '../../support/miniprogram/page-calls';
import { permissionsOf } from '../../../server/staff/permissions';

/** Staff as `admin.staff.me` answers: permissions from the one table the server checks (server/staff/permissions.ts). */
export const advisor = {
  staffId: 'staff_advisor_sh',
  name: '李顾问',
  role: 'advisor',
  storeIds: ['store_sh'],
  permissions: permissionsOf('advisor'),
};
export const manager = {
  staffId: 'staff_manager_sh',
  name: '王店长',
  role: 'store_manager',
  storeIds: ['store_sh'],
  permissions: permissionsOf('store_manager'),
};
export const admin = {
  staffId: 'staff_admin',
  name: '品牌管理员',
  role: 'brand_admin',
  storeIds: [] as string[],
  permissions: permissionsOf('brand_admin'),
};

export const catalogue = {
  services: [],
  stores: [
    { storeId: 'store_sh', name: { zh: '上海新天地店', en: 'Shanghai Xintiandi' }, city: '上海' },
    { storeId: 'store_sz', name: { zh: '深圳万象城店', en: 'Shenzhen MixC' }, city: '深圳' },
  ],
  reminderTemplateId: null,
};

export const refusedWith = (code: string, message: string, details: Record<string, unknown>): CloudAnswer => ({
  result: { ok: false, error: { code, message, details } },
});

export interface Harness {
  wx: FakeWx;
  /** Answers for the next confirmations (true = confirm); confirm when none is left. */
  modalAnswers: boolean[];
  modals: string[];
  /** What the next `wx.scanCode` answers: a code, or a failure message. */
  scans: ({ result: string } | { errMsg: string })[];
}

/** A fresh fake `wx` with showModal and scanCode, and no staff remembered from another test. */
export function setUp(): Harness {
  const wx = installFakeWx();
  resetApp();
  appModule<{ forgetStaff(): void }>('packageAdmin/utils').forgetStaff();
  const h: Harness = { wx, modalAnswers: [], modals: [], scans: [] };
  Object.assign(wx.api, {
    showModal: (o: { content: string; success?: (r: { confirm: boolean }) => void }) => {
      h.modals.push(o.content);
      o.success?.({ confirm: h.modalAnswers.shift() ?? true });
    },
    scanCode: (o: { success?: (r: { result: string }) => void; fail?: (e: { errMsg: string }) => void }) => {
      const next = h.scans.shift() ?? { errMsg: 'scanCode:fail cancel' };
      if ('result' in next) o.success?.(next);
      else o.fail?.(next);
    },
  });
  return h;
}

export { actions, inputOf, openLoaded, run, settle } from '../../support/miniprogram/page-calls';

/** Opens a staff list page as the brand admin, with `items` as the first page of its list. */
export async function openListAsAdmin(
  h: Harness,
  path: string,
  items: unknown[],
  hasMore = false,
): Promise<PageInstance> {
  h.wx.answers.push(ok({ staff: admin }), ok({ items, page: 0, pageSize: 20, hasMore }));
  return openLoaded(h.wx, path);
}
