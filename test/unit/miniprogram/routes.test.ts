import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROUTES, TAB_ROUTES, couponPage, landingPath, withQuery } from '../../../miniprogram/config/routes';

const ROOT = join(__dirname, '../../../miniprogram');
const app = JSON.parse(readFileSync(join(ROOT, 'app.json'), 'utf8')) as {
  pages: string[];
  subpackages: { root: string; pages: string[] }[];
  tabBar: { list: { pagePath: string }[] };
};
const appPages = [...app.pages, ...app.subpackages.flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))].map(
  (p) => `/${p}`,
);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'miniprogram_npm' ? [] : sources(path);
    return /\.(ts|wxml)$/.test(name) ? [path] : [];
  });
}

describe('the routes table', () => {
  test('every route is a page of app.json and every page of app.json has a route', () => {
    expect(Object.values(ROUTES).sort()).toEqual([...appPages].sort());
    expect(new Set(Object.values(ROUTES)).size).toBe(Object.values(ROUTES).length);
  });

  test('the tab routes are exactly the tab bar', () => {
    expect(Object.values(TAB_ROUTES).sort()).toEqual(app.tabBar.list.map((t) => `/${t.pagePath}`).sort());
  });

  test('no page path is spelled outside the table', () => {
    const table = join(ROOT, 'config/routes.ts');
    const spelled = sources(ROOT)
      .filter((file) => file !== table)
      .flatMap((file) => {
        const hits = readFileSync(file, 'utf8').match(/['"`]\/?(pages|package[A-Z]\w*\/pages)\/[\w-]+\/index/g) ?? [];
        return hits.map((hit) => `${relative(ROOT, file)}: ${hit}`);
      });
    expect(spelled).toEqual([]);
  });

  test('paths with a query encode their values and leave out empty ones', () => {
    expect(couponPage('c 1/2')).toBe('/packageMember/pages/coupon/index?id=c%201%2F2');
    expect(landingPath('t&x')).toBe('/packageReferral/pages/landing/index?ref=t%26x');
    expect(withQuery('bookingSlots', { service: 's1', store: '', appointment: undefined })).toBe(
      '/packageAppointments/pages/slots/index?service=s1',
    );
    expect(withQuery('bookingMine', {})).toBe(ROUTES.bookingMine);
  });
});
