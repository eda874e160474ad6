import { writeFileSync } from 'node:fs';

/**
 * A legacy CRM export of 1,000 members in CSV, with its column mapping: unique people, people who
 * appear twice, rows that join two earlier people, people already members here, and bad rows.
 */
export const MAPPING = {
  source: 'legacy',
  columns: {
    会员编号: 'ref',
    手机: 'phone',
    卡号: 'cardNo',
    UnionID: 'unionid',
    姓名: 'name',
    生日: 'birthday',
    性别: 'gender',
    入会日期: 'joinedAt',
    积分: 'points.0.amount',
    积分到期: 'points.0.expiresAt',
    等级: 'tier',
    标签: 'tags',
    隐私版本: 'consents.privacyVersion',
    隐私同意日期: 'consents.privacyAcceptedAt',
    营销同意: 'consents.marketingOptIn',
    营销同意日期: 'consents.marketingChangedAt',
    POS号: 'externalIds.pos',
  },
  listSeparator: '|',
  values: { gender: { 女: 'female', 男: 'male' } },
};

const HEADER = Object.keys(MAPPING.columns);
export const phoneOf = (i: number) => `139${String(i).padStart(8, '0')}`;
export const cardOf = (i: number) => `LC${String(i).padStart(4, '0')}`;
export const unionOf = (i: number) => `uLegacy${String(i).padStart(6, '0')}`;
export const EXISTING_PHONES = ['13600000001', '13600000002', '13600000003'];

const cells = (c: Partial<Record<string, string>>) => HEADER.map((h) => c[h] ?? '');
const person = (i: number): Partial<Record<string, string>> => ({
  会员编号: `L${i}`,
  手机: phoneOf(i),
  卡号: cardOf(i),
  UnionID: unionOf(i),
  姓名: `会员${i}`,
  生日: '1990-05-0' + ((i % 9) + 1),
  性别: i % 2 ? '女' : '男',
  入会日期: '2023-03-01',
  积分: String(i),
  积分到期: '2027-12-31',
  等级: i % 10 === 0 ? 'gold' : 'silver',
  标签: 'legacy|vip-silk',
  隐私版本: '2022-01',
  隐私同意日期: '2023-03-01',
  营销同意: i % 3 ? '是' : '否',
  营销同意日期: '2023-03-01',
  POS号: `P${i}`,
});

/** Expected outcomes of the file below. */
export const EXPECTED = { rows: 1000, new: 927, matched: 43, merged: 10, rejected: 20 };

export function writeMembersCsv(file: string): void {
  const rows: string[][] = [];
  for (let i = 1; i <= 920; i++) rows.push(cells(person(i)));
  // 921–960: a second record of person i−920 (same phone) under another legacy id
  for (let i = 921; i <= 960; i++)
    rows.push(cells({ 会员编号: `L${i}`, 手机: phoneOf(i - 920), 积分: '5', 积分到期: '2027-12-31' }));
  // 961–970: one record naming two earlier people (the phone of one, the card of another): they are one person
  for (let i = 961; i <= 970; i++)
    rows.push(cells({ 会员编号: `L${i}`, 手机: phoneOf(i - 860), 卡号: cardOf(i - 760) }));
  // 971–973: people already members here (same phone)
  for (let i = 971; i <= 973; i++)
    rows.push(cells({ ...person(i), 手机: EXISTING_PHONES[i - 971]!, 卡号: '', UnionID: '' }));
  // 974–993: bad rows, five of each kind
  for (let i = 974; i <= 978; i++) rows.push(cells({ ...person(i), 手机: '12345' }));
  for (let i = 979; i <= 983; i++) rows.push(cells({ ...person(i), 生日: '1990-13-45x' }));
  for (let i = 984; i <= 988; i++) rows.push(cells({ ...person(i), 等级: 'diamond' }));
  for (let i = 989; i <= 993; i++) rows.push([`L${i}`, phoneOf(i)]);
  for (let i = 994; i <= 1000; i++) rows.push(cells(person(i)));
  const csv = [HEADER, ...rows]
    .map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','))
    .join('\n');
  writeFileSync(file, `${csv}\n`);
}
