import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT } from './build-miniprogram';

/**
 * The Mini Program's icons as PNG files inside the package (TDesign's icon font is loaded from a CDN,
 * which a phone may not reach, and the tab bar takes only local images): each SVG below is drawn by
 * Chromium at the size the platform asks for, in each colour it is shown in.
 * CLI: `node scripts/run-ts.js scripts/build-icons.ts` (needs Debian's chromium); the PNGs are committed.
 */

const SVG = (body: string, width = 1.8) =>
  `<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' fill='none' stroke='COLOR' stroke-width='${width}' stroke-linecap='round' stroke-linejoin='round'>${body}</svg>`;

const SHAPES: Record<string, string> = {
  home: SVG("<path d='M4 11l8-7 8 7v9h-5v-6h-6v6H4z'/>"),
  coupon: SVG("<path d='M3 7h18v3a2 2 0 0 0 0 4v3H3v-3a2 2 0 0 0 0-4z'/><path d='M14 7v10' stroke-dasharray='1.5 2'/>"),
  calendar: SVG("<rect x='4' y='5' width='16' height='15' rx='2'/><path d='M4 10h16M9 3v4M15 3v4'/>"),
  user: SVG("<circle cx='12' cy='8' r='4'/><path d='M4 20c1-4 4-6 8-6s7 2 8 6'/>"),
  coin: SVG("<circle cx='12' cy='12' r='8'/><path d='M9 10l3 3 3-3M12 13v4M9.5 14h5'/>"),
  gift: SVG(
    "<rect x='4' y='9' width='16' height='11' rx='1'/><path d='M12 9v11M4 13h16M12 9c-2-4-6-4-6-1s6 1 6 1c2-4 6-4 6-1s-6 1-6 1'/>",
  ),
  'chevron-right': SVG("<path d='M9 6l6 6-6 6'/>"),
  'info-circle': SVG("<circle cx='12' cy='12' r='9'/><path d='M12 11v6M12 7.5v.5'/>"),
  'error-circle': SVG("<circle cx='12' cy='12' r='9'/><path d='M12 7v6M12 16.5v.5'/>"),
};

/** name → [shape, colour, pixel size]: tab icons 81 px (normal and selected), the rest 48 px. */
export const ICONS: Record<string, [shape: string, colour: string, size: number]> = {
  'tab-home': ['home', '#6b6560', 81],
  'tab-home-active': ['home', '#8c2f39', 81],
  'tab-coupons': ['coupon', '#6b6560', 81],
  'tab-coupons-active': ['coupon', '#8c2f39', 81],
  'tab-appointments': ['calendar', '#6b6560', 81],
  'tab-appointments-active': ['calendar', '#8c2f39', 81],
  'tab-me': ['user', '#6b6560', 81],
  'tab-me-active': ['user', '#8c2f39', 81],
  'chevron-right': ['chevron-right', '#6b6560', 48],
  'shortcut-points': ['coin', '#8c2f39', 96],
  'shortcut-coupons': ['coupon', '#8c2f39', 96],
  'shortcut-booking': ['calendar', '#8c2f39', 96],
  'shortcut-invite': ['gift', '#8c2f39', 96],
  'info-circle': ['info-circle', '#6b6560', 96],
  'error-circle': ['error-circle', '#c0392b', 96],
};

export const ICONS_DIR = join(ROOT, 'miniprogram', 'assets', 'icons');

async function main(): Promise<void> {
  mkdirSync(ICONS_DIR, { recursive: true });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage();
    for (const [name, [shape, colour, size]] of Object.entries(ICONS)) {
      const svg = SHAPES[shape]!.replace(/COLOR/g, colour);
      // runs in the browser (this file is type-checked without the DOM library)
      const draw = `(async () => {
        const img = new Image();
        img.src = 'data:image/svg+xml;utf8,' + encodeURIComponent(${JSON.stringify(svg)});
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = ${size};
        canvas.height = ${size};
        canvas.getContext('2d').drawImage(img, 0, 0, ${size}, ${size});
        return canvas.toDataURL('image/png');
      })()`;
      const dataUrl = (await page.evaluate(draw)) as string;
      writeFileSync(join(ICONS_DIR, `${name}.png`), Buffer.from(dataUrl.split(',')[1]!, 'base64'));
    }
  } finally {
    await browser.close();
  }
}

if (/build-icons(\.[jt]s)?$/.test(process.argv[1] ?? '')) void main();
