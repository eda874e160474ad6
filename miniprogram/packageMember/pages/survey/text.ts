/** The survey page's own text (zh, en): kept beside it so the main package stays small. */
const zh = {
  title: '问卷',
  intro: '花一分钟告诉我们您的喜好，我们只推荐您感兴趣的内容。',
  pickMany: '可多选',
  pickOne: '单选',
  submit: '提交',
  submitting: '提交中…',
  pickFirst: '请先选择',
  thanks: '感谢您的回答',
  answered: '您的选择：{choices}',
  viaOa: '（已在公众号回复）',
  claim: '领取会员卡',
  card: '查看会员卡',
  notFound: '问卷不存在',
};
export type SurveyText = typeof zh;
const en: SurveyText = {
  title: 'Survey',
  intro: 'Tell us what you like in one minute: we will only suggest what interests you.',
  pickMany: 'Choose any',
  pickOne: 'Choose one',
  submit: 'Submit',
  submitting: 'Submitting…',
  pickFirst: 'Choose an option first',
  thanks: 'Thank you for answering',
  answered: 'Your choice: {choices}',
  viaOa: '(answered on the Official Account)',
  claim: 'Claim the member card',
  card: 'My member card',
  notFound: 'No such survey',
};

export const texts = { zh, en };
