/**
 * The preview page: a 375×812 phone (status bar, navigation bar, the page, tab bar) with the
 * persona switch outside it. Built-in components get WeChat's default look here.
 */

const BUILT_IN_CSS = `
wx-page { display: block; min-height: 100%; background: var(--pv-page-bg, #f7f7f7); }
wx-view, wx-scroll-view, wx-swiper, wx-swiper-item, wx-form, wx-navigator, wx-cover-view, wx-rich-text { display: block; }
wx-text, wx-label, wx-icon { display: inline; }
wx-block { display: contents; }
wx-image { display: inline-block; width: 320px; height: 240px; background-repeat: no-repeat; background-position: center; overflow: hidden; }
wx-input { display: block; min-height: 1.4em; }
wx-canvas { display: inline-block; width: 300px; height: 150px; }
.pv-canvas { display: block; width: 100%; height: 100%; }
.pv-input { all: unset; display: block; width: 100%; font: inherit; color: inherit; line-height: 1.4; }
.pv-input::placeholder { color: #b2b2b2; font-weight: 400; }
wx-button { position: relative; display: block; margin: 0 auto; padding: 0 14px; box-sizing: border-box; font-size: 18px; text-align: center; text-decoration: none; line-height: 2.55555556; border-radius: 5px; overflow: hidden; color: #000; background-color: #f8f8f8; cursor: pointer; }
wx-button::after { content: " "; width: 200%; height: 200%; position: absolute; top: 0; left: 0; border: 1px solid rgba(0,0,0,.2); transform: scale(.5); transform-origin: 0 0; box-sizing: border-box; border-radius: 10px; }
`;

/** TDesign's icon font lives on a CDN the preview cannot reach: the icons the app uses are drawn here, others as a ring. */
const svg = (body: string) =>
  `url("data:image/svg+xml;utf8,${encodeURIComponent(`<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' fill='none' stroke='black' stroke-width='1.8' stroke-linecap='round' stroke-linejoin='round'>${body}</svg>`)}")`;
const ICONS: Record<string, string> = {
  '': svg("<circle cx='12' cy='12' r='9'/>"),
  'info-circle': svg("<circle cx='12' cy='12' r='9'/><path d='M12 11v6M12 7.5v.5'/>"),
  'error-circle': svg("<circle cx='12' cy='12' r='9'/><path d='M12 7v6M12 16.5v.5'/>"),
  'check-circle': svg("<circle cx='12' cy='12' r='9'/><path d='M8 12l3 3 5-6'/>"),
  'chevron-right': svg("<path d='M9 6l6 6-6 6'/>"),
  'chevron-left': svg("<path d='M15 6l-6 6 6 6'/>"),
  close: svg("<path d='M6 6l12 12M18 6L6 18'/>"),
  add: svg("<path d='M12 5v14M5 12h14'/>"),
  scan: svg("<path d='M4 8V4h4M16 4h4v4M20 16v4h-4M8 20H4v-4M4 12h16'/>"),
  gift: svg(
    "<rect x='4' y='9' width='16' height='11' rx='1'/><path d='M12 9v11M4 13h16M12 9c-2-4-6-4-6-1s6 1 6 1c2-4 6-4 6-1s-6 1-6 1'/>",
  ),
  calendar: svg("<rect x='4' y='5' width='16' height='15' rx='2'/><path d='M4 10h16M9 3v4M15 3v4'/>"),
  user: svg("<circle cx='12' cy='8' r='4'/><path d='M4 20c1-4 4-6 8-6s7 2 8 6'/>"),
  search: svg("<circle cx='11' cy='11' r='6'/><path d='M16 16l4 4'/>"),
};
const ICON_CSS = Object.entries(ICONS)
  .map(
    ([name, url]) =>
      `wx-label[class*="--t-icon-${name}${name ? ' ' : ''}"]::before { content: ''; display: inline-block; width: 1em; height: 1em; vertical-align: -0.125em; background: currentColor; -webkit-mask: ${url} center / contain no-repeat; mask: ${url} center / contain no-repeat; }`,
  )
  .join('\n');

