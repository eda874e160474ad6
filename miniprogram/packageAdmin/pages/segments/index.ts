import { call } from '../../../services/cloud';
import { baseData, loadedWithOwnText } from '../../../utils/page-base';
import { showTitle } from '../../../utils/page-title';
import { errorText, stopPullDown, type Status } from '../../../utils/view-state';
import type { Lang } from '../../../i18n/index';
import type { SegmentRule } from '../../../../core/segments/rule';
import { ask, can, currentStaff, fill, textOf } from '../../utils';
import { refusalText } from '../index/refusal';
import { newId } from './ids';
import { appendNew, campaignRow, segmentRow, type CampaignRow, type SegmentRow, type SegmentView } from './rows';
import { buildRule, emptyForm, formOf, type RuleForm } from './rule';
import { conditionTexts } from '../../../components/condition-group/text';
import type { CondNode, Dimension } from '../../../components/condition-group/tree';
import { MAX_GROUPS, nodeToRule, ruleDimensions, ruleToNode } from './groups';
import { CAMPAIGN_TEMPLATES, STAGE_LABELS, texts, type SegmentsText } from './text';

interface Choice {
  id: string;
  label: string;
}
type Tri = 'any' | 'yes' | 'no';

const choices = (labels: Partial<Record<string, { zh: string; en: string }>>, lang: Lang): Choice[] =>
  Object.entries(labels).map(([id, l]) => ({ id, label: l ? l[lang] : id }));

