import { ok, refused } from '../../support/miniprogram/fake-wx';
import { actions, openLoaded, run, settle } from '../../support/miniprogram/page-calls';
import { advisor, brandAdmin, catalogue, manager, setUp, tapWith, type Harness } from './fixtures-manage';

/** Store and advisor QR codes (the S1 entry points staff hand out): make, show, save, preview. */
const PAGE = 'packageAdmin/pages/qrcodes/index';
const SH = 'store_sh_xintiandi';
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const code = (patch: Record<string, unknown> = {}) => ({
  qrcodeId: 'q0001',
  scene: `s=${SH}`,
  page: 'pages/index/index',
  contentType: 'image/png',
  imageBase64: PNG,
  ...patch,
});

let h: Harness;
let written: { filePath: string; data: string; encoding: string }[];
let albumSaves: string[];
let albumAnswer: { ok: boolean; errMsg?: string };
let previews: string[][];
let settingsOpened: number;
beforeEach(() => {
  h = setUp();
  written = [];
  albumSaves = [];
  albumAnswer = { ok: true };
  previews = [];
  settingsOpened = 0;
  Object.assign(h.wx.api, {
    env: { USER_DATA_PATH: 'wxfile://usr' },
    getFileSystemManager: () => ({
      writeFile: (o: { filePath: string; data: string; encoding: string; success?: () => void }) => {
        written.push({ filePath: o.filePath, data: o.data, encoding: o.encoding });
        o.success?.();
      },
    }),
    saveImageToPhotosAlbum: (o: { filePath: string; success?: () => void; fail?: (e: { errMsg: string }) => void }) => {
      albumSaves.push(o.filePath);
      if (albumAnswer.ok) o.success?.();
      else o.fail?.({ errMsg: albumAnswer.errMsg ?? 'saveImageToPhotosAlbum:fail' });
    },
    previewImage: (o: { urls: string[] }) => void previews.push(o.urls),
    openSetting: () => void settingsOpened++,
  });
});

test('S1 a manager makes the store code: exact input, the image, the scene; saving writes the file then saves it to the album', async () => {
  h.wx.answers.push(ok({ staff: manager }), ok(catalogue));
  const page = await openLoaded(h.wx, PAGE);
  expect(page.data).toMatchObject({ status: 'ready', storeId: SH, storeCodeAllowed: true, myCodeAllowed: true });
  h.wx.answers.push(ok(code()));
  await run(page, 'makeStoreCode');
  expect(h.wx.calls[2]!.data).toEqual({ action: 'createStoreCode', storeId: SH });
  expect(page.data.code).toMatchObject({
    kind: '门店码 · 上海新天地店',
    scene: `s=${SH}`,
    page: 'pages/index/index',
    src: `data:image/png;base64,${PNG}`,
  });

  await run(page, 'save');
  await settle();
  expect(written).toEqual([{ filePath: 'wxfile://usr/qrcode-q0001.png', data: PNG, encoding: 'base64' }]);
  expect(albumSaves).toEqual(['wxfile://usr/qrcode-q0001.png']);
  expect(h.wx.toasts).toEqual(['已保存到相册']);

  await run(page, 'preview');
  expect(previews).toEqual([['wxfile://usr/qrcode-q0001.png']]);
});

test('S1 an advisor makes only their own code, with a campaign tag; the store code is not offered', async () => {
  h.wx.answers.push(ok({ staff: advisor }), ok(catalogue));
  const page = await openLoaded(h.wx, PAGE);
  expect(page.data).toMatchObject({ storeCodeAllowed: false, myCodeAllowed: true });
  run(page, 'onCampaign', { detail: { value: ' spring-26 ' } });
  h.wx.answers.push(ok(code({ scene: `s=${SH}&a=staff_advisor_sh&c=spring-26` })));
  await run(page, 'makeMyCode');
  expect(h.wx.calls[2]!.data).toEqual({
    action: 'createStoreCode',
    storeId: SH,
    advisorId: 'staff_advisor_sh',
    campaign: 'spring-26',
  });
  expect(page.data.code).toMatchObject({
    kind: '顾问码 · 上海新天地店 · 李顾问',
    scene: `s=${SH}&a=staff_advisor_sh&c=spring-26`,
  });
});

