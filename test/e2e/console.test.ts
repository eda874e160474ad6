import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startEmulator, type Emulator } from '../../emulator/emulator';
import { seedDocuments } from '../../emulator/seed';
import { launchBrowser } from '../support/browser';
import { buildFixtureFunctions } from '../support/fixtures';

/** The emulator's web console in Debian's chromium: what a developer sees while working on the product. */

jest.setTimeout(60_000);

const SHOTS = join(__dirname, '..', '..', 'test-artifacts', 'console');
const OPENID = 'o_console_user';
const MEMBERS = [
  { _id: 'm1', name: '林小满', state: 'member', points: 120 },
  { _id: 'm2', name: 'Guest Two', state: 'guest', points: 0 },
  { _id: 'm3', name: '周一鸣', state: 'member', points: 30, joinedAt: new Date('2026-02-01T02:00:00Z') },
  { _id: 'm4', name: '王晴', state: 'member', points: 75 },
  { _id: 'm5', name: 'Guest Five', state: 'guest', points: 0 },
];

let browser: Browser;
let emu: Emulator;
let page: Page;

async function getJson<T>(path: string): Promise<T> {
  return (await fetch(`${emu.url}${path}`)).json() as Promise<T>;
}

async function invokeProbe(openid: string, data: Record<string, unknown>): Promise<unknown> {
  const res = await fetch(`${emu.url}/invoke/probe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ openid, data }),
  });
  return res.json();
}

/** Retries an assertion until the page catches up (the console refreshes every 2 s). */
async function eventually(check: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const docsTable = () => page.getByRole('table', { name: '文档 Documents' });
const idCells = async () => (await docsTable().locator('tbody tr td:first-child').allTextContents()).sort();

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchBrowser();
  emu = await startEmulator({
    functionsDir: buildFixtureFunctions(),
    collections: [{ name: 'probe_log' }, { name: 'members' }],
    startAt: new Date('2026-03-02T01:10:00Z'),
  });
  seedDocuments(emu, { members: MEMBERS });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(emu.url);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await emu?.close();
});

test('before anything runs, invocations and OpenAPI calls show an empty state', async () => {
  await eventually(async () => {
    expect(await page.locator('#invocation-list').textContent()).toContain('暂无数据');
    expect(await page.locator('#openapi-list').textContent()).toContain('暂无数据');
  });
});

test('the collections list shows each collection with its document count', async () => {
  const list = page.getByRole('navigation', { name: /集合列表/ });
  await eventually(async () => {
    expect((await list.getByRole('button', { name: /members/ }).textContent())?.replace(/\s+/g, ' ').trim()).toBe(
      `members ${MEMBERS.length}`,
    );
    expect((await list.getByRole('button', { name: /probe_log/ }).textContent())?.replace(/\s+/g, ' ').trim()).toBe(
      'probe_log 0',
    );
  });
});

test('a collection opens as a table; a JSON query narrows it to the matching documents', async () => {
  await page
    .getByRole('navigation', { name: /集合列表/ })
    .getByRole('button', { name: /members/ })
    .click();
  await eventually(async () => expect(await idCells()).toEqual(MEMBERS.map((m) => m._id).sort()));

  await page.getByLabel(/查询/).fill('{"state":"member"}');
  await page.getByRole('button', { name: /^查询/ }).click();
  const expected = MEMBERS.filter((m) => m.state === 'member')
    .map((m) => m._id)
    .sort();
  await eventually(async () => expect(await idCells()).toEqual(expected));
  expect(await page.locator('#docs-summary').textContent()).toContain(`共 ${expected.length} 条匹配`);
  const states = await docsTable()
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => r.textContent ?? ''));
  for (const row of states) expect(row).not.toContain('guest');
  await shot('collections-query');

  await page.getByRole('button', { name: 'JSON', exact: true }).click();
  await eventually(async () => {
    const shown = JSON.parse((await page.getByLabel(/Documents as JSON/).textContent()) ?? '[]') as { _id: string }[];
    expect(shown.map((d) => d._id).sort()).toEqual(expected);
  });
  await page.getByRole('button', { name: /表格/ }).click();
  await eventually(async () => expect(await idCells()).toEqual(expected));
});

test('paging with skip and limit walks through the matches', async () => {
  await page.getByLabel(/limit/).fill('2');
  await page.getByRole('button', { name: /^查询/ }).click();
  const expected = MEMBERS.filter((m) => m.state === 'member')
    .map((m) => m._id)
    .sort();
  await eventually(async () => expect(await idCells()).toEqual(expected.slice(0, 2)));
  expect(await page.getByRole('button', { name: /上一页/ }).isDisabled()).toBe(true);
  await page.getByRole('button', { name: /下一页/ }).click();
  await eventually(async () => expect(await idCells()).toEqual(expected.slice(2)));
  expect(await page.getByRole('button', { name: /下一页/ }).isDisabled()).toBe(true);
  expect(await page.getByLabel(/skip/).inputValue()).toBe('2');
});

test('a bad query shows the emulator’s error instead of documents', async () => {
  const bad = '{"state":';
  const direct = await fetch(`${emu.url}/api/collections/members?query=${encodeURIComponent(bad)}`);
  const { message } = (await direct.json()) as { message: string };
  expect(direct.status).toBe(400);

  await page.getByLabel(/查询/).fill(bad);
  await page.getByRole('button', { name: /^查询/ }).click();
  const alert = page.locator('#collections').getByRole('alert');
  await eventually(async () => expect(await alert.textContent()).toBe(`查询无效 Invalid query: ${message}`));
  expect(await docsTable().count()).toBe(0);
  await shot('collections-bad-query');

  await page.getByRole('button', { name: /清空/ }).click();
  await eventually(async () => expect(await alert.count()).toBe(0));
  await eventually(async () =>
    expect(await idCells()).toEqual(
      MEMBERS.map((m) => m._id)
        .sort()
        .slice(0, 2),
    ),
  );
});

test('an invocation appears newest first with its duration, DB calls, input, result and logs', async () => {
  await invokeProbe(OPENID, { probe: 'write', tag: 'from-console-test' });
  const sent = (await invokeProbe(OPENID, { probe: 'send' })) as { result: { errCode: number } };
  expect(sent.result.errCode).toBe(0);
  const { invocations } = await getJson<{
    invocations: { id: string; durationMs: number; dbCalls: number; input: { probe?: string } }[];
  }>('/api/invocations');
  const [newest, write] = invocations;
  expect(newest?.input.probe).toBe('send');
  expect(write?.dbCalls).toBeGreaterThan(0);

  const rows = page.getByRole('table', { name: '函数调用 Invocations' }).locator('tbody tr');
  await eventually(async () => expect(await rows.first().getAttribute('data-key')).toBe(newest?.id));
  const cells = async (id: string) =>
    (await page.locator(`tr[data-key="${id}"] td`).allTextContents()).map((t) => t.trim());
  const [fn, , , source, openid, duration, dbCalls, outcome] = await cells(newest!.id);
  expect([fn, source, openid, duration, dbCalls, outcome]).toEqual([
    'probe',
    'wx_client',
    OPENID,
    String(newest!.durationMs),
    String(newest!.dbCalls),
    '成功 ok',
  ]);
  expect((await cells(write!.id))[6]).toBe(String(write!.dbCalls));

  await page.locator(`tr[data-key="${newest!.id}"]`).getByRole('button').click();
  const detail = page.locator('#invocation-list td.detail');
  await eventually(async () => expect(await detail.textContent()).toContain('"probe": "send"'));
  expect(await detail.textContent()).toContain('"errCode": 0');
  expect(await detail.getByRole('heading', { name: /日志/ }).count()).toBe(1);
  await shot('invocations');
});

test('the recorded OpenAPI call shows api, touser, template id and errcode', async () => {
  const { calls } = await getJson<{ calls: { seq: number }[] }>('/openapi/calls?apiName=subscribeMessage.send');
  expect(calls).toHaveLength(1);
  const row = page.locator(`#openapi-list tr[data-key="${calls[0]!.seq}"]`);
  await eventually(async () => {
    const [api, , touser, template, outcome] = (await row.locator('td').allTextContents()).map((t) => t.trim());
    expect([api, touser, template, outcome]).toEqual(['subscribeMessage.send', OPENID, 'TPL', '0 成功 ok']);
  });
  await shot('openapi');
});

