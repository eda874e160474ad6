import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleOpenApi, OpenApiRecorder, encodeCommApiData, decodeCommOpenApiResp } from '../../../emulator/openapi';

// pngjs (qrcode's own dependency) and qrcode-reader decode the image independently of the encoder
// eslint-disable-next-line @typescript-eslint/no-require-imports -- pngjs ships no typings; the shape used is declared here
const { PNG } = require('pngjs') as {
  PNG: { sync: { read(b: Buffer): { width: number; height: number; data: Buffer } } };
};
// eslint-disable-next-line @typescript-eslint/no-require-imports -- qrcode-reader ships no typings
const QrReader = require('qrcode-reader') as new () => {
  callback: (err: unknown, v?: { result: string }) => void;
  decode(img: object): void;
};

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CLOCK = new Date('2026-03-01T02:00:00.000Z');

let server: Server;
let port: number;
let recorder: OpenApiRecorder;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- openapi calls the SDK's typings do not declare
let cloud: any;

function readQr(png: Buffer): string {
  const img = PNG.sync.read(png);
  let text = '';
  const reader = new QrReader();
  reader.callback = (err, v) => {
    if (err) throw new Error(String(err));
    text = v?.result ?? '';
  };
  reader.decode({ width: img.width, height: img.height, data: img.data });
  return text;
}

/** Plain HTTP, for bodies the SDK would never send. */
function post(
  headers: Record<string, string>,
  body: Buffer | string,
): Promise<{ status: number; contentType: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/admin?env=test-env', method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type']),
          body: Buffer.concat(chunks),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

