import { call, type CallOutput } from '../../../services/cloud';
import { baseData, languageChanged } from '../../../utils/page-base';
import { errorText, stopPullDown, type Status } from '../../../utils/view-state';
import type { Lang } from '../../../i18n/index';
import { ask, can, currentStaff, fill, textOf } from '../../utils';
import { refusalText } from '../schedule/refusal';
import { buildRule, emptyForm, type RuleForm } from './rule';
import { newId, rememberCampaign, rememberSegment, savedSegments, sentCampaigns, type SavedSegment, type SentCampaign } from './saved';
import { CAMPAIGN_TEMPLATES, STAGE_LABELS, texts, type SegmentsText } from './text';

type Metrics = CallOutput<'messaging', 'metrics'>;
interface Choice { id: string; label: string }
interface MetricCell { key: string; label: string; value: number }
type Tri = 'any' | 'yes' | 'no';

const choices = (labels: Partial<Record<string, { zh: string; en: string }>>, lang: Lang): Choice[] =>
  Object.entries(labels).map(([id, l]) => ({ id, label: l ? l[lang] : id }));

/**
 * Segments and campaigns (S15–S19, brand admin): build a rule, see how many members it matches,
 * save it, send a subscription-message campaign to it after a confirmation naming the audience
 * size, and read each campaign's figures.
 */
