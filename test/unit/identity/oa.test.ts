import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { oaSignature, readOaMessage, verifyOaSignature } from '../../../core/identity/oa';
import { parseFlatXml } from '../../../server/oa/xml';

test('OA signature: sha1 of token, timestamp, nonce sorted and joined (the platform docs example shape)', () => {
  const expected = createHash('sha1').update(['1409304348', 'tok', 'xxxxxx'].sort().join('')).digest('hex');
  expect(oaSignature('tok', '1409304348', 'xxxxxx')).toBe(expected);
  expect(verifyOaSignature('tok', { signature: expected, timestamp: '1409304348', nonce: 'xxxxxx' })).toBe(true);
  expect(verifyOaSignature('tok', { signature: expected, timestamp: '1409304349', nonce: 'xxxxxx' })).toBe(false);
  expect(verifyOaSignature('other', { signature: expected, timestamp: '1409304348', nonce: 'xxxxxx' })).toBe(false);
  expect(verifyOaSignature('tok', { timestamp: '1409304348', nonce: 'xxxxxx' })).toBe(false);
});

const subscribeXml = `<xml>
  <ToUserName><![CDATA[gh_brand]]></ToUserName>
  <FromUserName><![CDATA[oa_follower_1]]></FromUserName>
  <CreateTime>1777600000</CreateTime>
  <MsgType><![CDATA[event]]></MsgType>
  <Event><![CDATA[subscribe]]></Event>
  <EventKey><![CDATA[qrscene_s=store_sh]]></EventKey>
  <Ticket><![CDATA[TICKET]]></Ticket>
</xml>`;

test('S3 OA XML: a subscribe through a parameterised QR code', () => {
  const x = parseFlatXml(subscribeXml);
  expect(x).toMatchObject({
    FromUserName: 'oa_follower_1',
    Event: 'subscribe',
    EventKey: 'qrscene_s=store_sh',
    CreateTime: '1777600000',
  });
  expect(readOaMessage(x!)).toEqual({
    oaOpenid: 'oa_follower_1',
    unionid: null,
    createdAt: new Date(1777600000 * 1000),
    event: { kind: 'subscribe', scene: 's=store_sh' },
  });
});

test('OA XML: SCAN, CLICK, VIEW, unsubscribe; plain text with entities', () => {
  const msg = (event: string, key = '') =>
    readOaMessage(
      parseFlatXml(
        `<xml><FromUserName>u1</FromUserName><CreateTime>1</CreateTime><MsgType>event</MsgType><Event>${event}</Event><EventKey>${key}</EventKey></xml>`,
      )!,
    );
  expect(msg('SCAN', 's=x')?.event).toEqual({ kind: 'scan', scene: 's=x' });
  expect(msg('CLICK', 'MENU_A')?.event).toEqual({ kind: 'click', key: 'MENU_A' });
  expect(msg('VIEW', 'https://x.cn/?a=1&amp;b=2')?.event).toEqual({ kind: 'view', url: 'https://x.cn/?a=1&b=2' });
  expect(msg('unsubscribe')?.event).toEqual({ kind: 'unsubscribe' });
  expect(msg('LOCATION')).toBeNull();
});

test.each([
  ['not xml', 'text'],
  ['<xml><A>1</A>', 'unclosed root'],
  ['<xml><A>1</B></xml>', 'mismatched'],
  ['<xml><A x="1">1</A></xml>', 'attribute'],
  ['<xml><A>1</A><A>2</A></xml>', 'duplicate element'],
  ['<xml><A>a<b</A></xml>', 'stray <'],
  ['<xml><A>&bogus;</A></xml>', 'unknown entity'],
  ['<xml><A><![CDATA[x]]>y]]></A></xml>', 'CDATA trailing'],
  ['<!DOCTYPE x [<!ENTITY e "boom">]><xml><A>&e;</A></xml>', 'DTD'],
])('OA XML: %s (%s) → null', (xml) => {
  expect(parseFlatXml(xml)).toBeNull();
});

test('OA XML: arbitrary input never throws, and text round-trips through CDATA', () => {
  fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => void parseFlatXml(s)));
  fc.assert(
    fc.property(
      fc.string({ maxLength: 50 }).filter((s) => !s.includes(']]>')),
      (s) => {
        expect(parseFlatXml(`<xml><Content><![CDATA[${s}]]></Content></xml>`)).toEqual({ Content: s });
      },
    ),
  );
});

test('OA XML: elements nested deeper than the parser allows are refused (null), not thrown', () => {
  const deep = `<xml>${'<a>'.repeat(3000)}${'</a>'.repeat(3000)}</xml>`;
  expect(parseFlatXml(deep)).toBeNull();
});