/**
 * Segments and campaigns (S15–S20, brand admin): the saved segments (pick one to preview, edit or
 * send to), a rule builder with the matching count, a campaign sent after a confirmation naming the
 * audience size, and every campaign with its figures. Both lists come from the server, page by page.
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
    /** The segment being edited; '' for a new one. */
    segmentId: '',
    segmentName: '',
    /** The picked segment's rule when the builder cannot show it: used as saved. */
    locked: null as SegmentRule | null,
    /** The locked rule as groups, edited by the condition-group (the page keeps `locked` in step). */
    tree: null as CondNode | null,
    groupDims: [] as Dimension[],
    condText: conditionTexts.zh,
    maxGroups: MAX_GROUPS,
    count: null as number | null,
    countText: '',
    sampleText: '',
    tri: ['any', 'yes', 'no'] as Tri[],
    busy: false,
    error: '',
    segments: [] as SegmentRow[],
    segmentsPage: 0,
    segmentsMore: false,
    campaign: { template: 'birthday', name: '', title: '', body: '', id: '' },
    /** The saved segment a campaign goes to: the one picked or just saved. */
    target: null as SegmentView | null,
    targetText: '',
    campaigns: [] as CampaignRow[],
    campaignsPage: 0,
    campaignsMore: false,
  },
  methods: {
    ...loadedWithOwnText(true),
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
      showTitle(t.title);
      this.setData({
        t,
        emptyText: t.noRight,
        stageChoices: choices(STAGE_LABELS, lang),
        groupDims: ruleDimensions(t, lang),
        condText: textOf(conditionTexts, lang),
        templateChoices: choices(CAMPAIGN_TEMPLATES, lang),
      });
    },
    /** The first page of segments and of campaigns. */
    async load() {
      try {
        const staff = await currentStaff();
        if (!can(staff, 'segments.manage') || !can(staff, 'campaigns.send')) {
          this.setData({ status: 'empty' });
          return;
        }
        const [segs, camps] = await Promise.all([
          call('messaging', 'segments.list', {}),
          call('messaging', 'campaigns.list', {}),
        ]);
        const t = this.data.t;
        this.setData({
          status: 'ready',
          segments: segs.items.map((s) => segmentRow(s, t)),
          segmentsPage: 0,
          segmentsMore: segs.hasMore,
          campaigns: camps.items.map((c) => campaignRow(c, t, this.data.lang)),
          campaignsPage: 0,
          campaignsMore: camps.hasMore,
          'campaign.id': this.data.campaign.id || newId('cmp'),
        });
        this.setTarget(this.data.target);
      } catch (err) {
        this.setData({ status: 'error', message: errorText(err) });
      }
    },
    async moreSegments() {
      if (this.data.busy || !this.data.segmentsMore) return;
      this.setData({ busy: true, error: '' });
      try {
        const page = this.data.segmentsPage + 1;
        const r = await call('messaging', 'segments.list', { page });
        const next = r.items.map((s) => segmentRow(s, this.data.t));
        this.setData({ segments: appendNew(this.data.segments, next), segmentsPage: page, segmentsMore: r.hasMore });
      } catch (err) {
        this.setData({ error: refusalText(err, this.data.t.refusals) });
      } finally {
        this.setData({ busy: false });
      }
    },
    async moreCampaigns() {
      if (this.data.busy || !this.data.campaignsMore) return;
      this.setData({ busy: true, error: '' });
      try {
        const page = this.data.campaignsPage + 1;
        const r = await call('messaging', 'campaigns.list', { page });
        const next = r.items.map((c) => campaignRow(c, this.data.t, this.data.lang));
        this.setData({
          campaigns: appendNew(this.data.campaigns, next),
          campaignsPage: page,
          campaignsMore: r.hasMore,
        });
      } catch (err) {
        this.setData({ error: refusalText(err, this.data.t.refusals) });
      } finally {
        this.setData({ busy: false });
      }
    },
    /** A saved segment into the builder (or locked as saved when the builder cannot show it), and as the campaign's target. */
    pickSegment(e: { currentTarget: { dataset: { id?: string } } }) {
      const s = this.data.segments.find((x) => x.id === e.currentTarget.dataset.id);
      if (!s) return;
      const form = formOf(s.rule);
      this.setData({
        segmentId: s.id,
        segmentName: s.name,
        form: form ?? emptyForm(),
        locked: form ? null : s.rule,
        tree: form ? null : ruleToNode(s.rule),
        count: null,
        countText: '',
        error: '',
      });
      this.setTarget({ id: s.id, name: s.name, rule: s.rule, updatedAt: s.updatedAt });
    },
    setTarget(target: SegmentView | null) {
      this.setData({ target, targetText: target ? fill(this.data.t.target, { name: target.name }) : '' });
    },
    // ---- the rule form
    setForm(patch: Partial<RuleForm>) {
      this.setData({ form: { ...this.data.form, ...patch }, count: null, countText: '', sampleText: '', error: '' });
    },
    toggleStage(e: { currentTarget: { dataset: { id?: string } } }) {
      const id = e.currentTarget.dataset.id;
      if (!id) return;
      const stages = this.data.form.stages.includes(id)
        ? this.data.form.stages.filter((s) => s !== id)
        : [...this.data.form.stages, id];
      this.setForm({ stages });
    },
    /** Text inputs carry the form field in `data-field`. */
    onField(e: { currentTarget: { dataset: { field?: keyof RuleForm } }; detail: { value?: string } }) {
      const field = e.currentTarget.dataset.field;
      const text: (keyof RuleForm)[] = [
        'tags',
        'tiers',
        'spendMin',
        'spendMax',
        'recencyDays',
        'categories',
        'channels',
        'activeDays',
      ];
      if (field && text.includes(field)) this.setForm({ [field]: e.detail.value ?? '' });
    },
    pickRecency(e: { currentTarget: { dataset: { value?: RuleForm['recency'] } } }) {
      if (e.currentTarget.dataset.value) this.setForm({ recency: e.currentTarget.dataset.value });
    },
    pickTri(e: { currentTarget: { dataset: { field?: 'follower' | 'member' | 'consent'; value?: Tri } } }) {
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
      this.setData({
        form: emptyForm(),
        segmentId: '',
        segmentName: '',
        locked: null,
        tree: null,
        count: null,
        countText: '',
        error: '',
      });
      this.setTarget(null);
    },
    /** The form's conditions (or a first one) as "all of" groups, to group, negate or combine with "any of". */
    editAsGroups() {
      const built = buildRule(this.data.form);
      const rule: SegmentRule = 'rule' in built ? built.rule : { field: 'isMember', op: 'is', value: true };
      const root = 'and' in rule || 'or' in rule ? rule : { and: [rule] };
      this.setData({ locked: root, tree: ruleToNode(root), count: null, countText: '', error: '' });
    },
    onTree(e: { detail: { node: CondNode } }) {
      this.setData({ tree: e.detail.node, locked: nodeToRule(e.detail.node), count: null, countText: '' });
    },
    /** The rule: the picked segment's as saved when locked, else the form's (or null after showing why it is not one). */
    rule(): SegmentRule | null {
      if (this.data.locked) return this.data.locked;
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
        const names = r.sample.map((m) => m.name ?? m.memberId).join('、');
        this.setData({
          count: r.count,
          countText: fill(this.data.t.previewCount, { n: r.count }),
          sampleText: names ? fill(this.data.t.sample, { names }) : '',
        });
      } catch (err) {
        this.setData({ error: refusalText(err, this.data.t.refusals) });
      } finally {
        this.setData({ busy: false });
      }
    },
    /** Saves under the edited segment's id (replacing it) or a new one, then reads the list again: it comes first. */
    async save() {
      const rule = this.rule();
      if (!rule || this.data.busy) return;
      const name = this.data.segmentName.trim();
      if (!name) {
        this.setData({ error: this.data.t.noName });
        return;
      }
      if (!(await ask(fill(this.data.t.saveAsk, { name })))) return;
      const id = this.data.segmentId || newId('seg');
      this.setData({ busy: true, error: '', segmentId: id });
      try {
        const r = await call('messaging', 'segments.save', { id, name, rule });
        this.setData({ count: r.count, countText: fill(this.data.t.previewCount, { n: r.count }) });
        this.setTarget({ id: r.id, name, rule, updatedAt: new Date().toISOString() });
        wx.showToast({ title: fill(this.data.t.savedToast, { n: r.count }), icon: 'success' });
        const list = await call('messaging', 'segments.list', {});
        this.setData({
          segments: list.items.map((x) => segmentRow(x, this.data.t)),
          segmentsPage: 0,
          segmentsMore: list.hasMore,
        });
      } catch (err) {
        this.setData({ error: refusalText(err, this.data.t.refusals) });
      } finally {
        this.setData({ busy: false });
      }
    },
    // ---- the campaign form
    pickTemplate(e: { currentTarget: { dataset: { id?: string } } }) {
      if (e.currentTarget.dataset.id) this.setData({ 'campaign.template': e.currentTarget.dataset.id });
    },
    onCampaignField(e: {
      currentTarget: { dataset: { field?: 'name' | 'title' | 'body' } };
      detail: { value?: string };
    }) {
      const field = e.currentTarget.dataset.field;
      if (field) this.setData({ [`campaign.${field}`]: e.detail.value ?? '' });
    },
    /**
     * Counts the picked segment's audience now (its saved rule), asks with that number, then sends;
     * a retried send reuses the campaign id. The campaigns are read again to show it with its figures.
     */
    async send() {
      const c = this.data.campaign;
      const segment = this.data.target;
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
          id: c.id,
          name,
          segmentId: segment.id,
          message: {
            channel: 'subscribe',
            template: c.template,
            purpose: 'marketing',
            data: { title, ...(body ? { body } : {}) },
          },
        });
        this.setData({ campaign: { ...c, name: '', title: '', body: '', id: newId('cmp') } });
        wx.showToast({ title: fill(this.data.t.sentToast, { n: r.enqueued }), icon: 'success' });
        const list = await call('messaging', 'campaigns.list', {});
        this.setData({
          campaigns: list.items.map((x) => campaignRow(x, this.data.t, this.data.lang)),
          campaignsPage: 0,
          campaignsMore: list.hasMore,
        });
      } catch (err) {
        this.setData({ error: refusalText(err, this.data.t.refusals) });
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
