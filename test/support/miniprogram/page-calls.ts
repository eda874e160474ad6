import type { FakeWx } from './fake-wx';
import { openPage, run, settle, type PageInstance } from './page-harness';

/** `fn.action` labels of the cloud calls so far, in order. */
export const actions = (wx: FakeWx): string[] => wx.calls.map((c) => `${c.name}.${String(c.data.action)}`);

/** The input of the n-th call of one action (`coupons.claim`), without the routing key. */
export function inputOf(wx: FakeWx, action: string, nth = 0): Record<string, unknown> | undefined {
  const c = wx.calls.filter((x) => `${x.name}.${String(x.data.action)}` === action)[nth];
  if (!c) return undefined;
  const { action: _omit, ...input } = c.data;
  return input;
}

/** Opens a page with the cloud held, checks the loading state, then lets the scripted answers through. */
export async function openLoaded(wx: FakeWx, path: string, query: Record<string, string> = {}): Promise<PageInstance> {
  wx.hold();
  const page = openPage(path);
  run(page, 'onLoad', query);
  await settle();
  expect(page.data.status).toBe('loading');
  wx.release();
  await settle();
  return page;
}

export { run, settle };
