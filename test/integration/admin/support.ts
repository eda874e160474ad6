import type { Emulator } from '../../../emulator/emulator';
import { demoBrand } from '../../../scripts/seed/demo-brand';
import type { Sdk } from '../../support/sdk';

export const STAFF = {
  brand_admin: 'o_demo_admin',
  store_manager: 'o_demo_manager',
  advisor: 'o_demo_advisor',
} as const;
export const STAFF_IDS = {
  brand_admin: 'staff_admin',
  store_manager: 'staff_manager_sh',
  advisor: 'staff_advisor_sh',
} as const;
export const STORE = 'store_sh_xintiandi';

export type Db = Sdk['db'];

export async function seedStaffAndStores(db: Db): Promise<void> {
  await db.collection('staff').add({ data: demoBrand.staff.map((s) => ({ ...s, storeIds: [...s.storeIds] })) });
  await db.collection('stores').add({ data: demoBrand.stores.map((s) => ({ ...s })) });
}

/** A member with a card, phone, stage, tags and history, written straight through the SDK. */
/** Member documents as stored, each first seen, last seen and created at `at` unless it says otherwise. */
export async function seedMemberDocs(db: Db, docs: Record<string, unknown>[], at = new Date('2026-03-01T02:00:00Z')) {
  await db
    .collection('members')
    .add({ data: docs.map((d) => ({ firstSeenAt: at, lastSeenAt: at, createdAt: at, ...d })) });
}

export async function seedMember(
  db: Db,
  m: { id: string; openid: string; phone: string; cardNo: string; name: string },
  at = new Date('2026-03-01T02:00:00Z'),
): Promise<void> {
  await db.collection('members').add({
    data: [
      {
        _id: m.id,
        state: 'member',
        openid: m.openid,
        phone: m.phone,
        cardNo: m.cardNo,
        name: m.name,
        firstSeenAt: at,
        lastSeenAt: at,
        createdAt: at,
        claimedAt: at,
        tier: 'silver',
        points: 1200,
        ltvFen: 268_000,
        stage: 'repeat',
        tags: [{ tagId: 'vip-silk', source: 'rule', at }],
      },
    ],
  });
  await db.collection('identities').add({
    data: [
      { _id: `mp_openid:${m.openid}`, type: 'mp_openid', value: m.openid, memberId: m.id, linkedAt: at },
      { _id: `phone:${m.phone}`, type: 'phone', value: m.phone, memberId: m.id, linkedAt: at },
      { _id: `card:${m.cardNo}`, type: 'card', value: m.cardNo, memberId: m.id, linkedAt: at },
    ],
  });
}

export const auditRows = async (db: Db, where: Record<string, unknown>): Promise<Record<string, unknown>[]> =>
  (await db.collection('audit_log').where(where).limit(1000).get()).data;

export async function setClock(emu: Emulator, set: string): Promise<void> {
  const res = await fetch(`${emu.url}/clock`, { method: 'POST', body: JSON.stringify({ set }) });
  if (res.status !== 200) throw new Error(`clock: ${res.status}`);
}
