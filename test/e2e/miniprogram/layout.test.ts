import { usePreview } from '../../support/preview';

/**
 * Every page a member, a visitor and staff reach, at 320, 375 and 414 px wide, in Chinese and
 * English: nothing sticks out of the phone sideways, no text is cut off, and every button is at
 * least 44 px tall. (Links drawn as views are not found here: the preview's DOM keeps no aria-role.)
 * Screenshots: test-artifacts/miniprogram/layout-<width>-<lang>-<page>.png.
 */

jest.setTimeout(900_000);

const WIDTHS = [320, 375, 414];
const LANGS = [
  ['zh', 'zh_CN'],
  ['en', 'en_US'],
] as const;
const STOPS: { name: string; persona: string; path: string }[] = [
  { name: 'home-member', persona: 'member', path: 'pages/home/index' },
  { name: 'coupons', persona: 'member', path: 'pages/coupons/index' },
  { name: 'appointments', persona: 'member', path: 'pages/appointments/index' },
  { name: 'me-member', persona: 'member', path: 'pages/me/index' },
  { name: 'points', persona: 'member', path: 'packageMember/pages/points/index' },
  { name: 'orders', persona: 'member', path: 'packageMember/pages/orders/index' },
  { name: 'claim-centre', persona: 'member', path: 'packageMember/pages/claim-centre/index' },
  { name: 'mall', persona: 'member', path: 'packageMember/pages/mall/index' },
  { name: 'profile', persona: 'member', path: 'packageMember/pages/profile/index' },
  { name: 'my-data', persona: 'member', path: 'packageMember/pages/my-data/index' },
  { name: 'invite', persona: 'member', path: 'packageReferral/pages/invite/index' },
  { name: 'home-visitor', persona: 'visitor', path: 'pages/home/index' },
  { name: 'claim', persona: 'visitor', path: 'packageMember/pages/claim/index' },
  { name: 'landing', persona: 'friend', path: 'packageReferral/pages/landing/index' },
  { name: 'me-staff', persona: 'staff', path: 'pages/me/index' },
  { name: 'staff-hub', persona: 'staff', path: 'packageAdmin/pages/index/index' },
  { name: 'scan', persona: 'staff', path: 'packageAdmin/pages/scan/index' },
  { name: 'journeys', persona: 'admin', path: 'packageAdmin/pages/journeys/index' },
  { name: 'journey-edit', persona: 'admin', path: 'packageAdmin/pages/journey-edit/index' },
  { name: 'tags', persona: 'admin', path: 'packageAdmin/pages/tags/index' },
  { name: 'insight', persona: 'admin', path: 'packageAdmin/pages/insight/index' },
  { name: 'repair', persona: 'admin', path: 'packageAdmin/pages/repair/index' },
  { name: 'member-lookup', persona: 'admin', path: 'packageAdmin/pages/member/index' },
];

const app = usePreview({ persona: 'member' });

interface Problem {
  kind: 'overflow' | 'clipped' | 'small-target';
  what: string;
}

/** Runs in the page: what sticks out, what is cut, which targets are too small. */
const inspect = `(() => {
  const phone = document.getElementById('phone').getBoundingClientRect();
  const root = document.querySelector('#pv-body .pv-page:not([hidden])');
  const out = [];
  const name = (el) => (el.className && typeof el.className === 'string' ? el.tagName.toLowerCase() + '.' + el.className.split(' ')[0] : el.tagName.toLowerCase()) + ' "' + (el.textContent || '').trim().slice(0, 24) + '"';
  for (const el of root.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || style.visibility === 'hidden') continue;
    if (r.right > phone.right + 1 || r.left < phone.left - 1) out.push({ kind: 'overflow', what: name(el) + ' ' + Math.round(r.left - phone.left) + '..' + Math.round(r.right - phone.left) });
    const clips = style.overflowX !== 'visible' && style.textOverflow !== 'ellipsis' && el.tagName !== 'CANVAS';
    if (clips && el.scrollWidth > el.clientWidth + 1 && (el.textContent || '').trim()) out.push({ kind: 'clipped', what: name(el) });
    if (el.tagName === 'WX-BUTTON' && r.height < 43.5) out.push({ kind: 'small-target', what: name(el) + ' ' + Math.round(r.height) + 'px' });
  }
  return out;
})()`;

test('S1–S21 layout: every page at 320, 375 and 414 px, in Chinese and English, fits, is not cut and has buttons of 44 px', async () => {
  const problems: string[] = [];
  for (const width of WIDTHS) {
    for (const [lang, systemLanguage] of LANGS) {
      for (const stop of STOPS) {
        await app.h.relaunch(stop.persona, { lang: systemLanguage, width, path: stop.path });
        await app.settled(stop.path, { timeoutMs: 20_000 });
        const found = (await app.h.page.evaluate(inspect)) as Problem[];
        for (const p of found) problems.push(`${width} ${lang} ${stop.name}: ${p.kind} ${p.what}`);
        if (width !== 375 || lang === 'en') await app.h.screenshot(`layout-${width}-${lang}-${stop.name}`);
      }
    }
  }
  expect(problems).toEqual([]);
});
