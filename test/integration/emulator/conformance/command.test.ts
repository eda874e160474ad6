import type { Emulator } from '../../../../emulator/emulator';
import { bareEmulator } from '../../../support/emulator';
import { connectSdk } from '../../../support/sdk';

/**
 * Conformance with Tencent's CloudBase database suites, command.test.ts and aggregation.test.ts
 * (docs/emulator-conformance.md): aggregation string and date operators through the real
 * wx-server-sdk. Dates are given in UTC so the outcome does not depend on the machine's zone.
 */
let emu: Emulator;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK types a query's get() as string | void | IQueryResult
let db: any, $: any;

const students = [
  { _id: '1', firstName: 'Yuanxin', lastName: 'Dong', birthday: '1999/12/12', date: new Date('1999-12-11T16:00:00Z') },
  { _id: '2', firstName: 'Weijia', lastName: 'Wang', birthday: '1998/11/11', date: new Date('1998-11-10T16:00:00Z') },
  { _id: '3', firstName: 'Chengxi', lastName: 'Li', birthday: '1997/10/10', date: new Date('1997-10-09T16:00:00Z') },
];
const date = new Date(1557826731686); // 2019-05-14T09:38:51.686Z, a Tuesday

const project = async (coll: string, spec: unknown) =>
  (
    await db
      .collection(coll)
      .aggregate()
      .project({ _id: 0, ...(spec as object) })
      .end()
  ).list;

beforeAll(async () => {
  emu = await bareEmulator();
  ({ db, $ } = connectSdk(emu));
  await db.createCollection('test-students');
  await db.collection('test-students').add({ data: students });
  await db.createCollection('articles');
  await db.collection('articles').add({ data: { date } });
});
afterAll(() => emu.close());

test('command.test.ts: 字符串操作符 concat', async () => {
  const r = await project('test-students', { fullName: $.concat(['$firstName', ' ', '$lastName']) });
  expect(r[0]).toEqual({ fullName: 'Yuanxin Dong' });
});

test('command.test.ts: 字符串操作符 dateToString 格式化日期', async () => {
  const r = await project('test-students', { d: $.dateToString({ date: '$date', format: '%Y-%m-%d' }) });
  expect(r).toEqual([{ d: '1999-12-11' }, { d: '1998-11-10' }, { d: '1997-10-09' }]);
});

test('command.test.ts: 字符串操作符 dateToString 时区时间', async () => {
  const d = $.dateToString({ date: '$date', format: '%H:%M:%S', timezone: 'Asia/Shanghai' });
  const r = await project('test-students', { d });
  expect(r).toEqual([{ d: '00:00:00' }, { d: '00:00:00' }, { d: '00:00:00' }]);
});

test('command.test.ts: 字符串操作符 dateToString 缺失情况的默认值', async () => {
  const r = await project('test-students', { d: $.dateToString({ date: '$empty', onNull: 'null' }) });
  expect(r.every((x: { d: string }) => x.d === 'null')).toBe(true);
});

test('command.test.ts: 字符串操作符 indexOfBytes', async () => {
  const r = await project('test-students', { i: $.indexOfBytes(['$firstName', 'a']) });
  expect(r).toEqual([{ i: 2 }, { i: 5 }, { i: -1 }]);
});

test('command.test.ts: 字符串操作符 indexOfCP', async () => {
  const r = await project('test-students', { i: $.indexOfCP(['$firstName', 'a']) });
  expect(r).toEqual([{ i: 2 }, { i: 5 }, { i: -1 }]);
});

test('command.test.ts: 字符串操作符 split', async () => {
  const r = await project('test-students', { b: $.split(['$birthday', '/']) });
  expect(r[2]).toEqual({ b: ['1997', '10', '10'] });
});

test('command.test.ts: 字符串操作符 strcasecmp', async () => {
  const r = await project('test-students', { c: $.strcasecmp(['$firstName', '$lastName']) });
  expect(r).toEqual([{ c: 1 }, { c: 1 }, { c: -1 }]);
});

test('command.test.ts: 字符串操作符 substr', async () => {
  // a negative count takes the rest of the string
  const part = (from: number, count: number) => $.substr(['$birthday', from, count]);
  const spec = { y: part(0, 4), m: part(5, 2), d: part(8, -1) };
  expect(await project('test-students', spec)).toEqual([
    { y: '1999', m: '12', d: '12' },
    { y: '1998', m: '11', d: '11' },
    { y: '1997', m: '10', d: '10' },
  ]);
});

test('command.test.ts: 字符串操作符 substrBytes', async () => {
  const part = (from: number, count: number) => $.substrBytes(['$birthday', from, count]);
  const r = await project('test-students', { y: part(0, 4), d: part(8, -1) });
  expect(r[0]).toEqual({ y: '1999', d: '12' });
});

test('command.test.ts: 字符串操作符 toLower / toUpper', async () => {
  const r = await project('test-students', { l: $.toLower('$firstName'), u: $.toUpper('$lastName') });
  expect(r[0]).toEqual({ l: 'yuanxin', u: 'DONG' });
});

test('aggregation.test.ts: Date Date类型', async () => {
  expect(await project('articles', {})).toEqual([{ date }]);
});

test('aggregation.test.ts: Date Date的各种操作符', async () => {
  const spec = {
    dayOfWeek: $.dayOfWeek('$date'),
    dayOfYear: $.dayOfYear('$date'),
    dayOfMonth: $.dayOfMonth('$date'),
    year: $.year('$date'),
    month: $.month('$date'),
    hour: $.hour('$date'),
    minute: $.minute('$date'),
    second: $.second('$date'),
    millisecond: $.millisecond('$date'),
    week: $.week('$date'),
    dateFromParts: $.dateFromParts({ year: 2017, month: 2, day: 8, hour: 12, timezone: 'America/New_York' }),
    dateFromString: $.dateFromString({ dateString: date.toISOString() }),
    isoDayOfWeek: $.isoDayOfWeek('$date'),
    isoWeek: $.isoWeek('$date'),
    isoWeekYear: $.isoWeekYear('$date'),
  };
  expect((await project('articles', spec))[0]).toEqual({
    dayOfWeek: 3,
    dayOfYear: 134,
    dayOfMonth: 14,
    year: 2019,
    month: 5,
    hour: 9,
    minute: 38,
    second: 51,
    millisecond: 686,
    week: 19,
    dateFromParts: new Date('2017-02-08T17:00:00Z'),
    dateFromString: date,
    isoDayOfWeek: 2,
    isoWeek: 20,
    isoWeekYear: 2019,
  });
});
