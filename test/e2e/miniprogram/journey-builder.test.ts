import {
  eventually,
  fresh,
  element,
  simulateJourney,
  tapOn,
  typeInto,
  usePreview,
  type AppPage,
} from '../../support/preview';

/**
 * A brand admin builds a journey on the phone (browser preview against the emulator): a new
 * journey from the journeys list, an order trigger, a 30-minute wait and a payment reminder;
 * simulates it for a member who subscribed to the reminder; publishes it as version 1. The live
 * journey is then what the engine runs. Screenshots go to test-artifacts/miniprogram/.
 */

jest.setTimeout(240_000);

const app = usePreview({ persona: 'admin' });

const pick = (page: AppPage, selector: string, value: number) =>
  fresh(async () => (await element(page, selector)).trigger('change', { value }));
const messagingCalls = (action: string) =>
  app.h.emulator.runtime
    .invocations(500, 'messaging')
    .filter((i) => (i.input as { action?: string }).action === action);

test('S21 journeys: a brand admin builds, simulates and publishes a journey on the phone', async () => {
  await app.mp.navigateTo('/packageAdmin/pages/journeys/index');
  const list = await app.settled('packageAdmin/pages/journeys/index');
  expect(await list.data('status')).toBe('ready');
  await tapOn(list, '#new-journey');
  const editor = await app.settled('packageAdmin/pages/journey-edit/index');
  expect(await editor.data('isNew')).toBe(true);

  await typeInto(editor, '#journey-name', '下单未付提醒（手机）');
  await typeInto(editor, '#journey-id', 'phone-unpaid');
  const triggers = (await editor.data('triggerOptions')) as string[];
  await pick(editor, '#journey-trigger', triggers.indexOf('order.created'));
  await typeInto(editor, '#step-0-duration', '30m');
  const stepTypes = ['wait', 'waitUntil', 'waitForEvent', 'branch', 'send'];
  await pick(editor, '#add-step', stepTypes.indexOf('send'));
  await typeInto(editor, '#step-1-template', 'order_unpaid_reminder');
  await pick(editor, '#step-1-purpose', 1); // transactional
  await app.h.screenshot('journey-01-built');

  await typeInto(editor, '#sim-consents', 'order_unpaid_reminder');
  const timeline = await simulateJourney(editor);
  expect(timeline.map((r) => r.kind)).toEqual(['进入', '等待结束', '发送', '结束']);
  expect(timeline[2]!.detail).toBe('subscribe:order_unpaid_reminder');
  expect(await editor.data('simStatus')).toBe('结果：完成');
  expect(messagingCalls('journeys.create')).toHaveLength(1);
  await app.h.screenshot('journey-02-simulated');

  await app.mp.mockWxMethod('showModal', { confirm: true, cancel: false, errMsg: 'showModal:ok' });
  await tapOn(editor, '#publish-journey');
  await eventually(async () => expect(await editor.data('version')).toBe(1), 20_000);
  await app.mp.restoreWxMethod('showModal');
  expect(await editor.data('statusLine')).toBe('已发布 · 第 1 版');
  await app.h.screenshot('journey-03-published');

  expect(messagingCalls('journeys.publish')).toHaveLength(1);

  // back on the list (pulled to refresh), the journey is live as version 1 with the steps built on the phone
  await app.mp.navigateBack();
  const back = await app.settled('packageAdmin/pages/journeys/index');
  await back.callMethod('onPullDownRefresh');
  const got = await eventually(async () => {
    const items = (await back.data('items')) as { id: string; version: string; steps: { label: string }[] }[];
    const mine = items.find((i) => i.id === 'phone-unpaid');
    expect(mine).toBeDefined();
    return mine!;
  }, 20_000);
  expect(got.version).toBe('已发布 · 第 1 版');
  expect(got.steps.map((s) => s.label)).toEqual(['等待 · 30m', '发送消息 · subscribe:order_unpaid_reminder']);
});