/** Half-hour marks in (from, to]: when the fixture's `every-30-min` timer is due. */
function halfHourMarks(from: Date, to: Date): number {
  const step = 30 * 60_000;
  return Math.floor(to.getTime() / step) - Math.floor(from.getTime() / step);
}

test('pressing +1h moves the emulator clock and lists the timers that fired', async () => {
  const before = new Date((await getJson<{ now: string }>('/clock')).now);
  await page.getByRole('button', { name: '+1h', exact: true }).click();
  const fired = page.getByRole('table', { name: /Fired timers/ }).locator('tbody tr');
  await eventually(async () => expect(await fired.count()).toBeGreaterThan(0));
  const after = new Date((await getJson<{ now: string }>('/clock')).now);
  expect(after.getTime() - before.getTime()).toBeGreaterThanOrEqual(3_600_000);
  expect(after.getTime() - before.getTime()).toBeLessThan(3_600_000 + 15_000);

  const rows = await fired.evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim())),
  );
  expect(rows).toHaveLength(halfHourMarks(before, new Date(before.getTime() + 3_600_000)));
  for (const [fn, trigger, , outcome] of rows)
    expect([fn, trigger, outcome]).toEqual(['probe', 'every-30-min', '成功 ok']);

  await eventually(async () => {
    const shownAt = new Date((await page.locator('#clock-now').getAttribute('title')) ?? '');
    expect(Math.abs(shownAt.getTime() - after.getTime())).toBeLessThan(10_000);
  });
  await eventually(async () =>
    expect(await page.locator('#invocation-list').textContent()).toContain('定时 every-30-min'),
  );
  await shot('clock');
});

