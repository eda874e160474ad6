import fc from 'fast-check';
import { formatScene, parseScene, sceneFromQuery, SCENE_MAX } from '../../../core/identity/scene';

const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);
const campaign = fc.stringMatching(/^[A-Za-z0-9_-]{1,6}$/);

test('S1 scene: a formatted scene parses back to the same store, advisor and campaign', () => {
  fc.assert(
    fc.property(id, fc.option(id, { nil: null }), fc.option(campaign, { nil: null }), (storeId, advisorId, c) => {
      const scene = formatScene({ storeId, advisorId, campaign: c });
      if (scene === null) return;
      expect(scene.length).toBeLessThanOrEqual(SCENE_MAX);
      expect(parseScene(scene)).toEqual({ kind: 'fields', storeId, advisorId, campaign: c });
    }),
  );
});

test('S1 scene: fields that do not fit in 32 characters give null (a q= reference is used instead)', () => {
  expect(formatScene({ storeId: 'store_sh_xintiandi', advisorId: 'staff_advisor_sh', campaign: null })).toBeNull();
  expect(parseScene('q=ab12cd34ef')).toEqual({ kind: 'ref', qrcodeId: 'ab12cd34ef' });
});

test.each([
  ['', 'empty'],
  ['garbage', 'no pairs'],
  ['s=', 'empty value'],
  ['s=a&s=b', 'repeated key'],
  ['s=a&x=1', 'unknown key'],
  ['a=adv', 'no store'],
  ['s=a b', 'space'],
  ['s=店', 'non-ASCII'],
  ['q=ab&s=x', 'reference mixed with fields'],
  ['s=' + 'x'.repeat(40), 'too long'],
  ['%E0%A4%A', 'bad escape'],
])('S1 scene: %j (%s) is malformed → null, never a throw', (raw) => {
  expect(parseScene(raw)).toBeNull();
});

test('S1 scene: arbitrary strings never throw', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 64 }), (s) => {
      const p = parseScene(s);
      if (p?.kind === 'fields')
        expect(formatScene(p)).toBe(
          s
            .split('&')
            .sort((a, b) => 'sac'.indexOf(a[0] as string) - 'sac'.indexOf(b[0] as string))
            .join('&'),
        );
    }),
  );
});

test('share path query: store required, bad advisor/campaign dropped', () => {
  expect(sceneFromQuery({ store: 'store_sh', advisor: 'staff_a', campaign: 'spring' })).toEqual({
    storeId: 'store_sh',
    advisorId: 'staff_a',
    campaign: 'spring',
  });
  expect(sceneFromQuery({ advisor: 'staff_a' })).toBeNull();
  expect(sceneFromQuery({ store: 'store_sh', advisor: 'bad id!' })).toEqual({
    storeId: 'store_sh',
    advisorId: null,
    campaign: null,
  });
});
