import type { Emulator } from '../../../emulator/emulator';
import { seedDocuments } from '../../../emulator/seed';
import { demoBrand } from '../../../scripts/seed/demo-brand';
import { registeredMembers } from '../../support/members';
import type { Sdk } from '../../support/sdk';

/** Shared set-up of the appointment suites: the demo staff and stores, test services and hours, members written straight into the store. */
export type Db = Sdk['db'];

export const STORE = 'store_sh_xintiandi';
export const OTHER_STORE = 'store_sz_wanxiang';
export const NIGHT_STORE = 'store_night';
export const STAFF = { manager: 'o_demo_manager', advisor: 'o_demo_advisor', admin: 'o_demo_admin' } as const;
/** Tuesday 1 December 2026, 10:00 in Shanghai. */
export const T0 = new Date('2026-12-01T02:00:00Z');
export const HOLIDAY = '2026-12-25';

const daily = (open: string, close: string) =>
  Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, [{ open, close }]]));

export function seedBrand(emu: Emulator): void {
  seedDocuments(emu, {
    staff: demoBrand.staff as never,
    stores: [
      ...demoBrand.stores,
      { _id: NIGHT_STORE, name: { zh: '夜间妆造店', en: 'Night studio' }, city: '上海' },
    ] as never,
    services: [
      // 60-minute fitting, 2 places, cancel until 24 h before
      {
        _id: 'svc_fit',
        storeIds: [STORE, OTHER_STORE],
        name: { zh: '旗袍量体', en: 'Fitting' },
        durationMinutes: 60,
        capacityPerSlot: 2,
        cancellationCutoffHours: 24,
        bookingWindowDays: 60,
      },
      // the hot one: 3 places, starts every 30 minutes, confirmed automatically
      {
        _id: 'svc_hot',
        storeIds: [STORE],
        name: { zh: '妆容', en: 'Make-up' },
        durationMinutes: 60,
        slotStepMinutes: 30,
        capacityPerSlot: 3,
        autoConfirm: true,
        cancellationCutoffHours: 2,
        bookingWindowDays: 60,
      },
      {
        _id: 'svc_late',
        storeIds: [NIGHT_STORE],
        name: { zh: '夜间妆造' },
        durationMinutes: 60,
        capacityPerSlot: 1,
        bookingWindowDays: 60,
      },
      {
        _id: 'svc_retired',
        storeIds: [STORE],
        active: false,
        name: { zh: '已下架' },
        durationMinutes: 60,
        capacityPerSlot: 1,
      },
    ],
    store_hours: [
      {
        _id: STORE,
        timeZone: 'Asia/Shanghai',
        weekly: daily('10:00', '22:00'),
        exceptions: [{ date: HOLIDAY, closed: true, note: '圣诞休息' }],
      },
      { _id: OTHER_STORE, timeZone: 'Asia/Shanghai', weekly: daily('10:00', '22:00'), exceptions: [] },
      // open past midnight: 20:00–02:00
      { _id: NIGHT_STORE, timeZone: 'Asia/Shanghai', weekly: daily('20:00', '02:00'), exceptions: [] },
    ],
  });
}

/** Registered members with a Mini Program identity each; returns their member ids. */
export function seedMembers(emu: Emulator, openids: string[], at = new Date('2026-01-01T00:00:00Z')): string[] {
  const { ids, members, identities } = registeredMembers(openids, at);
  seedDocuments(emu, { members, identities });
  return ids;
}

/** A local Shanghai instant as the ISO string the contract takes. */
export const sh = (date: string, time: string): string => new Date(`${date}T${time}:00+08:00`).toISOString();

export async function setClock(
  emu: Emulator,
  body: { set: string } | { advance: string },
): Promise<{ now: string; fired: { fn: string; trigger: string; ok: boolean; error?: string }[] }> {
  const res = await fetch(`${emu.url}/clock`, { method: 'POST', body: JSON.stringify(body) });
  return (await res.json()) as { now: string; fired: { fn: string; trigger: string; ok: boolean; error?: string }[] };
}

export const count = async (db: Db, coll: string, where: Record<string, unknown> = {}): Promise<number> =>
  (await db.collection(coll).where(where).count()).total;