test('the free advance field takes durations like 90m and explains a bad one', async () => {
  const before = new Date((await getJson<{ now: string }>('/clock')).now);
  await page.getByRole('textbox', { name: /推进/ }).fill('90m');
  await page.getByRole('button', { name: /^推进/ }).click();
  await eventually(async () => expect(await page.locator('#fired').textContent()).toContain('推进 90m'));
  const rows = page.getByRole('table', { name: /Fired timers/ }).locator('tbody tr');
  expect(await rows.count()).toBe(halfHourMarks(before, new Date(before.getTime() + 90 * 60_000)));

  await page.getByRole('textbox', { name: /推进/ }).fill('soon');
  await page.getByRole('button', { name: /^推进/ }).click();
  const alert = page.locator('#clock').getByRole('alert');
  await eventually(async () => expect(await alert.textContent()).toContain('invalid duration "soon"'));
});

test('pausing stops the auto-refresh; resuming shows what happened meanwhile', async () => {
  const pause = page.locator('#pause');
  await pause.click();
  expect(await pause.getAttribute('aria-pressed')).toBe('true');
  await invokeProbe('o_while_paused', { probe: 'context' });
  await new Promise((r) => setTimeout(r, 3_000));
  expect(await page.locator('#invocation-list').textContent()).not.toContain('o_while_paused');

  await pause.click();
  expect(await pause.getAttribute('aria-pressed')).toBe('false');
  await eventually(async () =>
    expect(await page.locator('#invocation-list').textContent()).toContain('o_while_paused'),
  );
});

const outcomeOf = async (id: string) => (await page.locator(`tr[data-key="${id}"] td`).nth(7).textContent())?.trim();

test('a call answered { ok: false } shows as a failure with its code, not as 成功 ok', async () => {
  await invokeProbe(OPENID, { probe: 'refuse' });
  const [refused] = (await getJson<{ invocations: { id: string }[] }>('/api/invocations?limit=1')).invocations;
  await eventually(async () => expect(await outcomeOf(refused!.id)).toBe('失败 NOT_A_MEMBER'));
  expect(await page.locator(`tr[data-key="${refused!.id}"] td .bad`).getAttribute('title')).toBe('join first');
  await shot('invocations-refused');
});

test('the show filter keeps user calls, timer runs or failures only', async () => {
  await invokeProbe(OPENID, { probe: 'throw' });
  type Row = { id: string; source: string; ok: boolean; result?: { ok?: boolean } };
  const all = (await getJson<{ invocations: Row[] }>('/api/invocations?limit=500')).invocations;
  const expected = {
    user: all.filter((i) => i.source === 'wx_client'),
    timer: all.filter((i) => i.source === 'timer'),
    errors: all.filter((i) => !i.ok || i.result?.ok === false),
  };
  expect(expected.user.length * expected.timer.length * expected.errors.length).toBeGreaterThan(0);
  const filter = page.getByLabel(/显示/);
  const rows = page.locator('#invocation-list tbody tr[data-key]');
  const shownKeys = () => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key')));
  for (const kind of ['user', 'timer', 'errors'] as const) {
    await filter.selectOption(kind);
    await eventually(async () => expect(await shownKeys()).toEqual(expected[kind].map((i) => i.id)));
  }
  await eventually(async () => {
    const outcomes = await page.locator('#invocation-list tbody tr[data-key] td:nth-child(8)').allTextContents();
    expect(outcomes.map((o) => o.trim()).sort()).toEqual(['失败 FUNCTIONS_EXECUTE_FAIL', '失败 NOT_A_MEMBER']);
  });
  await shot('invocations-errors');
  await filter.selectOption('all');
  await eventually(async () => expect(await shownKeys()).toHaveLength(all.length));
});

test('a QR code returned by OpenAPI is shown as an image in its row and in its detail', async () => {
  await invokeProbe(OPENID, { probe: 'qr' });
  type Call = { seq: number; outcome: { contentType: string; base64: string } };
  const { calls } = await getJson<{ calls: Call[] }>('/openapi/calls?apiName=wxacode.getUnlimited');
  expect(calls).toHaveLength(1);
  const row = page.locator(`#openapi-list tr[data-key="${calls[0]!.seq}"]`);
  await eventually(async () => expect(await row.locator('img').count()).toBe(1));
  const src = `data:${calls[0]!.outcome.contentType};base64,${calls[0]!.outcome.base64}`;
  expect(await row.locator('img').getAttribute('src')).toBe(src);
  await row.getByRole('button').click();
  const image = page.locator('#openapi-list td.detail').getByRole('img', { name: /wxacode.getUnlimited/ });
  const drawnWidth = () => image.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0));
  await eventually(async () => expect(await drawnWidth()).toBeGreaterThan(100));
  await shot('openapi-qr');
});