function multipart(parts: { name: string; value: Buffer | string; contentType?: string }[]): {
  headers: Record<string, string>;
  body: Buffer;
} {
  const boundary = '----emulatortest1234';
  const chunks = parts.flatMap((p) => [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n${p.contentType ? `Content-Type: ${p.contentType}\r\n` : ''}\r\n`,
    ),
    Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value),
    Buffer.from('\r\n'),
  ]);
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: Buffer.concat([...chunks, Buffer.from(`--${boundary}--\r\n`)]),
  };
}

async function expectTcbInvalidParam(res: { status: number; contentType: string; body: Buffer }) {
  expect(res.status).toBe(200);
  expect(res.contentType).toBe('application/json; charset=utf-8');
  const json = JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
  expect(json).toEqual({ code: 'INVALID_PARAM', message: expect.any(String), requestId: expect.any(String) });
  return json;
}

async function rejection(p: Promise<unknown>): Promise<{ errCode: number; errMsg: string }> {
  try {
    await p;
  } catch (e) {
    return e as { errCode: number; errMsg: string };
  }
  throw new Error('expected the SDK call to fail');
}

beforeAll(async () => {
  recorder = new OpenApiRecorder(() => CLOCK);
  server = createServer((req, res) => {
    if (req.method === 'POST' && (req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
      void handleOpenApi(req, res, {
        recorder,
        now: () => CLOCK,
        context: { openid: 'oCALLER', appid: 'wxMEMBERAPP' },
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  process.env.TENCENTCLOUD = 'true';
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the emulator's address is set
  cloud = require('wx-server-sdk');
  cloud.init({ env: 'test-env', serviceUrl: `http://127.0.0.1:${port}/admin`, secretId: 'x', secretKey: 'y' });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  recorder.clear();
  recorder.clearFaults();
});

describe('emulator OpenAPI through the real wx-server-sdk', () => {
  test('subscribeMessage.send succeeds and is recorded with its params', async () => {
    const data = { thing1: { value: '会员积分到账' }, number2: { value: 120 } };
    const result = await cloud.openapi.subscribeMessage.send({
      touser: 'oMEMBER1',
      templateId: 'TPL_POINTS',
      page: 'pages/points/index',
      data,
      miniprogramState: 'developer',
    });
    expect(result).toMatchObject({ errCode: 0, errMsg: 'openapi.subscribeMessage.send:ok' });

    const [call, ...rest] = recorder.list();
    expect(rest).toHaveLength(0);
    expect(call).toMatchObject({
      apiName: 'subscribeMessage.send',
      openid: 'oMEMBER1',
      at: CLOCK.toISOString(),
      params: {
        touser: 'oMEMBER1',
        template_id: 'TPL_POINTS',
        page: 'pages/points/index',
        data,
        miniprogram_state: 'developer',
      },
      outcome: { errcode: 0, errmsg: 'ok' },
    });
  });

  test('subscribeMessage.send without data, or with a thing value over 20 characters, is 47003', async () => {
    const noData = await rejection(cloud.openapi.subscribeMessage.send({ touser: 'o1', templateId: 'T' }));
    expect(noData.errCode).toBe(47003);
    const tooLong = await rejection(
      cloud.openapi.subscribeMessage.send({
        touser: 'o1',
        templateId: 'T',
        data: { thing1: { value: '这是一段明显超过二十个字符限制的订阅消息内容文字' } },
      }),
    );
    expect(tooLong.errCode).toBe(47003);
    expect(tooLong.errMsg).toContain('thing1');
  });

  test('an injected 43101 fails the next call only, then sending works again', async () => {
    recorder.inject('subscribeMessage.send', { errcode: 43101 });
    const args = { touser: 'oMEMBER2', templateId: 'TPL', data: { thing1: { value: 'hi' } } };
    const err = await rejection(cloud.openapi.subscribeMessage.send(args));
    expect(err.errCode).toBe(43101);
    expect(err.errMsg).toContain('user refuse to accept the msg');
    await expect(cloud.openapi.subscribeMessage.send(args)).resolves.toMatchObject({ errCode: 0 });
    expect(
      recorder.list({ touser: 'oMEMBER2' }).map((c) => ('errcode' in c.outcome ? c.outcome.errcode : null)),
    ).toEqual([43101, 0]);
  });

  test('injected faults: -1 system busy for every call until cleared, and a late answer', async () => {
    recorder.inject('security.msgSecCheck', { errcode: -1, times: Infinity });
    for (let i = 0; i < 3; i++)
      expect((await rejection(cloud.openapi.security.msgSecCheck({ content: 'hello' }))).errCode).toBe(-1);
    recorder.clearFaults();
    await expect(cloud.openapi.security.msgSecCheck({ content: 'hello' })).resolves.toMatchObject({ errCode: 0 });

    recorder.inject('security.msgSecCheck', { delayMs: 300 });
    const started = performance.now();
    await expect(cloud.openapi.security.msgSecCheck({ content: 'hello' })).resolves.toMatchObject({ errCode: 0 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  test('wxacode.getUnlimited answers a real PNG QR code of page?scene=, and a 33-character scene is 40169', async () => {
    const result = await cloud.openapi.wxacode.getUnlimited({
      scene: 'store=S01&by=staff7',
      page: 'pages/member/index',
      width: 430,
      checkPath: false,
    });
    expect(result.contentType).toBe('image/png');
    expect(Buffer.isBuffer(result.buffer)).toBe(true);
    expect(result.buffer.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const text = readQr(result.buffer);
    const [page, query] = text.split('?');
    expect(page).toBe('pages/member/index');
    expect(new URLSearchParams(query).get('scene')).toBe('store=S01&by=staff7');
    expect(recorder.list({ apiName: 'wxacode.getUnlimited' })[0]?.outcome).toMatchObject({
      contentType: 'image/png',
      bytes: result.buffer.length,
    });

    const err = await rejection(
      cloud.openapi.wxacode.getUnlimited({ scene: 'x'.repeat(33), page: 'pages/member/index' }),
    );
    expect(err.errCode).toBe(40169);
    await expect(cloud.openapi.wxacode.getUnlimited({ scene: 'x'.repeat(32) })).resolves.toMatchObject({
      contentType: 'image/png',
    });
  });

  test('wxacode.get encodes its path', async () => {
    const result = await cloud.openapi.wxacode.get({ path: 'pages/coupon/index?id=C1' });
    expect(readQr(result.buffer)).toBe('pages/coupon/index?id=C1');
  });

  test('phonenumber.getPhoneNumber returns the number the code names, a stable fake otherwise, 40029 for a bad code', async () => {
    const r = await cloud.openapi.phonenumber.getPhoneNumber({ code: 'phone:13912345678' });
    expect(r.phoneInfo).toEqual({
      phoneNumber: '13912345678',
      purePhoneNumber: '13912345678',
      countryCode: '86',
      watermark: { appid: 'wxMEMBERAPP', timestamp: CLOCK.getTime() / 1000 },
    });
    const a = await cloud.openapi.phonenumber.getPhoneNumber({ code: 'wx-code-abc' });
    const b = await cloud.openapi.phonenumber.getPhoneNumber({ code: 'wx-code-abc' });
    expect(a.phoneInfo.phoneNumber).toMatch(/^1380000\d{4}$/);
    expect(b.phoneInfo.phoneNumber).toBe(a.phoneInfo.phoneNumber);
    expect((await rejection(cloud.openapi.phonenumber.getPhoneNumber({ code: 'invalid' }))).errCode).toBe(40029);
    expect(recorder.list({ apiName: 'phonenumber.getPhoneNumber' })[0]?.openid).toBe('oCALLER');
  });

  test('security.msgSecCheck: a banned word is 87014 risky content; v2 reports a risky suggestion', async () => {
    expect((await rejection(cloud.openapi.security.msgSecCheck({ content: '来玩赌博吧' }))).errCode).toBe(87014);
    await expect(cloud.openapi.security.msgSecCheck({ content: '今天天气不错' })).resolves.toMatchObject({
      errCode: 0,
    });
    const v2 = await cloud.openapi.security.msgSecCheck({ content: '来玩赌博吧', version: 2, scene: 2, openid: 'o1' });
    expect(v2.result).toMatchObject({ suggest: 'risky' });
  });

  test('uniformMessage.send is withdrawn (45109); unknown APIs are "API not found"', async () => {
    expect((await rejection(cloud.openapi.uniformMessage.send({ touser: 'o1' }))).errCode).toBe(45109);
    expect((await rejection(cloud.openapi.nosuch.thing({ a: 1 }))).errCode).toBe(-604100);
  });

  test('customer service and Official Account template messages', async () => {
    await expect(
      cloud.openapi.customerServiceMessage.send({ touser: 'o1', msgtype: 'text', text: { content: '您好' } }),
    ).resolves.toMatchObject({ errCode: 0 });
    expect(
      (await rejection(cloud.openapi.customerServiceMessage.send({ touser: 'o1', msgtype: 'voice' }))).errCode,
    ).toBe(47003);
    const sent = await cloud.openapi.templateMessage.send({
      touser: 'oOA1',
      templateId: 'OA_TPL',
      data: { first: { value: 'x' } },
    });
    expect(sent).toMatchObject({ errCode: 0, msgid: expect.any(Number) });
  });

  test('list filters by apiName, touser and since', async () => {
    await cloud.openapi.subscribeMessage.send({ touser: 'oA', templateId: 'T', data: { thing1: { value: '1' } } });
    await cloud.openapi.subscribeMessage.send({ touser: 'oB', templateId: 'T', data: { thing1: { value: '2' } } });
    await cloud.openapi.security.msgSecCheck({ content: 'ok' });
    const all = recorder.list();
    expect(all.map((c) => c.apiName)).toEqual([
      'subscribeMessage.send',
      'subscribeMessage.send',
      'security.msgSecCheck',
    ]);
    expect(recorder.list({ touser: 'oB' }).map((c) => c.params.touser)).toEqual(['oB']);
    expect(recorder.list({ since: all[0]?.seq }).map((c) => c.seq)).toEqual([all[1]?.seq, all[2]?.seq]);
    expect(recorder.list({ apiName: 'security.msgSecCheck' })).toHaveLength(1);
  });
});

describe('emulator OpenAPI refuses malformed bodies without crashing', () => {
  test('garbage multipart, missing apiName, undecodable protobuf: TCB JSON error, and the server keeps serving', async () => {
    await expectTcbInvalidParam(
      await post({ 'content-type': 'multipart/form-data; boundary=abc' }, 'this is not multipart at all'),
    );
    await expectTcbInvalidParam(await post({ 'content-type': 'multipart/form-data' }, '--x\r\n\r\n'));

    const noApi = multipart([
      { name: 'action', value: 'wx.openApi' },
      { name: 'requestData', value: encodeCommApiData({ touser: 'o' }), contentType: 'application/octet-stream' },
    ]);
    expect((await expectTcbInvalidParam(await post(noApi.headers, noApi.body))).message).toContain('apiName');

    const badPb = multipart([
      { name: 'action', value: 'wx.openApi' },
      { name: 'apiName', value: 'subscribeMessage.send' },
      {
        name: 'requestData',
        value: Buffer.from([0x12, 0xff, 0xff, 0xff, 0x0f, 0x01]),
        contentType: 'application/octet-stream',
      },
    ]);
    expect((await expectTcbInvalidParam(await post(badPb.headers, badPb.body))).message).toContain('CommApiData');
    expect(recorder.list()).toHaveLength(0);

    await expect(
      cloud.openapi.subscribeMessage.send({ touser: 'o1', templateId: 'T', data: { thing1: { value: 'still up' } } }),
    ).resolves.toMatchObject({ errCode: 0 });
  });

  test('a hand-built request gets a protobuf answer as application/octet-stream', async () => {
    const ok = multipart([
      { name: 'action', value: 'wx.openApi' },
      { name: 'apiName', value: 'uniformMessage.send' },
      { name: 'requestData', value: encodeCommApiData({ touser: 'o1' }), contentType: 'application/octet-stream' },
    ]);
    const res = await post(ok.headers, ok.body);
    expect(res.contentType).toBe('application/octet-stream');
    const decoded = decodeCommOpenApiResp(res.body);
    expect(decoded.contentType).toBe('application/json');
    expect(JSON.parse(decoded.respData.toString('utf8'))).toMatchObject({ errcode: 45109 });
  });
});
