import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brand } from '../../miniprogram/config/brand';

/** WCAG 2 contrast of the brand's text colours on the backgrounds they are shown on: AA (4.5:1) for text. */
const luminance = (hex: string): number => {
  const [r, g, b] = [1, 3, 5]
    .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
};
const contrast = (a: string, b: string): number => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
};

test('brand colours pass WCAG AA for text where they are used', () => {
  const c = brand.colors;
  const pairs: [string, string, string][] = [
    ['text on background', c.text, c.background],
    ['muted on white cards', c.muted, '#ffffff'],
    ['muted on background', c.muted, c.background],
    ['primary on white', c.primary, '#ffffff'],
    ['on-primary on primary', c.onPrimary, c.primary],
    ['primary on primary-light (banners, avatars)', c.primary, c.primaryLight],
    ['muted on primary-light', c.muted, c.primaryLight],
  ];
  const failing = pairs
    .filter(([, fg, bg]) => contrast(fg, bg) < 4.5)
    .map(([what, fg, bg]) => `${what}: ${contrast(fg, bg).toFixed(2)}`);
  expect(failing).toEqual([]);
});

test("the tab bar's label colours pass AA on its background", () => {
  const app = JSON.parse(readFileSync(join(__dirname, '..', '..', 'miniprogram', 'app.json'), 'utf8')) as {
    tabBar: { color: string; selectedColor: string; backgroundColor: string };
  };
  expect(contrast(app.tabBar.color, app.tabBar.backgroundColor)).toBeGreaterThanOrEqual(4.5);
  expect(contrast(app.tabBar.selectedColor, app.tabBar.backgroundColor)).toBeGreaterThanOrEqual(4.5);
});
