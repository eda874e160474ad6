import { eventually, fresh, startPreviewHarness, type MiniProgram, type PreviewHarness } from '../../support/preview';

/**
 * A brand admin keeps the tag taxonomy on the phone (browser preview against the emulator): a new
 * manual tag from the tags page, then that tag put on every member of a saved segment as a bulk job
 * whose progress is pulled down until done. The member lookup's timeline then shows the tag on the
 * member persona, from the product's own answer. Screenshots go to test-artifacts/miniprogram/.
 */

jest.setTimeout(240_000);

let h: PreviewHarness;
let mp: MiniProgram;

beforeAll(async () => {
  h = await startPreviewHarness({ persona: 'admin' });
  mp = h.miniProgram;
}, 600_000);

afterAll(async () => {
  await h?.close();
});

type Page = NonNullable<Awaited<ReturnType<MiniProgram['currentPage']>>>;
type Element = NonNullable<Awaited<ReturnType<Page['$']>>>;

async function settled(path: string, timeoutMs = 15_000): Promise<Page> {
  return eventually(async () => {
    const page = await mp.currentPage();
    expect(page?.path).toBe(path);
    expect(await page!.data('status')).not.toBe('loading');
    return page!;
  }, timeoutMs);
}

async function element(page: Page, selector: string): Promise<Element> {
  return eventually(async () => {
    const el = await page.$(selector);
    expect(el).not.toBeNull();
    return el!;
  });
}

const type = (page: Page, selector: string, value: string) =>
  fresh(async () => ((await element(page, selector)) as unknown as { input(v: string): Promise<void> }).input(value));
const tap = (page: Page, selector: string) => fresh(async () => (await element(page, selector)).tap());

test('S21 tags: a brand admin adds a manual tag and puts it on a segment; the member timeline shows it', async () => {
  await mp.navigateTo('/packageAdmin/pages/tags/index');
  const tags = await settled('packageAdmin/pages/tags/index');
  expect(await tags.data('status')).toBe('ready');

  await type(tags, '#tag-id', 'phone_vip');
  await type(tags, '#tag-name-zh', '手机贵宾');
  await tap(tags, '#pick-category-preference');
  await mp.mockWxMethod('showModal', { confirm: true, cancel: false, errMsg: 'showModal:ok' });
  await tap(tags, '#tag-save');
  const saved = await eventually(async () => {
    const groups = (await tags.data('groups')) as { id: string; tags: { id: string; detail: string }[] }[];
    const row = groups.find((g) => g.id === 'preference')?.tags.find((x) => x.id === 'phone_vip');
    expect(row).toBeDefined();
    return row!;
  }, 20_000);
  expect(saved.detail).toBe('phone_vip · 手动 · 长期有效');

  await tap(tags, '#bulk-segment-birthday-club');
  await tap(tags, '#bulk-tag-phone_vip');
  await tap(tags, '#bulk-start');
  await eventually(async () => expect(await tags.data('job')).not.toBeNull(), 20_000);
  await mp.restoreWxMethod('showModal');
  const done = await eventually(async () => {
    await tags.callMethod('onPullDownRefresh');
    const job = (await tags.data('job')) as { state: string; changed: number };
    expect(job.state).toBe('done');
    return job;
  }, 60_000);
  expect(done.changed).toBeGreaterThan(0);
  expect(await tags.data('jobLine')).toMatch(/^添加「手机贵宾」：已变更 \d+ 人 · .+ 完成$/);
  await h.screenshot('tags-01-job-done');

  await mp.navigateTo('/packageAdmin/pages/member/index');
  const member = await settled('packageAdmin/pages/member/index');
  await type(member, '#lookup-query', '林小满');
  await tap(member, '#lookup-go');
  const held = await eventually(async () => {
    const timeline = (await member.data('timeline')) as { tags: { id: string; line: string }[] } | null;
    expect(timeline).not.toBeNull();
    return timeline!.tags;
  }, 20_000);
  expect(held.find((x) => x.id === 'phone_vip')?.line).toMatch(/^手动 · \d{4}-\d{2}-\d{2}$/);
});
