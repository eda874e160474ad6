import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { appErrorCodes } from '../../core/errors';
import en from '../../miniprogram/i18n/en.json';
import zh from '../../miniprogram/i18n/zh.json';
import { cloud, i18n } from '../support/miniprogram/app-modules';
import { appModule } from '../support/miniprogram/built-app';
import { installFakeWx } from '../support/miniprogram/fake-wx';

/**
 * Errors are shown by their stable code: every code an action can answer has a text in both
 * dictionaries, and the pages' error text is that text in the reader's language, never the
 * server's "中文 / English" message.
 */
const CORE = join(__dirname, '..', '..', 'core');
/** Refusals the pure rules name (slot full, cancel too late, …): the Mini Program shows each. */
function ruleCodes(): string[] {
  const dirs = ['appointments', 'coupons', 'ledger'];
  const files = dirs.flatMap((d) =>
    readdirSync(join(CORE, d))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(CORE, d, f)),
  );
  return files.flatMap((f) =>
    [...readFileSync(f, 'utf8').matchAll(/ErrorCodes\.([A-Z][A-Z]+(?:_[A-Z]+)+)/g)].map((m) => m[1]!),
  );
}
const codes = [...new Set([...appErrorCodes, ...ruleCodes()])].sort();

test('every error code has a text in Chinese and in English', () => {
  expect(codes.length).toBeGreaterThan(40);
  const missing = codes.filter((c) => !(c in zh.errors) || !(c in en.errors));
  expect(missing).toEqual([]);
  for (const c of codes) expect((en.errors as Record<string, string>)[c]).not.toMatch(/[\u4e00-\u9fff]/);
});

test("a refusal is shown by its code in the reader's language; an unknown code keeps the half of the message in that language", () => {
  installFakeWx();
  const viewState = appModule<{ errorText(err: unknown): string }>('utils/view-state');
  const refusal = new (cloud().ServiceError)('CARD_NOT_CLAIMED', '请先领取会员卡 / claim the member card first');
  i18n().setLang('en');
  expect(viewState.errorText(refusal)).toBe('Please claim your membership card first');
  i18n().setLang('zh');
  expect(viewState.errorText(refusal)).toBe('请先领取会员卡');
  expect(viewState.errorText(new (cloud().ServiceError)('SOMETHING_NEW', '新的问题 / something new'))).toBe('新的问题');
});