Component({
  data: {
    ...baseData(),
    t: texts.zh as SegmentsText,
    status: 'loading' as Status,
    message: '',
    emptyText: texts.zh.noRight,
    stageChoices: [] as Choice[],
    templateChoices: [] as Choice[],
    form: emptyForm() as RuleForm,
    segmentId: '',
    segmentName: '',
    count: null as number | null,
    countText: '',
    tri: ['any', 'yes', 'no'] as Tri[],
    busy: false,
    error: '',
    segments: [] as SavedSegment[],
    campaign: { segmentId: '', template: 'birthday', name: '', title: '', body: '', id: '' },
    campaigns: [] as SentCampaign[],
    metricsOf: '',
    metrics: [] as MetricCell[],
  },
  methods: {
    onLoad() {
      this.setData({ ...baseData() });
      this.applyLang();
      void this.load();
    },
    onShow() {
      const fresh = languageChanged(this.data.lang);
      if (fresh) {
        this.setData(fresh);
        this.applyLang();
      }
    },
    onPullDownRefresh() {
      void this.load().then(stopPullDown);
    },
    retry() {
      this.setData({ status: 'loading' });
      void this.load();
    },
    applyLang() {
      const lang = this.data.lang;
      const t = textOf(texts, lang);
      this.setData({ t, emptyText: t.noRight, stageChoices: choices(STAGE_LABELS, lang), templateChoices: choices(CAMPAIGN_TEMPLATES, lang) });
    },
    async load() {
      try {
        const staff = await currentStaff();
        if (!can(staff, 'segments.manage')) {
          this.setData({ status: 'empty' });
          return;
        }
        const segments = savedSegments();
        this.setData({
          status: 'ready', segments, campaigns: sentCampaigns(),
          'campaign.segmentId': this.data.campaign.segmentId || (segments[0]?.id ?? ''),
          'campaign.id': this.data.campaign.id || newId('cmp'),
        });
      } catch (err) {
        this.setData({ status: 'error', message: errorText(err) });
      }
    },
    // ---- the rule form
    setForm(patch: Partial<RuleForm>) {
      this.setData({ form: { ...this.data.form, ...patch }, count: null, countText: '', error: '' });
    },
    toggleStage(e: { currentTarget: { dataset: { id?: string } } }) {
      const id = e.currentTarget.dataset.id;
      if (!id) return;
      const stages = this.data.form.stages.includes(id) ? this.data.form.stages.filter((s) => s !== id) : [...this.data.form.stages, id];
      this.setForm({ stages });
    },
    /** Text inputs carry the form field in `data-field`. */
    onField(e: { currentTarget: { dataset: { field?: keyof RuleForm } }; detail: { value?: string } }) {
      const field = e.currentTarget.dataset.field;
      if (field === 'tags' || field === 'tiers' || field === 'spendMin' || field === 'spendMax' || field === 'recencyDays') this.setForm({ [field]: e.detail.value ?? '' });
    },
    pickRecency(e: { currentTarget: { dataset: { value?: RuleForm['recency'] } } }) {
      if (e.currentTarget.dataset.value) this.setForm({ recency: e.currentTarget.dataset.value });
    },
    pickTri(e: { currentTarget: { dataset: { field?: 'follower' | 'member'; value?: Tri } } }) {
      const { field, value } = e.currentTarget.dataset;
      if (field && value) this.setForm({ [field]: value });
    },
    toggleBirthday() {
      this.setForm({ birthdayThisMonth: !this.data.form.birthdayThisMonth });
    },
    onName(e: { detail: { value?: string } }) {
      this.setData({ segmentName: e.detail.value ?? '' });
    },
    newSegment() {
      this.setData({ form: emptyForm(), segmentId: '', segmentName: '', count: null, countText: '', error: '' });
    },
    /** The rule, or null after showing why the form is not one. */
    rule() {
      const built = buildRule(this.data.form);
      if ('problem' in built) {
        this.setData({ error: this.data.t[built.problem] });
        return null;
      }
      return built.rule;
    },
    async preview() {
      const rule = this.rule();
      if (!rule || this.data.busy) return;
      this.setData({ busy: true, error: '' });
      try {
        const r = await call('messaging', 'segments.preview', { rule });
        this.setData({ count: r.count, countText: fill(this.data.t.previewCount, { n: r.count }) });
      } catch (err) {
        this.setData({ error: refusalText(err, this.data.t.refused) });
      } finally {
        this.setData({ busy: false });
      }
    },
    async save() {
      const rule = this.rule();
      if (!rule || this.data.busy) return;
      const name = this.data.segmentName.trim();
      if (!name) {
        this.setData({ error: this.data.t.noName });
        return;
      }
      if (!(await ask(fill(this.data.t.saveAsk, { name })))) return;
      // saving again from the same form replaces the same segment
      const id = this.data.segmentId || newId('seg');
      this.setData({ busy: true, error: '', segmentId: id });
      try {
        const r = await call('messaging', 'segments.save', { id, name, rule });
        const segments = rememberSegment({ id: r.id, name, count: r.count, rule });
        this.setData({ count: r.count, countText: fill(this.data.t.previewCount, { n: r.count }), segments, 'campaign.segmentId': r.id });
        wx.showToast({ title: fill(this.data.t.savedToast, { n: r.count }), icon: 'success' });
      } catch (err) {
        this.setData({ error: refusalText(err, this.data.t.refused) });
      } finally {
        this.setData({ busy: false });
      }
    },
    // ---- the campaign form
    pickSegment(e: { currentTarget: { dataset: { id?: string } } }) {
      if (e.currentTarget.dataset.id) this.setData({ 'campaign.segmentId': e.currentTarget.dataset.id });
    },
    pickTemplate(e: { currentTarget: { dataset: { id?: string } } }) {
      if (e.currentTarget.dataset.id) this.setData({ 'campaign.template': e.currentTarget.dataset.id });
    },
    onCampaignField(e: { currentTarget: { dataset: { field?: 'name' | 'title' | 'body' } }; detail: { value?: string } }) {
      const field = e.currentTarget.dataset.field;
      if (field) this.setData({ [`campaign.${field}`]: e.detail.value ?? '' });
    },
    /** Counts the audience now, asks with that number, then sends; a retried send reuses the campaign id. */
    async send() {
      const c = this.data.campaign;
      const segment = this.data.segments.find((s) => s.id === c.segmentId);
      if (this.data.busy) return;
      if (!segment) {
        this.setData({ error: this.data.t.noSegments });
        return;
      }
      const name = c.name.trim();
      const title = c.title.trim();
      if (!name || !title) {
        this.setData({ error: this.data.t.noCampaignName });
        return;
      }
      this.setData({ busy: true, error: '' });
      try {
        const { count } = await call('messaging', 'segments.preview', { rule: segment.rule });
        if (!(await ask(fill(this.data.t.sendAsk, { segment: segment.name, n: count, name })))) return;
        const body = c.body.trim();
        const r = await call('messaging', 'campaigns.send', {
          id: c.id, name, segmentId: segment.id,
          message: { channel: 'subscribe', template: c.template, purpose: 'marketing', data: { title, ...(body ? { body } : {}) } },
        });
        const campaigns = rememberCampaign({ campaignId: r.campaignId, name, segmentName: segment.name, audience: count, sentAt: r.sendAt });
        this.setData({ campaigns, campaign: { ...c, name: '', title: '', body: '', id: newId('cmp') } });
        wx.showToast({ title: fill(this.data.t.sentToast, { n: r.enqueued }), icon: 'success' });
      } catch (err) {
        this.setData({ error: refusalText(err, this.data.t.refused) });
      } finally {
        this.setData({ busy: false });
      }
    },
    async showMetrics(e: { currentTarget: { dataset: { id?: string } } }) {
      const campaignId = e.currentTarget.dataset.id;
      if (!campaignId) return;
      this.setData({ metricsOf: campaignId, metrics: [], error: '' });
      try {
        const m: Metrics = await call('messaging', 'metrics', { campaignId });
        const t = this.data.t;
        const skipped = Object.values(m.skipped).reduce((a, b) => a + b, 0);
        this.setData({
          metrics: [
            { key: 'entered', label: t.entered, value: m.entered },
            { key: 'sent', label: t.sent, value: m.sent },
            { key: 'skipped', label: t.skipped, value: skipped },
            { key: 'waiting', label: t.waiting, value: m.pending + m.deferred },
            { key: 'failed', label: t.failed, value: m.failed + m.unknown },
            { key: 'converted', label: t.converted, value: m.converted },
          ],
        });
      } catch (err) {
        this.setData({ metricsOf: '', error: refusalText(err, this.data.t.refused) });
      }
    },
  },
});
