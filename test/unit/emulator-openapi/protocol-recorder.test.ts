import fc from 'fast-check';
import {
  OpenApiRecorder,
  decodeCommApiData,
  decodeCommOpenApiResp,
  encodeBinaryResp,
  encodeCommApiData,
  encodeJsonResp,
  phoneForCode,
} from '../../../emulator/openapi';

describe('wx.openApi protobuf', () => {
  // the bytes are those recorded in docs/emulator-wire.md#openapi-arguments
  test('the observed subscribeMessage.send bytes decode to the WeChat body', () => {
    // 08 00 = apiType OPEN_API written explicitly, then openapiData with one pair touser="\"OPENID\""
    const pair = Buffer.concat([
      Buffer.from([0x0a, 0x06]),
      Buffer.from('touser'),
      Buffer.from([0x12, 0x08]),
      Buffer.from('"OPENID"'),
    ]);
    const pairs = Buffer.concat([Buffer.from([0x0a, pair.length]), pair]);
    const bytes = Buffer.concat([Buffer.from([0x08, 0x00, 0x12, pairs.length]), pairs]);
    expect(decodeCommApiData('subscribeMessage.send', bytes)).toEqual({
      apiName: 'subscribeMessage.send',
      apiType: 'OPEN_API',
      appid: '',
      params: { touser: 'OPENID' },
    });
  });

  test('the JSON answer matches the observed CommOpenApiResp bytes for {"errcode":0,"errmsg":"ok"}', () => {
    const hex = encodeJsonResp({ errcode: 0, errmsg: 'ok' }).toString('hex');
    expect(
      hex.startsWith('0a1b7b22657272636f6465223a302c226572726d7367223a226f6b227d12106170706c69636174696f6e2f6a736f6e'),
    ).toBe(true);
  });

  test('any JSON params survive encode → decode', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/);
    fc.assert(
      fc.property(fc.dictionary(key, fc.jsonValue()), fc.string({ maxLength: 20 }), (params, appid) => {
        const decoded = decodeCommApiData('x.y', encodeCommApiData(params, appid));
        expect(decoded.appid).toBe(appid);
        expect(decoded.params).toEqual(JSON.parse(JSON.stringify(params)));
      }),
      { numRuns: 200 },
    );
  });

  test('binary answers carry their bytes and content type unchanged', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        const decoded = decodeCommOpenApiResp(encodeBinaryResp(bytes, 'image/png'));
        expect(decoded.contentType).toBe('image/png');
        expect(decoded.respData.equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });
});

describe('phoneForCode', () => {
  test('an explicit phone:<digits> code gives those digits; others a stable 1380000xxxx', () => {
    expect(phoneForCode('phone:13800138000')).toBe('13800138000');
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((c) => !c.startsWith('phone:')),
        (code) => {
          const phone = phoneForCode(code);
          expect(phone).toMatch(/^1380000\d{4}$/);
          expect(phoneForCode(code)).toBe(phone);
        },
      ),
    );
  });
});

describe('OpenApiRecorder faults', () => {
  const recorder = () => new OpenApiRecorder(() => new Date('2026-01-01T00:00:00Z'));

  test('a fault lasts `times` calls, faults for one API queue in order, other APIs are untouched', () => {
    const r = recorder();
    r.inject('subscribeMessage.send', { errcode: 45009, times: 2 });
    r.inject('subscribeMessage.send', { delayMs: 50 });
    expect(r.takeFault('security.msgSecCheck')).toBeUndefined();
    const taken = [1, 2, 3, 4].map(() => r.takeFault('subscribeMessage.send'));
    expect(taken).toEqual([{ errcode: 45009, times: 2 }, { errcode: 45009, times: 2 }, { delayMs: 50 }, undefined]);
  });

  test('times: Infinity lasts until clearFaults()', () => {
    const r = recorder();
    r.inject('wxacode.getUnlimited', { errcode: -1, times: Infinity });
    for (let i = 0; i < 50; i++) expect(r.takeFault('wxacode.getUnlimited')).toMatchObject({ errcode: -1 });
    expect(r.pendingFaults()).toHaveLength(1);
    r.clearFaults();
    expect(r.takeFault('wxacode.getUnlimited')).toBeUndefined();
  });

  test('times below 1 is refused', () => {
    expect(() => recorder().inject('x.y', { errcode: 1, times: 0 })).toThrow(/at least 1/);
  });

  test('records carry seq in order and the injected clock; clear() empties', () => {
    const r = recorder();
    const first = r.record({
      apiName: 'a.b',
      appid: '',
      openid: 'o1',
      params: {},
      outcome: { errcode: 0, errmsg: 'ok', response: {} },
    });
    const second = r.record({
      apiName: 'a.b',
      appid: '',
      openid: 'o2',
      params: {},
      outcome: { errcode: 0, errmsg: 'ok', response: {} },
    });
    expect(second.seq).toBe(first.seq + 1);
    expect(first.at).toBe('2026-01-01T00:00:00.000Z');
    r.clear();
    expect(r.list()).toEqual([]);
  });
});
