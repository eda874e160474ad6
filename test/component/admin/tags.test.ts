import { ok, refused } from '../../support/miniprogram/fake-wx';
import { admin, advisor, inputOf } from './fixtures-core';
import { actions, openLoaded, page, run, settle, setUp, tapWith, type Harness } from './fixtures-manage';

/** The tag taxonomy page (brand admin): tags by category, create / edit / archive, tagging a segment as a job. */
const PAGE = 'packageAdmin/pages/tags/index';
const categories = [
  { id: 'demographic', zh: '人口属性', en: 'Demographic' },
  { id: 'behaviour', zh: '行为', en: 'Behaviour' },
  { id: 'preference', zh: '偏好', en: 'Preference' },
];
const tag = (patch: Record<string, unknown>) => ({
  id: 'vip_gift',
  category: 'preference',
  kind: 'manual',
  name: { zh: '礼品偏好', en: 'Gift lover' },
  colour: '#d4380d',
  ttlDays: 90,
  expiresAt: null,
  archived: false,
  ...patch,
});
const RULE = { field: 'stage', op: 'in', values: ['loyal'] };
const taxonomy = [
  tag({}),
  tag({ id: 'old_promo', name: { zh: '旧活动' }, archived: true, ttlDays: null }),
  tag({
    id: 'loyal_fan',
    category: 'behaviour',
    kind: 'rule',
    name: { zh: '铁粉' },
    colour: '#237804',
    ttlDays: null,
    rule: RULE,
    expiresAt: '2026-12-31T16:00:00.000Z',
  }),
  tag({ id: 'surveyed', category: 'behaviour', kind: 'interaction', name: { zh: '参与问卷' }, colour: null }),
];
const job = (patch: Record<string, unknown> = {}) => ({
  jobId: 'job-1',
  segmentId: 'hi-po',
  tagId: 'vip_gift',
  op: 'add',
  state: 'running',
  changed: 40,
  createdAt: '2026-05-01T02:00:00.000Z',
  finishedAt: null,
  ...patch,
});

let h: Harness;
beforeEach(() => {
  h = setUp();
});

async function openAsAdmin() {
  h.wx.routes['admin.staff.me'] = ok({ staff: admin });
  h.wx.routes['admin.tags.list'] = ok({ items: taxonomy, categories });
  const segment = { id: 'hi-po', name: 'Hi-Po 潜力粉丝', rule: RULE, updatedAt: '2026-05-01T02:00:00.000Z' };
  h.wx.routes['messaging.segments.list'] = ok(page([segment]));
  const p = await openLoaded(h.wx, PAGE);
  expect(p.data.status).toBe('ready');
  return p;
}
type Page = Awaited<ReturnType<typeof openAsAdmin>>;
const field = (name: string, value: string) => ({ currentTarget: { dataset: { field: name } }, detail: { value } });
function fill(p: Page, values: Record<string, string>) {
  for (const [k, v] of Object.entries(values)) run(p, 'onField', field(k, v));
}

test('staff without the right see why, and nothing else is read', async () => {
  h.wx.routes['admin.staff.me'] = ok({ staff: advisor });
  const p = await openLoaded(h.wx, PAGE);
  expect(p.data).toMatchObject({ status: 'empty', emptyText: '仅品牌管理员可管理标签体系与批量打标' });
  expect(actions(h.wx)).toEqual(['admin.staff.me']);
});

test('the taxonomy by category: colours, holding days, rule and interaction tags, archived last in grey', async () => {
  const p = await openAsAdmin();
  expect(inputOf(h.wx, 'admin.tags.list')).toEqual({ includeArchived: true });
  type Row = { name: string; colour: string; detail: string; editable: boolean };
  const groups = p.data.groups.map((g: { label: string; tags: Row[] }) => [
    g.label,
    g.tags.map((x) => [x.name, x.colour, x.detail, x.editable]),
  ]);
  expect(groups).toEqual([
    ['人口属性', []],
    [
      '行为',
      [
        ['铁粉', '#237804', 'loyal_fan · 规则标签 · 2027-01-01 00:00 停用', true],
        ['参与问卷', '#8c2f39', 'surveyed · 互动标签（自动）', false],
      ],
    ],
    [
      '偏好',
      [
        ['礼品偏好', '#d4380d', 'vip_gift · 手动 · 保留 90 天', true],
        ['旧活动', '#8c8c8c', 'old_promo · 手动 · 长期有效 · 已归档', true],
      ],
    ],
  ]);
  // only live manual tags can be put on a segment
  expect(p.data.manualTags).toEqual([{ id: 'vip_gift', label: '礼品偏好' }]);
  expect(p.data.segments).toEqual([{ id: 'hi-po', label: 'Hi-Po 潜力粉丝' }]);
});

