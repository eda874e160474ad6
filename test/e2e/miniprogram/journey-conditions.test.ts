import { as } from '../../support/client';
import {
  element,
  eventually,
  fresh,
  simulateJourney,
  tapOn,
  typeInto,
  usePreview,
  type AppElement,
  type AppPage,
} from '../../support/preview';

/**
 * A brand admin builds a journey with a nested condition on the phone: one hour after joining, a
 * member who holds the young-professional tag or is a gold member, and who has not opted out of
 * marketing, gets 20 points. The admin simulates it and publishes it; then two people join, both
 * tagged by staff, one of whom opts out, and the real engine under the clock branches as the
 * condition says. Screenshots go to test-artifacts/miniprogram/.
 */

jest.setTimeout(300_000);

const ADMIN = 'o_demo_admin';
const TAG = 'hi_po_young_professional';
const app = usePreview({ persona: 'admin' }, async (h) => {
  // the brand admin's own segment of those who opted out of marketing
  const rule = { field: 'marketingOptIn', op: 'is', value: false };
  await as(h.emulator, ADMIN).ok('messaging', 'segments.save', { id: 'opted-out', name: '已退订营销', rule } as never);
});

/** The ids of the condition editors from the branch's root to `node`: `cond-1-0-1` is inside `cond-1-0`. */
function chain(node: string): string[] {
  const [head, step, ...rest] = node.split('-');
  const out = [`${head}-${step}`];
  for (const r of rest) out.push(`${out[out.length - 1]}-${r}`);
  return out;
}

/** An element inside the condition editor `node` (each node is a component, searched from its parent). */
async function inside(page: AppPage, node: string, selector: string): Promise<AppElement> {
  return eventually(async () => {
    const [first, ...more] = chain(node);
    let el = await page.$(`#${first}`);
    for (const id of more) el = el ? await el.$(`#${id}`) : null;
    const target = el ? await el.$(selector) : null;
    expect(target).not.toBeNull();
    return target!;
  });
}
const tapIn = (page: AppPage, node: string, selector: string) =>
  fresh(async () => (await inside(page, node, selector)).tap());
const pickIn = (page: AppPage, node: string, selector: string, value: number) =>
  fresh(async () => (await inside(page, node, selector)).trigger('change', { value }));
const pick = (page: AppPage, selector: string, value: number) =>
  fresh(async () => (await element(page, selector)).trigger('change', { value }));

/** Scrolls the page so that `selector` is at the top of the phone (for the screenshots). */
async function scrollTo(page: AppPage, selector: string): Promise<void> {
  const { top } = await (await element(page, selector)).offset();
  await app.mp.pageScrollTo(Math.max(0, top - 80));
}

async function dimension(page: AppPage, key: string): Promise<{ index: number; options: string[] }> {
  const dims = (await page.data('dims')) as { key: string; options: { value: string }[] }[];
  const index = dims.findIndex((d) => d.key === key);
  return { index, options: dims[index]!.options.map((o) => o.value) };
}

async function joinAs(openid: string, name: string): Promise<string> {
  const person = as(app.h.emulator, openid);
  const { memberId } = (await person.ok('member', 'login', {})) as { memberId: string };
  await person.ok('member', 'claimCard', {
    name,
    birthday: '1990-05-20',
    language: 'zh',
    consents: { privacyVersion: '2026-01', marketingOptIn: true },
  });
  await as(app.h.emulator, ADMIN).ok('admin', 'members.tag', { memberId, add: [TAG] });
  return memberId;
}
const advance = async (by: string) => {
  const r = await fetch(`${app.h.emulator.url}/clock`, { method: 'POST', body: JSON.stringify({ advance: by }) });
  const fired = ((await r.json()) as { fired: { ok: boolean }[] }).fired;
  expect(fired.filter((f) => !f.ok)).toEqual([]);
};
const journeyPoints = async (openid: string) => {
  const h = (await as(app.h.emulator, openid).ok('points', 'history', {})) as {
    items: { source: string; reason?: string; amount: number }[];
  };
  return h.items.filter((i) => i.source === 'journey' && i.reason === 'journey:phone-care').map((i) => i.amount);
};

