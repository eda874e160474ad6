import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { i18n } from '../support/miniprogram/app-modules';
import { ok, refused, type FakeWx } from '../support/miniprogram/fake-wx';
import { openPage } from '../support/miniprogram/page-harness';
import { actions, coupon, memberView, offer, openLoaded, run, settle, setUp } from './member/fixtures';

/**
 * The loadable behaviour as the pages that use it show it: the loading state first, an error with
 * the reader's text and a retry, a pull-down that reads again and ends the refresh, and the next page
 * at the bottom for a paged list. The pages using it are found in the sources, so a page added later is
 * checked too.
 */
const ROOT = join(__dirname, '../../miniprogram');
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name === 'index.ts' ? [path] : [];
  });
}
const USERS = sources(ROOT)
  .filter((file) => /behaviors: \[loadable\]|\.\.\.loadablePage\(/.test(readFileSync(file, 'utf8')))
  .map((file) => relative(ROOT, file).replace(/\.ts$/, ''));

let wx: FakeWx;
beforeEach(() => {
  ({ wx } = setUp());
});
const busy = () => i18n().dict('zh').errors!.INTERNAL;

describe('loadable pages', () => {
  test('the behaviour is in use by the list and detail pages', () => {
    expect(USERS.length).toBeGreaterThanOrEqual(7);
  });

  test.each(USERS)("%s: own pull-down and retry are the behaviour's; the template offers the retry", (page) => {
    const code = readFileSync(join(ROOT, `${page}.ts`), 'utf8');
    expect(code).not.toMatch(/onPullDownRefresh\(|\bretry\(\)|status: 'loading' as Status/);
    expect(readFileSync(join(ROOT, `${page}.wxml`), 'utf8')).toMatch(/<state-view[^>]*bind:retry="retry"/);
    expect(JSON.parse(readFileSync(join(ROOT, `${page}.json`), 'utf8'))).toMatchObject({ enablePullDownRefresh: true });
  });

  test.each(USERS)(
    "%s: a refused load is the error state in the reader's words; pull-down ends its refresh",
    async (page) => {
      wx.fallback = refused('INTERNAL', 'internal');
      const p = await openLoaded(wx, page, { id: 'x1' });
      expect(p.data).toMatchObject({ status: 'error', message: busy() });
      await run(p, 'onPullDownRefresh');
      await settle();
      expect(wx.pullDownStops).toBe(1);
      expect(p.data.status).toBe('error');
    },
  );

  test('S10 the wallet: retry after a refusal reads the session again and shows the coupons', async () => {
    wx.answers.push(ok(memberView), refused('INTERNAL', 'internal'));
    const p = await openLoaded(wx, 'pages/coupons/index');
    expect(p.data.status).toBe('error');
    wx.answers.push(ok(memberView), ok({ items: [coupon()] }));
    run(p, 'retry');
    expect(p.data.status).toBe('loading');
    await settle();
    expect(p.data.status).toBe('ready');
    expect(p.data.items).toHaveLength(1);
    expect(actions(wx)).toEqual(['member.login', 'coupons.list', 'member.login', 'coupons.list']);
  });

  test('S5 a paged list: the bottom asks for the next page once at a time; a failed page says so and can be asked again', async () => {
    const order = (n: number) => ({
      orderId: `pos:P-${n}`,
      source: 'pos',
      orderNo: `P-${n}`,
      status: 'paid',
      totalFen: 100,
      paidFen: 100,
      refundedFen: 0,
      createdAt: '2026-05-01T02:00:00.000Z',
      paidAt: null,
      items: [],
      refunds: [],
      points: { earned: 1, reversed: 0 },
    });
    wx.answers.push(ok(memberView), ok({ items: [order(3)], page: 1, hasMore: true }));
    const p = await openLoaded(wx, 'packageMember/pages/orders/index');
    expect(p.data).toMatchObject({ status: 'ready', hasMore: true, loadingMore: false });

    wx.hold();
    run(p, 'onReachBottom');
    run(p, 'onReachBottom'); // a second scroll while the page is on its way asks nothing more
    expect(p.data.loadingMore).toBe(true);
    wx.answers.push(refused('INTERNAL', 'internal'));
    wx.release();
    await settle();
    expect(p.data).toMatchObject({ status: 'ready', loadingMore: false, moreError: busy(), hasMore: true });
    expect(actions(wx).filter((a) => a === 'orders.mine')).toHaveLength(2);

    wx.answers.push(ok({ items: [order(2)], page: 2, hasMore: false }));
    run(p, 'onReachBottom');
    await settle();
    expect(p.data).toMatchObject({ moreError: '', hasMore: false });
    expect(p.data.orders.map((o: { orderId: string }) => o.orderId)).toEqual(['pos:P-3', 'pos:P-2']);
    run(p, 'onReachBottom');
    await settle();
    expect(actions(wx).filter((a) => a === 'orders.mine')).toHaveLength(3);
  });

  test('a page with nothing to show is the empty state, and a pull-down refresh finds what arrived', async () => {
    wx.answers.push(ok(memberView), ok({ items: [] }));
    const p = await openLoaded(wx, 'packageMember/pages/claim-centre/index');
    expect(p.data.status).toBe('empty');
    wx.answers.push(
      ok({
        items: [offer({ totalStock: null, remaining: null, perMemberLimit: null })],
      }),
    );
    run(p, 'onPullDownRefresh');
    await settle();
    expect(p.data.status).toBe('ready');
    expect(wx.pullDownStops).toBe(1);
    const fresh = openPage('packageMember/pages/claim-centre/index');
    expect(fresh.data).toMatchObject({ status: 'loading', message: '', hasMore: false });
  });
});