test('a new manual tag: checked before asking, saved after a confirmation with its days and end', async () => {
  const p = await openAsAdmin();
  fill(p, { id: 'Bad Id', nameZh: '生日月' });
  await run(p, 'save');
  expect(p.data.formError).toBe('标签编号为 2–48 位小写字母、数字或 _，以字母开头');
  fill(p, { id: 'birthday_month', ttlDays: '0' });
  await run(p, 'save');
  expect(p.data.formError).toBe('请选择分类');
  run(p, 'pickCategory', tapWith({ id: 'demographic' }));
  await run(p, 'save');
  expect(p.data.formError).toBe('保留天数为 1–3660 的整数，或留空');
  fill(p, { ttlDays: '30', nameEn: 'Birthday month' });
  run(p, 'pickColour', tapWith({ value: '#0958d9' }));
  run(p, 'onDay', { detail: { value: '2026-06-30' } });
  expect(h.modals).toEqual([]);
  expect(actions(h.wx).filter((a) => a === 'admin.tags.save')).toEqual([]);

  h.wx.routes['admin.tags.save'] = ok({ id: 'birthday_month' });
  await run(p, 'save');
  await settle();
  expect(h.modals).toEqual(['保存标签「生日月」？']);
  // the last day ends at midnight in Shanghai
  expect(inputOf(h.wx, 'admin.tags.save')).toEqual({
    tag: {
      id: 'birthday_month',
      category: 'demographic',
      kind: 'manual',
      name: { zh: '生日月', en: 'Birthday month' },
      colour: '#0958d9',
      ttlDays: 30,
      expiresAt: '2026-06-30T16:00:00.000Z',
    },
  });
  expect(h.wx.toasts).toEqual(['已保存']);
  expect(actions(h.wx).filter((a) => a === 'admin.tags.list')).toHaveLength(2);
  expect(p.data).toMatchObject({ editing: false, formError: '', form: { id: '', nameZh: '' } });
});

test('editing a rule tag keeps its rule; an interaction tag is not offered for editing', async () => {
  const p = await openAsAdmin();
  run(p, 'edit', tapWith({ id: 'surveyed' }));
  expect(p.data.editing).toBe(false);
  run(p, 'edit', tapWith({ id: 'loyal_fan' }));
  expect(p.data.form).toMatchObject({ id: 'loyal_fan', kind: 'rule', lastDay: '2026-12-31', category: 'behaviour' });
  fill(p, { nameZh: '铁杆粉丝' });
  h.wx.routes['admin.tags.save'] = ok({ id: 'loyal_fan' });
  await run(p, 'save');
  expect(inputOf(h.wx, 'admin.tags.save')).toEqual({
    tag: {
      id: 'loyal_fan',
      category: 'behaviour',
      kind: 'rule',
      name: { zh: '铁杆粉丝' },
      colour: '#237804',
      expiresAt: '2026-12-31T16:00:00.000Z',
      rule: RULE,
    },
  });
});

