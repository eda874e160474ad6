import type { Emulator } from '../../../emulator/emulator';
import { testEmulator } from '../../support/emulator';
import { as } from '../../support/client';
import { connectSdk } from '../../support/sdk';
import { auditRows, seedMember, seedMemberDocs, seedStaffAndStores, STAFF, type Db } from './support';

/** S21 member lookup by member id: how the member page opens any member from a link, card or no card. */
let emu: Emulator;
let db: Db;
const at = new Date('2026-03-01T02:00:00Z');
const LONG_ID = `m_${'a'.repeat(60)}`;

beforeAll(async () => {
  emu = await testEmulator({ timerFunctions: [], startAt: new Date('2026-04-02T02:00:00Z') });
  ({ db } = connectSdk(emu, { throwOnNotFound: false }));
  await seedStaffAndStores(db);
  await seedMember(db, { id: 'm_card', openid: 'o_card', phone: '13900000011', cardNo: 'SU0000011', name: '周女士' });
  await seedMemberDocs(db, [
    // a visitor who never claimed a card: no phone, no card, no name
    {
      _id: 'm_visitor',
      state: 'visitor',
      openid: 'o_visitor',
      nickname: '小周',
      points: 30,
    },
    {
      _id: 'm_merged',
      state: 'member',
      cardNo: 'SU0000012',
      name: '周女士',
      mergedInto: 'm_card',
    },
    {
      _id: 'm_deleted',
      state: 'member',
      name: '已注销',
      deletedAt: at,
    },
    { _id: LONG_ID, state: 'visitor' },
  ]);
  await db.collection('orders').add({
    data: [
      {
        _id: 'pos:V1',
        memberId: 'm_visitor',
        source: 'pos',
        status: 'completed',
        paidFen: 9_900,
        createdAt: new Date('2026-03-20T04:00:00Z'),
      },
    ],
  });
});
afterAll(() => emu?.close());

const byId = (openid: string, memberId: string) =>
  as(emu, openid).call('admin', 'members.lookup', { query: memberId, by: 'memberId' });

test('S21 a member is found by id exactly, with or without a card, with the same portrait as by card', async () => {
  const advisor = as(emu, STAFF.advisor);
  const viaId = await advisor.ok('admin', 'members.lookup', { query: 'm_card', by: 'memberId' });
  const viaCard = await advisor.ok('admin', 'members.lookup', { query: 'SU0000011' });
  expect(viaId.members).toEqual(viaCard.members);
  expect(viaId.members.map((m) => m.memberId)).toEqual(['m_card']);

  const visitor = await advisor.ok('admin', 'members.lookup', { query: 'm_visitor', by: 'memberId' });
  expect(visitor.members).toEqual([
    expect.objectContaining({
      memberId: 'm_visitor',
      cardNo: null,
      phone: null,
      name: '小周',
      points: 30,
      orders: [expect.objectContaining({ orderId: 'pos:V1', amountFen: 9_900 })],
    }),
  ]);
  // ids up to 64 characters, as the other admin actions take them
  expect(
    (await advisor.ok('admin', 'members.lookup', { query: LONG_ID, by: 'memberId' })).members.map((m) => m.memberId),
  ).toEqual([LONG_ID]);
});

test('S21 exact means exact: a prefix, another case or an unknown id finds no one; an id is never guessed from a bare query', async () => {
  const advisor = as(emu, STAFF.advisor);
  for (const q of ['m_car', 'M_CARD', 'm_nobody'])
    expect((await advisor.ok('admin', 'members.lookup', { query: q, by: 'memberId' })).members).toEqual([]);
  // without `by`, 'm_card' reads as a name, and nobody is called that
  expect((await advisor.ok('admin', 'members.lookup', { query: 'm_card' })).members).toEqual([]);
});

test('S21 a merged-away id opens the member it was merged into; a deleted member is not found', async () => {
  const manager = as(emu, STAFF.store_manager);
  expect(
    (await manager.ok('admin', 'members.lookup', { query: 'm_merged', by: 'memberId' })).members.map((m) => m.memberId),
  ).toEqual(['m_card']);
  expect((await manager.ok('admin', 'members.lookup', { query: 'm_deleted', by: 'memberId' })).members).toEqual([]);
});

test('S21 not staff → NOT_STAFF, on the trail; bad input → INVALID_INPUT', async () => {
  expect(await byId('o_card', 'm_visitor')).toMatchObject({ ok: false, error: { code: 'NOT_STAFF' } });
  expect(await auditRows(db, { action: 'refused:admin.members.lookup', who: 'o_card' })).toEqual([
    expect.objectContaining({ refused: { code: 'NOT_STAFF' } }),
  ]);

  const advisor = as(emu, STAFF.advisor);
  const bad = [
    { query: '', by: 'memberId' },
    { query: 'x'.repeat(65), by: 'memberId' },
    { query: 'x'.repeat(41) }, // only ids may be longer than 40
    { query: 'm_card', by: 'id' },
    { memberId: 'm_card' },
  ];
  for (const input of bad)
    expect(await advisor.call('admin', 'members.lookup', input as never)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
});
