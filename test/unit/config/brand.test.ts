import fc from 'fast-check';
import demo from '../../../config/brand.demo.json';
import example from '../../../config/brand.example.json';
import { checkBrandConfig, parseBrandConfig } from '../../../core/config/brand';
import { MESSAGE_TYPES } from '../../../core/config/messages';
import { parsePointsRules } from '../../../core/ledger/rules';
import { DEFAULT_MESSAGING_PREFS } from '../../../core/messaging/prefs';
import { DEFAULT_TIME_ZONE } from '../../../core/time';

const templates = Object.fromEntries(MESSAGE_TYPES.map((t) => [t, `tmpl_${t}_0001`]));
const minimal = {
  name: { zh: '苏韵旗袍', en: 'Taste of Su' },
  miniProgram: { appId: 'wx0123456789abcdef' },
  cloudbase: { envId: 'prod-1a2b3c' },
  subscriptionTemplates: templates,
};

const problemsOf = (input: unknown): string[] => {
  const r = checkBrandConfig(input);
  return r.ok ? [] : r.problems;
};

describe('brand configuration', () => {
  test('a missing subscription template is reported by its field path as required', () => {
    const { appointmentReminder: _, ...rest } = templates;
    expect(problemsOf({ ...minimal, subscriptionTemplates: rest })).toEqual([
      'subscriptionTemplates.appointmentReminder: required',
    ]);
  });

  test('whichever message types lose their template, exactly those field paths are named', () => {
    fc.assert(
      fc.property(fc.subarray([...MESSAGE_TYPES], { minLength: 1 }), (removed) => {
        const kept = Object.fromEntries(Object.entries(templates).filter(([t]) => !removed.includes(t as never)));
        expect(problemsOf({ ...minimal, subscriptionTemplates: kept }).sort()).toEqual(
          removed.map((t) => `subscriptionTemplates.${t}: required`).sort(),
        );
      }),
    );
  });

  test('missing required top-level sections are each named', () => {
    expect(problemsOf({}).sort()).toEqual([
      'cloudbase: required',
      'miniProgram: required',
      'name: required',
      'subscriptionTemplates: required',
    ]);
  });

  test('defaults: Asia/Shanghai, default points rules, one base tier, default messaging caps', () => {
    const c = parseBrandConfig(minimal);
    expect(c.timeZone).toBe(DEFAULT_TIME_ZONE);
    expect(c.points).toEqual(parsePointsRules({}));
    expect(c.tiers.tiers.map((t) => t.threshold)).toEqual([0]);
    expect(c.messaging).toEqual({
      capPerDay: DEFAULT_MESSAGING_PREFS.capPerDay,
      capPerWeek: DEFAULT_MESSAGING_PREFS.capPerWeek,
      quietHours: DEFAULT_MESSAGING_PREFS.quietHours,
    });
    expect(c.orderSync.sources).toEqual([]);
    expect(c.officialAccount).toBeUndefined();
  });

  test('an order-sync source names the variable holding its secret, ORDER_SYNC_SECRET_<NAME> by default', () => {
    const sources = [{ name: 'pos' }, { name: 'tmall', channel: 'ecommerce', secretEnv: 'TMALL_HMAC' }];
    const c = parseBrandConfig({ ...minimal, orderSync: { sources } });
    expect(c.orderSync.sources.map((s) => s.secretEnv)).toEqual(['ORDER_SYNC_SECRET_POS', 'TMALL_HMAC']);
  });

  test('a source is any lower-case name with its channel kind; a name that is a kind is its own kind', () => {
    const sources = [{ name: 'pos' }, { name: 'red_book', channel: 'ecommerce' }];
    const c = parseBrandConfig({ ...minimal, orderSync: { sources } });
    expect(c.orderSync.sources.map((s) => [s.name, s.channel])).toEqual([
      ['pos', 'pos'],
      ['red_book', 'ecommerce'],
    ]);
    const tmall = problemsOf({ ...minimal, orderSync: { sources: [{ name: 'tmall' }] } });
    expect(tmall).toEqual([expect.stringMatching(/^orderSync\.sources\.0\.channel: name the channel kind of "tmall"/)]);
    const jd = problemsOf({ ...minimal, orderSync: { sources: [{ name: 'jd', channel: 'marketplace' }] } });
    expect(jd[0]).toMatch(/^orderSync\.sources\.0\.channel:/);
  });

  test('a tier multiplier names a tier of tiers.tiers', () => {
    const problems = problemsOf({ ...minimal, points: { tierMultipliers: { gold: 2 } } });
    expect(problems).toEqual(['points.tierMultipliers.gold: no tier "gold" in tiers.tiers']);
  });

  test('a secret written into the config is refused, saying secrets belong in the environment', () => {
    const [p] = problemsOf({ ...minimal, orderSync: { sources: [{ name: 'pos', secret: 'abc123' }] } });
    expect(p).toMatch(/^orderSync\.sources\.0\.secret: secrets never go in the brand config/);
  });

  test('two sources with the same name are refused at the second one', () => {
    expect(problemsOf({ ...minimal, orderSync: { sources: [{ name: 'pos' }, { name: 'pos' }] } })).toContain(
      'orderSync.sources.1.name: duplicate source "pos"',
    );
  });

  test('an unknown time zone, a malformed appid and a misspelt field are each named', () => {
    const problems = problemsOf({
      ...minimal,
      timeZone: 'Mars/Olympus',
      miniProgram: { appId: 'touristappid' },
      timezone: 'Asia/Shanghai',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^timeZone: expected an IANA time zone/),
        expect.stringMatching(/^miniProgram\.appId: expected a WeChat appid/),
        'timezone: unknown field',
      ]),
    );
  });

  test('a valid IANA zone other than the default is kept', () => {
    expect(parseBrandConfig({ ...minimal, timeZone: 'Europe/Paris' }).timeZone).toBe('Europe/Paris');
  });

  test('tier rules are checked with their full path (thresholds must rise)', () => {
    const tiers = {
      tiers: [
        { id: 'a', name: { zh: '甲', en: 'A' }, threshold: 0 },
        { id: 'b', name: { zh: '乙', en: 'B' }, threshold: 0 },
      ],
    };
    expect(problemsOf({ ...minimal, tiers })).toEqual(['tiers.tiers.1.threshold: thresholds must rise strictly']);
  });

  test('parseBrandConfig throws BRAND_CONFIG_INVALID whose message names the source and every bad field', () => {
    expect(() => parseBrandConfig({ ...minimal, cloudbase: {} }, 'config/brand.json')).toThrow(
      expect.objectContaining({
        code: 'BRAND_CONFIG_INVALID',
        message: expect.stringContaining('config/brand.json is invalid:\n  cloudbase.envId: required'),
      }),
    );
  });

  test('the demo brand (Taste of Su 苏韵旗袍) and the example file are valid configurations', () => {
    expect(parseBrandConfig(demo).name).toEqual({ zh: '苏韵旗袍', en: 'Taste of Su' });
    expect(checkBrandConfig(example).ok).toBe(true);
  });

  test('a parsed configuration parses again to itself (deploy ships the parsed form as brand.json)', () => {
    const once = parseBrandConfig(demo);
    expect(parseBrandConfig(JSON.parse(JSON.stringify(once)))).toEqual(once);
  });
});