test('archive and restore ask first; a cancelled one sends nothing; a refusal is said under the form', async () => {
  const p = await openAsAdmin();
  h.modalAnswers.push(false);
  await run(p, 'toggleArchive', tapWith({ id: 'vip_gift' }));
  expect(actions(h.wx)).not.toContain('admin.tags.archive');
  h.wx.routes['admin.tags.archive'] = ok({ id: 'vip_gift', archived: true });
  await run(p, 'toggleArchive', tapWith({ id: 'vip_gift' }));
  await settle();
  expect(h.modals).toEqual([
    '归档标签「礼品偏好」？会员身上的该标签会在下次复核时移除。',
    '归档标签「礼品偏好」？会员身上的该标签会在下次复核时移除。',
  ]);
  expect(inputOf(h.wx, 'admin.tags.archive')).toEqual({ id: 'vip_gift', archived: true });
  h.wx.routes['admin.tags.archive'] = refused('FORBIDDEN', 'forbidden');
  await run(p, 'toggleArchive', tapWith({ id: 'old_promo' }));
  expect(h.modals.at(-1)).toBe('恢复标签「旧活动」？');
  expect(p.data.formError).toBe('仅品牌管理员可管理标签体系与批量打标');
});

test('tagging a segment starts a job; a pull-down (or reopening the page) reads its progress again', async () => {
  const p = await openAsAdmin();
  await run(p, 'startBulk');
  expect(p.data.bulkError).toBe('请选择分群和标签');
  run(p, 'pickBulk', tapWith({ field: 'segmentId', id: 'hi-po' }));
  run(p, 'pickBulk', tapWith({ field: 'tagId', id: 'vip_gift' }));
  h.wx.routes['admin.tags.bulk'] = ok(job());
  await run(p, 'startBulk');
  expect(h.modals).toEqual(['对分群「Hi-Po 潜力粉丝」的会员添加标签「礼品偏好」？']);
  const sent = inputOf(h.wx, 'admin.tags.bulk')!;
  expect(sent).toMatchObject({ segmentId: 'hi-po', tagId: 'vip_gift', op: 'add' });
  expect(sent.jobId).toMatch(/^[A-Za-z0-9_-]{6,64}$/);
  expect(p.data.jobLine).toBe('添加「礼品偏好」：已变更 40 人 · 进行中，下拉刷新查看进度');

  h.wx.routes['admin.tags.job'] = ok(job({ state: 'done', changed: 120, finishedAt: '2026-05-01T02:05:00.000Z' }));
  await run(p, 'onPullDownRefresh');
  expect(inputOf(h.wx, 'admin.tags.job')).toEqual({ jobId: 'job-1' });
  expect(p.data.jobLine).toBe('添加「礼品偏好」：已变更 120 人 · 2026-05-01 10:05 完成');
  expect(h.wx.pullDownStops).toBe(1);

  const again = await openLoaded(h.wx, PAGE);
  expect(again.data.jobLine).toBe('添加「礼品偏好」：已变更 120 人 · 2026-05-01 10:05 完成');
});

test('a job the server no longer knows is forgotten; a refused start says why', async () => {
  h.wx.storage.set('admin.tagJob', 'job-gone');
  h.wx.routes['admin.tags.job'] = refused('NOT_FOUND', 'no job');
  const p = await openAsAdmin();
  expect(p.data.job).toBeNull();
  expect(h.wx.storage.get('admin.tagJob')).toBe('');
  run(p, 'pickBulk', tapWith({ field: 'segmentId', id: 'hi-po' }));
  run(p, 'pickBulk', tapWith({ field: 'tagId', id: 'vip_gift' }));
  run(p, 'pickBulk', tapWith({ field: 'op', id: 'remove' }));
  h.wx.routes['admin.tags.bulk'] = refused('SEGMENT_NOT_FOUND', 'gone');
  await run(p, 'startBulk');
  expect(h.modals).toEqual(['对分群「Hi-Po 潜力粉丝」的会员移除标签「礼品偏好」？']);
  expect(p.data.bulkError).toBe('该分群已不存在，请下拉刷新后重新选择');
});

test('English: categories, kinds and the form read in English', async () => {
  h.wx.storage.set('lang', 'en');
  const p = await openAsAdmin();
  expect(p.data.groups.map((g: { label: string }) => g.label)).toEqual(['Demographic', 'Behaviour', 'Preference']);
  expect(p.data.groups[2].tags[0]).toMatchObject({ name: 'Gift lover', detail: 'vip_gift · Manual · kept 90 days' });
  expect(p.data.t.formNew).toBe('New manual tag');
});
