import { choicesFromText, surveyPrompt, tagsOfChoices, WELCOME_SURVEY, type Survey } from '../../../core/surveys';
import { readOaMessage } from '../../../core/identity/oa';
import { parseFlatXml } from '../../../server/oa/xml';

const single: Survey = { ...WELCOME_SURVEY, id: 'single', multiple: false };

test('an OA reply of option numbers is an answer, in any spacing; other text is not', () => {
  expect(choicesFromText(WELCOME_SURVEY, '1')).toEqual(['1']);
  expect(choicesFromText(WELCOME_SURVEY, '31')).toEqual(['1', '3']);
  expect(choicesFromText(WELCOME_SURVEY, ' 1, 3，3 ')).toEqual(['1', '3']);
  expect(choicesFromText(WELCOME_SURVEY, '15')).toBeNull();
  expect(choicesFromText(WELCOME_SURVEY, '你好')).toBeNull();
  expect(choicesFromText(WELCOME_SURVEY, '')).toBeNull();
  expect(choicesFromText(single, '12')).toBeNull();
  expect(choicesFromText(single, '2')).toEqual(['2']);
});

test('chosen options give their tags; an unknown or repeated option is refused with a stable code', () => {
  expect(tagsOfChoices(WELCOME_SURVEY, ['1', '3'])).toEqual(['survey_custom_qipao', 'survey_accessories']);
  const refused = expect.objectContaining({ code: 'SURVEY_ANSWER_INVALID' });
  for (const bad of [[], ['9'], ['1', '1']]) expect(() => tagsOfChoices(WELCOME_SURVEY, bad)).toThrow(refused);
  expect(() => tagsOfChoices(single, ['1', '2'])).toThrow(refused);
});

test('the OA prompt lists every option with the number to reply', () => {
  const zh = surveyPrompt(WELCOME_SURVEY, 'zh');
  for (const o of WELCOME_SURVEY.options) expect(zh).toContain(`${o.key} ${o.text.zh}`);
  expect(surveyPrompt(WELCOME_SURVEY, 'en')).toContain('1 Made-to-measure qipao');
});

test('a text message callback, as WeChat sends it, is read as a text event', () => {
  const xml =
    '<xml><ToUserName><![CDATA[gh_brand]]></ToUserName><FromUserName><![CDATA[oa_ann]]></FromUserName>' +
    '<CreateTime>1777600000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[1 3]]></Content>' +
    '<MsgId>6054768590064713728</MsgId></xml>';
  expect(readOaMessage(parseFlatXml(xml)!)).toEqual({
    oaOpenid: 'oa_ann',
    unionid: null,
    createdAt: new Date(1777600000 * 1000),
    event: { kind: 'text', content: '1 3', msgId: '6054768590064713728' },
  });
  expect(readOaMessage(parseFlatXml(xml.replace('<![CDATA[1 3]]>', ''))!)).toBeNull();
  expect(readOaMessage(parseFlatXml(xml.replace('[text]', '[image]'))!)).toBeNull();
});