const SHELL_CSS = `
html, body { margin: 0; height: 100%; background: #e9e6e2; font-family: -apple-system, 'PingFang SC', 'Helvetica Neue', 'WenQuanYi Zen Hei', 'Noto Sans CJK SC', sans-serif; }
body { display: flex; flex-wrap: wrap; gap: 32px; align-items: flex-start; justify-content: center; padding: 24px; box-sizing: border-box; }
#phone { flex: none; --td-font-family: -apple-system, 'PingFang SC', 'Helvetica Neue', 'WenQuanYi Zen Hei', 'Noto Sans CJK SC', sans-serif; position: relative; width: 375px; height: 812px; background: #fff; border-radius: 40px; overflow: hidden; display: flex; flex-direction: column; box-shadow: 0 0 0 10px #1f1f1f, 0 20px 60px rgba(0,0,0,.35); font-size: 16px; color: #1f1f1f; -webkit-font-smoothing: antialiased; }
#pv-status { height: 44px; flex: none; display: flex; align-items: center; justify-content: space-between; padding: 0 28px; font-size: 14px; font-weight: 600; }
#pv-nav { height: 44px; flex: none; display: flex; align-items: center; justify-content: center; position: relative; font-size: 17px; font-weight: 600; }
#pv-back { position: absolute; left: 8px; border: 0; background: none; font-size: 24px; padding: 0 8px; cursor: pointer; }
#pv-capsule { position: absolute; right: 7px; width: 87px; height: 32px; border: 1px solid rgba(0,0,0,.12); border-radius: 16px; box-sizing: border-box; display: flex; align-items: center; justify-content: space-around; font-size: 14px; color: #333; }
#pv-body { flex: 1; overflow-y: auto; overflow-x: hidden; position: relative; background: #f7f5f2; }
.pv-page { min-height: 100%; }
#pv-tabbar { flex: none; height: 50px; padding-bottom: 34px; display: flex; border-top: 1px solid rgba(0,0,0,.08); }
#pv-tabbar[hidden] { display: none; }
.pv-tab { flex: 1; border: 0; background: none; font: inherit; font-size: 11px; display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 4px; cursor: pointer; }
.pv-tab-icon { width: 24px; height: 24px; }
.pv-tab-dot { width: 22px; height: 22px; border-radius: 7px; border: 2px solid; box-sizing: border-box; }
.pv-toast { position: absolute; left: 50%; top: 45%; transform: translate(-50%, -50%); min-width: 120px; max-width: 240px; padding: 16px; border-radius: 10px; background: rgba(17,17,17,.75); color: #fff; text-align: center; font-size: 15px; z-index: 20; }
.pv-toast-icon { font-size: 36px; line-height: 1.2; margin-bottom: 6px; }
.pv-toast-text { min-width: 0; padding: 10px 16px; }
.pv-mask { position: absolute; inset: 0; background: rgba(0,0,0,.5); z-index: 30; display: flex; align-items: center; justify-content: center; }
.pv-modal { width: 300px; background: #fff; border-radius: 12px; text-align: center; overflow: hidden; }
.pv-modal-title { font-weight: 600; font-size: 17px; padding: 28px 24px 8px; }
.pv-modal-content { color: #666; font-size: 15px; padding: 0 24px 24px; }
.pv-modal-actions { display: flex; border-top: 1px solid #eee; }
.pv-modal-actions button { flex: 1; border: 0; background: none; font: inherit; font-size: 17px; font-weight: 600; padding: 14px; cursor: pointer; }
.pv-modal-cancel { color: #000; border-right: 1px solid #eee !important; }
.pv-sheet { position: absolute; left: 0; right: 0; bottom: 0; background: #f2f2f2; border-radius: 12px 12px 0 0; overflow: hidden; }
.pv-sheet-title { text-align: center; color: #888; font-size: 13px; padding: 14px; background: #fff; border-bottom: 1px solid #eee; }
.pv-sheet button { display: block; width: 100%; border: 0; background: #fff; font: inherit; font-size: 16px; padding: 15px; border-bottom: 1px solid #eee; cursor: pointer; }
.pv-sheet-cancel { margin-top: 8px; padding-bottom: 40px !important; }
#pv-side { width: 280px; font-size: 14px; color: #333; }
#pv-side h1 { font-size: 18px; margin: 0 0 12px; }
#pv-side select, #pv-side button { width: 100%; font: inherit; padding: 8px; margin-bottom: 8px; }
`;

export function shellHtml(emulatorUrl: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>会员中心 · 预览 Preview</title>
<style>${SHELL_CSS}${BUILT_IN_CSS}${ICON_CSS}</style></head>
<body>
<div id="phone" aria-label="Mini Program preview">
  <div id="pv-status"><span>9:41</span><span>●●● 100%</span></div>
  <div id="pv-nav"><button id="pv-back" hidden aria-label="返回 Back">‹</button><span id="pv-title"></span><span id="pv-capsule" aria-hidden="true">••• ◎</span></div>
  <div id="pv-body"></div>
  <nav id="pv-tabbar" role="tablist" hidden></nav>
</div>
<aside id="pv-side">
  <h1>会员中心 · 预览</h1>
  <label for="pv-persona">身份 Persona</label>
  <select id="pv-persona"></select>
  <button id="pv-reset">清除本机存储 Reset device storage</button>
  <p>Cloud calls go to the local CloudBase emulator as the persona's OpenID. <a href="${emulatorUrl}/" target="_blank">Emulator console</a></p>
</aside>
<script src="/runtime.js"></script>
</body></html>`;
}
