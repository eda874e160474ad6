import { loadable } from '../../../behaviors/loadable';
import { call, type CallOutput } from '../../../services/cloud';
import { session } from '../../../services/session';
import { ROUTES } from '../../../config/routes';
import { baseData, followLanguage, showInLanguage } from '../../../utils/page-base';
import { showTitle } from '../../../utils/page-title';
import { errorText } from '../../../utils/view-state';
import type { Lang } from '../../../i18n/index';
import { texts, type SurveyText } from './text';

type Survey = CallOutput<'messaging', 'survey'>;
interface OptionRow {
  key: string;
  label: string;
  chosen: boolean;
}
type Tap = { currentTarget: { dataset: { key?: string } } };

const DEFAULT_SURVEY = 'welcome';
const fill = (s: string, v: Record<string, string>) => s.replace(/\{(\w+)\}/g, (_, k: string) => v[k] ?? '');

/**
 * A survey on a page (seed 002's follower survey, also asked through the Official Account): choose,
 * submit, and the answer is the survey's completion. Answered already (here or by an OA reply)
 * shows the answer; then the member card, or claiming one (seed 004: surveys lead to card binding).
 */
Component({
  behaviors: [loadable],
  data: {
    ...baseData(),
    t: texts.zh as SurveyText,
    surveyId: DEFAULT_SURVEY,
    question: '',
    multiple: false,
    options: [] as OptionRow[],
    done: false,
    answered: '',
    isMember: false,
    busy: false,
    error: '',
    survey: null as Survey | null,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      if (query.id) this.setData({ surveyId: query.id });
      showInLanguage(this);
      this.applyLang();
      void this.load();
    },
    onShow() {
      if (followLanguage(this)) this.applyLang();
    },
    applyLang() {
      const t = texts[this.data.lang as Lang];
      this.setData({ t });
      showTitle(t.title);
      if (this.data.survey)
        this.show(
          this.data.survey,
          this.data.options.filter((o) => o.chosen).map((o) => o.key),
        );
    },
    async fetch() {
      const member = await session();
      const survey = await call('messaging', 'survey', { surveyId: this.data.surveyId });
      this.setData({ survey, isMember: member.state === 'member' });
      this.show(survey, []);
      return true;
    },
    show(s: Survey, chosen: string[]) {
      const lang = this.data.lang as Lang;
      const labelOf = (key: string) => s.options.find((o) => o.key === key)?.text[lang] ?? key;
      const done = s.completed;
      const answer = done ? fill(this.data.t.answered, { choices: done.choices.map(labelOf).join('、') }) : '';
      const answered = done?.channel === 'oa' ? `${answer}${this.data.t.viaOa}` : answer;
      this.setData({
        question: s.question[lang],
        multiple: s.multiple,
        options: s.options.map((o) => ({ key: o.key, label: o.text[lang], chosen: chosen.includes(o.key) })),
        done: done !== null,
        answered,
      });
    },
    toggle(e: Tap) {
      const key = e.currentTarget.dataset.key;
      if (!key || this.data.busy) return;
      const { multiple } = this.data;
      const flip = (o: OptionRow) => (o.key === key ? !o.chosen : multiple && o.chosen);
      const options = this.data.options.map((o) => ({ ...o, chosen: flip(o) }));
      this.setData({ options, error: '' });
    },
    async submit() {
      if (this.data.busy) return;
      const choices = this.data.options.filter((o) => o.chosen).map((o) => o.key);
      if (choices.length === 0) {
        this.setData({ error: this.data.t.pickFirst });
        return;
      }
      this.setData({ busy: true, error: '' });
      try {
        await call('messaging', 'answerSurvey', { surveyId: this.data.surveyId, choices });
        const survey = await call('messaging', 'survey', { surveyId: this.data.surveyId });
        this.setData({ survey });
        this.show(survey, choices);
      } catch (err) {
        this.setData({ error: errorText(err) });
      } finally {
        this.setData({ busy: false });
      }
    },
    openCard() {
      if (this.data.isMember) wx.switchTab({ url: ROUTES.home });
      else wx.navigateTo({ url: ROUTES.claim });
    },
  },
});