test('a brand admin with no store of their own makes store codes for any store, but no advisor code', async () => {
  h.wx.answers.push(ok({ staff: brandAdmin }), ok(catalogue));
  const page = await openLoaded(h.wx, PAGE);
  expect(page.data.stores.map((s: { storeId: string }) => s.storeId)).toEqual([SH, 'store_sz_wanxiang']);
  expect(page.data).toMatchObject({ storeCodeAllowed: true, myCodeAllowed: false });
  run(page, 'pickStore', tapWith({ id: 'store_sz_wanxiang' }));
  h.wx.answers.push(ok(code({ scene: 's=store_sz_wanxiang' })));
  await run(page, 'makeStoreCode');
  expect(h.wx.calls[2]!.data).toEqual({ action: 'createStoreCode', storeId: 'store_sz_wanxiang' });
});

test('a refusal is explained in the page’s words and shows no image; an unknown code shows the server message', async () => {
  h.wx.answers.push(ok({ staff: manager }), ok(catalogue));
  const page = await openLoaded(h.wx, PAGE);
  h.wx.answers.push(refused('WECHAT_API_FAILED', '生成小程序码失败 / WeChat could not make the code'));
  await run(page, 'makeStoreCode');
  expect(page.data).toMatchObject({ code: null, busy: false, error: '生成失败：微信暂时无法生成小程序码，请稍后重试' });
  h.wx.answers.push(refused('INVALID_INPUT', 'campaign: 1–16 of A-Z a-z 0-9 _ -'));
  run(page, 'onCampaign', { detail: { value: '春季' } });
  await run(page, 'makeStoreCode');
  expect(h.wx.calls.at(-1)!.data).toMatchObject({ campaign: '春季' });
  expect(page.data.error).toBe('生成失败：活动标记只能是 1–16 位字母、数字、_ 或 -');
  h.wx.answers.push(refused('QUOTA_EXCEEDED', '今日生成次数已用完'));
  await run(page, 'makeStoreCode');
  expect(page.data).toMatchObject({ code: null, error: '今日生成次数已用完' });
});

test('album permission refused: the page asks to open settings (cancelled → settings stay closed)', async () => {
  h.wx.answers.push(ok({ staff: manager }), ok(catalogue), ok(code()));
  const page = await openLoaded(h.wx, PAGE);
  await run(page, 'makeStoreCode');
  albumAnswer = { ok: false, errMsg: 'saveImageToPhotosAlbum:fail auth deny' };
  h.modalAnswers.push(false, true);
  await run(page, 'save');
  await settle();
  expect(h.modals).toEqual(['需要允许保存到相册才能下载二维码，去设置中开启？']);
  expect(settingsOpened).toBe(0);
  await run(page, 'save');
  await settle();
  expect(settingsOpened).toBe(1);
  albumAnswer = { ok: false, errMsg: 'saveImageToPhotosAlbum:fail disk full' };
  await run(page, 'save');
  await settle();
  expect(h.wx.toasts).toEqual(['保存失败，请稍后重试']);
});

test('error state with retry; not staff → empty state and no code call', async () => {
  h.wx.answers.push(ok({ staff: manager }), refused('INTERNAL', '服务繁忙'));
  const page = await openLoaded(h.wx, PAGE);
  expect(page.data).toMatchObject({ status: 'error', message: '服务繁忙，请稍后重试' });
  h.wx.answers.push(ok(catalogue));
  run(page, 'retry');
  await settle();
  expect(page.data.status).toBe('ready');

  h = setUp();
  h.wx.answers.push(ok({ staff: null }), ok(catalogue));
  const visitor = await openLoaded(h.wx, PAGE);
  expect(visitor.data).toMatchObject({ status: 'empty', emptyText: '仅门店员工可生成二维码' });
  await run(visitor, 'makeStoreCode');
  expect(actions(h.wx)).toEqual(['admin.staff.me', 'appointments.catalogue']);
});