test('S21 journeys: a brand admin builds a nested condition on the phone, and the engine branches as it says', async () => {
  await app.mp.navigateTo('/packageAdmin/pages/journeys/index');
  const list = await app.settled('packageAdmin/pages/journeys/index', { status: 'ready', timeoutMs: 60_000 });
  await tapOn(list, '#new-journey');
  const editor = await app.settled('packageAdmin/pages/journey-edit/index', { timeoutMs: 60_000 });
  await eventually(async () => expect(await editor.data('choicesStatus')).toBe('ready'), 20_000);

  await typeInto(editor, '#journey-name', '入会一小时关怀（手机）');
  await typeInto(editor, '#journey-id', 'phone-care');
  const triggers = (await editor.data('triggerOptions')) as string[];
  await pick(editor, '#journey-trigger', triggers.indexOf('member.joined'));
  const stepTypes = ['wait', 'waitUntil', 'waitForEvent', 'branch', 'send', 'tag', 'grantCoupon', 'points'];
  await pick(editor, '#add-step', stepTypes.indexOf('branch'));
  await pick(editor, '#add-step', stepTypes.indexOf('points'));
  await typeInto(editor, '#step-2-amount', '20');
  await typeInto(editor, '#step-1-then', 'points-1');

  // all of: (any of: the tag, gold tier), not: in the opted-out segment
  const tag = await dimension(editor, 'tag');
  const tier = await dimension(editor, 'tier');
  const segment = await dimension(editor, 'inSegment');
  expect(tier.options).toContain('gold');
  await tapIn(editor, 'cond-1', '#cond-1-group');
  await pickIn(editor, 'cond-1-0', '#cond-1-0-dim', tag.index);
  await pickIn(editor, 'cond-1-0', '#cond-1-0-value', tag.options.indexOf(TAG));
  await tapIn(editor, 'cond-1-0', '#cond-1-0-group');
  await tapIn(editor, 'cond-1-0', '#cond-1-0-any');
  await tapIn(editor, 'cond-1-0', '#cond-1-0-add');
  await pickIn(editor, 'cond-1-0-1', '#cond-1-0-1-dim', tier.index);
  await tapIn(editor, 'cond-1-0-1', '#cond-1-0-1-opt-gold');
  await tapIn(editor, 'cond-1', '#cond-1-add');
  await pickIn(editor, 'cond-1-1', '#cond-1-1-dim', segment.index);
  await pickIn(editor, 'cond-1-1', '#cond-1-1-value', segment.options.indexOf('opted-out'));
  await tapIn(editor, 'cond-1-1', '#cond-1-1-negate');
  const steps = (await editor.data('steps')) as { condition?: unknown }[];
  expect(steps[1]!.condition).toEqual({
    type: 'all',
    of: [
      {
        type: 'any',
        of: [
          { type: 'tag', has: TAG },
          { type: 'tier', in: ['gold'] },
        ],
      },
      { type: 'not', of: { type: 'inSegment', segmentId: 'opted-out' } },
    ],
  });
  await scrollTo(editor, '#step-1');
  await app.h.screenshot('journey-04-nested-condition');

  // the simulator: a described member with the tag goes the "then" way and would get the points
  await typeInto(editor, '#sim-tags', TAG);
  const timeline = await simulateJourney(editor);
  expect(timeline.map((r) => r.kind)).toEqual(['进入', '等待结束', '条件成立', '积分', '结束']);
  expect(timeline[2]!.detail).toBe(`（有标签 ${TAG} 或 等级 ∈ gold） 且 非（在分群 opted-out）`);
  await scrollTo(editor, '#sim-status');
  await app.h.screenshot('journey-05-nested-simulated');

  await app.mp.mockWxMethod('showModal', { confirm: true, cancel: false, errMsg: 'showModal:ok' });
  await tapOn(editor, '#publish-journey');
  await eventually(async () => expect(await editor.data('version')).toBe(1), 20_000);
  await app.mp.restoreWxMethod('showModal');

  // two people join and are tagged by staff; one of them opts out of marketing within the hour
  await joinAs('o_s21_keeps', '林女士');
  await joinAs('o_s21_leaves', '陈女士');
  await as(app.h.emulator, 'o_s21_leaves').ok('member', 'withdrawMarketing', {});
  await advance('70m');
  await eventually(async () => expect(await journeyPoints('o_s21_keeps')).toEqual([20]), 20_000);
  expect(await journeyPoints('o_s21_leaves')).toEqual([]);
});
