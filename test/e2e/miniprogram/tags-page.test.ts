import { eventually, tapOn, typeInto, usePreview } from '../../support/preview';

/**
 * A brand admin keeps the tag taxonomy on the phone (browser preview against the emulator): a new
 * manual tag from the tags page, then that tag put on every member of a saved segment as a bulk job
 * whose progress is pulled down until done. The member lookup's timeline then shows the tag on the
 * member persona, from the product's own answer. Screenshots go to test-artifacts/miniprogram/.
 */

jest.setTimeout(240_000);

const app = usePreview({ persona: 'admin' });

test('S21 tags: a brand admin adds a manual tag and puts it on a segment; the member timeline shows it', async () => {
  await app.mp.navigateTo('/packageAdmin/pages/tags/index');
  const tags = await app.settled('packageAdmin/pages/tags/index');
  expect(await tags.data('status')).toBe('ready');

  await typeInto(tags, '#tag-id', 'phone_vip');
  await typeInto(tags, '#tag-name-zh', '手机贵宾');
  await tapOn(tags, '#pick-category-preference');
  await app.mp.mockWxMethod('showModal', { confirm: true, cancel: false, errMsg: 'showModal:ok' });
  await tapOn(tags, '#tag-save');
  const saved = await eventually(async () => {
    const groups = (await tags.data('groups')) as { id: string; tags: { id: string; detail: string }[] }[];
    const row = groups.find((g) => g.id === 'preference')?.tags.find((x) => x.id === 'phone_vip');
    expect(row).toBeDefined();
    return row!;
  }, 20_000);
  expect(saved.detail).toBe('phone_vip · 手动 · 长期有效');

  await tapOn(tags, '#bulk-segment-birthday-club');
  await tapOn(tags, '#bulk-tag-phone_vip');
  await tapOn(tags, '#bulk-start');
  await eventually(async () => expect(await tags.data('job')).not.toBeNull(), 20_000);
  await app.mp.restoreWxMethod('showModal');
  const done = await eventually(async () => {
    await tags.callMethod('onPullDownRefresh');
    const job = (await tags.data('job')) as { state: string; changed: number };
    expect(job.state).toBe('done');
    return job;
  }, 60_000);
  expect(done.changed).toBeGreaterThan(0);
  expect(await tags.data('jobLine')).toMatch(/^添加「手机贵宾」：已变更 \d+ 人 · .+ 完成$/);
  await app.h.screenshot('tags-01-job-done');

  await app.mp.navigateTo('/packageAdmin/pages/member/index');
  const member = await app.settled('packageAdmin/pages/member/index');
  await typeInto(member, '#lookup-query', '林小满');
  await tapOn(member, '#lookup-go');
  const held = await eventually(async () => {
    const timeline = (await member.data('timeline')) as { tags: { id: string; line: string }[] } | null;
    expect(timeline).not.toBeNull();
    return timeline!.tags;
  }, 20_000);
  expect(held.find((x) => x.id === 'phone_vip')?.line).toMatch(/^手动 · \d{4}-\d{2}-\d{2}$/);
});
