import type { JourneyInput } from '../../../../core/journeys';
import { call, ServiceError, type CallOutput } from '../../../services/cloud';
import { localTime } from '../../../pages/coupons/coupon-text';
import { baseData, followLanguage, showInLanguage } from '../../../utils/page-base';
import { showTitle } from '../../../utils/page-title';
import { errorText, type Status } from '../../../utils/view-state';
import { ask, can, currentStaff, fill, textOf } from '../../utils';
import {
  ENTRY_RULES,
  fieldsOf,
  freshId,
  moved,
  newStep,
  STEP_TYPES,
  withField,
  type Field,
  type StepInput,
} from './form';
import { texts, type JourneyEditText } from './text';
import { conditionTexts } from '../../../components/condition-group/text';
import type { CondNode, Dimension } from '../../../components/condition-group/tree';
import { dimensions, MAX_DEPTH, toCondition, toNode, type Choices } from './conditions';

type View = CallOutput<'messaging', 'journeys.get'>;
type Simulation = CallOutput<'messaging', 'journeys.simulate'>;
type Tap = {
  currentTarget: { dataset: { index?: number; key?: string; field?: string } };
  detail: { value: string | number | boolean };
};

interface StepView {
  id: string;
  index: number;
  typeLabel: string;
  fields: Field[];
  /** a branch's condition as the condition editor's tree */
  condition: CondNode | null;
  /** the server's problems that name this step */
  problems: string[];
}
interface TimelineRow {
  key: string;
  time: string;
  kind: string;
  detail: string;
  why: string;
}

const list = (s: string): string[] => s.split(/[,，\s]+/).filter(Boolean);
/** `steps[3] (branch): …` belongs to step 3. */
const problemsOf = (problems: readonly string[], index: number): string[] =>
  problems.filter((p) => p.startsWith(`steps[${index}] `));

/**
 * One journey on the phone (brand admin): name, trigger, re-entry, goal and its steps as forms
 * (add, remove, reorder); save the draft, simulate it for a described member, publish it as the
 * next version. The server's journey schema judges the draft; its problems name the step.
 */
Component({
  data: {
    ...baseData(),
    t: texts.zh as JourneyEditText,
    status: 'loading' as Status,
    message: '',
    emptyText: '',
    journeyId: '',
    isNew: true,
    base: {} as Record<string, unknown>,
    form: { id: '', name: '', trigger: 'member.joined', entry: 'notWhileActive', perDays: '7', goal: '' },
    triggerOptions: [] as string[],
    triggerLabels: [] as string[],
    triggerIndex: 0,
    goalOptions: [] as string[],
    goalLabels: [] as string[],
    goalIndex: 0,
    entryOptions: [...ENTRY_RULES] as string[],
    entryLabels: [] as string[],
    entryIndex: 1,
    stepTypeLabels: [] as string[],
    steps: [] as StepInput[],
    stepViews: [] as StepView[],
    condText: conditionTexts.zh,
    maxDepth: MAX_DEPTH as number,
    choices: null as Choices | null,
    choicesStatus: 'loading' as 'loading' | 'ready' | 'error',
    choicesError: '',
    dims: [] as Dimension[],
    statusLine: '',
    version: 0,
    unpublished: false,
    problems: [] as string[],
    error: '',
    busy: '',
    sim: { days: '7', tier: '', tags: '', consents: '', follower: false },
    simStatus: '',
    timeline: [] as TimelineRow[],
  },
  methods: {
    onLoad(query: { id?: string }) {
      showInLanguage(this);
      this.setData({ journeyId: query.id ?? '', isNew: !query.id });
      this.applyLang();
      void this.load();
    },
    onShow() {
      if (followLanguage(this)) this.applyLang();
    },
    applyLang() {
      const t = textOf(texts, this.data.lang);
      const events = Object.keys(t.events);
      this.setData({
        t,
        triggerOptions: events,
        triggerLabels: events.map((e) => t.events[e] ?? e),
        goalOptions: ['', ...events],
        goalLabels: [t.noGoal, ...events.map((e) => t.events[e] ?? e)],
        entryLabels: ENTRY_RULES.map((r) => t.entries[r] ?? r),
        stepTypeLabels: STEP_TYPES.map((s) => t.stepTypes[s] ?? s),
        condText: textOf(conditionTexts, this.data.lang),
        dims: dimensions(t, this.data.lang, this.data.choices),
      });
      showTitle(t.title);
      this.render();
    },
    retry() {
      this.setData({ status: 'loading' });
      void this.load();
    },
    async load() {
      try {
        const staff = await currentStaff();
        if (!can(staff, 'journeys.manage')) {
          this.setData({ status: 'empty', emptyText: this.data.t.noRight });
          return;
        }
        if (this.data.journeyId) this.show(await call('messaging', 'journeys.get', { journeyId: this.data.journeyId }));
        else this.setData({ steps: [newStep('wait', 'wait-1')] });
        this.render();
        this.setData({ status: 'ready' });
        void this.loadChoices();
      } catch (err) {
        this.setData({ status: 'error', message: errorText(err) });
      }
    },
    /** The brand's values for the condition pickers; without them the editor takes typed values. */
    async loadChoices() {
      try {
        const choices = await call('messaging', 'journeys.choices', {});
        const dims = dimensions(this.data.t, this.data.lang, choices);
        this.setData({ choices, dims, choicesStatus: 'ready' });
      } catch (err) {
        this.setData({ choicesStatus: 'error', choicesError: errorText(err) });
      }
    },
    /** The journey as the server answered: the form shows its draft. */
    show(v: View) {
      const d = v.draft as unknown as JourneyInput;
      const entry = typeof d.entry === 'object' ? 'oncePerDays' : (d.entry ?? 'notWhileActive');
      const perDays = typeof d.entry === 'object' ? String(d.entry.oncePerDays) : this.data.form.perDays;
      this.setData({
        base: v.draft,
        journeyId: v.id,
        isNew: false,
        form: { id: d.id, name: d.name, trigger: d.trigger.event, entry, perDays, goal: d.goal?.event ?? '' },
        steps: d.steps as StepInput[],
        version: v.version,
        unpublished: v.unpublished,
        statusLine: fill(this.data.t.versionLine, {
          status: this.data.t.status[v.status] ?? v.status,
          version: v.version,
        }),
        problems: [],
      });
    },
    render() {
      const { t, steps, form } = this.data;
      this.setData({
        stepViews: steps.map((s, index) => ({
          id: s.id,
          index,
          typeLabel: t.stepTypes[s.type] ?? s.type,
          fields: fieldsOf(s, t, this.data.triggerOptions),
          condition: s.type === 'branch' ? toNode(s.condition, t) : null,
          problems: problemsOf(this.data.problems, index),
        })),
        triggerIndex: Math.max(0, this.data.triggerOptions.indexOf(form.trigger)),
        goalIndex: Math.max(0, this.data.goalOptions.indexOf(form.goal)),
        entryIndex: Math.max(0, this.data.entryOptions.indexOf(form.entry)),
      });
    },
    setSteps(steps: StepInput[]) {
      this.setData({ steps });
      this.render();
    },
    onForm(e: Tap) {
      const field = e.currentTarget.dataset.field as keyof typeof this.data.form;
      this.setData({ form: { ...this.data.form, [field]: String(e.detail.value) } });
    },
    onFormPick(e: Tap) {
      const field = e.currentTarget.dataset.field as 'trigger' | 'entry' | 'goal';
      const options =
        field === 'trigger'
          ? this.data.triggerOptions
          : field === 'entry'
            ? this.data.entryOptions
            : this.data.goalOptions;
      this.setData({ form: { ...this.data.form, [field]: options[Number(e.detail.value)] ?? '' } });
      this.render();
    },
    addStep(e: Tap) {
      const type = STEP_TYPES[Number(e.detail.value)] ?? 'wait';
      this.setSteps([...this.data.steps, newStep(type, freshId(this.data.steps, type))]);
    },
    removeStep(e: Tap) {
      this.setSteps(this.data.steps.filter((_, i) => i !== Number(e.currentTarget.dataset.index)));
    },
    moveUp(e: Tap) {
      this.setSteps(moved(this.data.steps, Number(e.currentTarget.dataset.index), -1));
    },
    moveDown(e: Tap) {
      this.setSteps(moved(this.data.steps, Number(e.currentTarget.dataset.index), 1));
    },
    onCondition(e: Tap & { detail: { node: CondNode } }) {
      const i = Number(e.currentTarget.dataset.index);
      const condition = toCondition(e.detail.node);
      this.setSteps(this.data.steps.map((s, j) => (j === i && s.type === 'branch' ? { ...s, condition } : s)));
    },
    onStepField(e: Tap) {
      const { index, key } = e.currentTarget.dataset;
      const i = Number(index);
      const step = this.data.steps[i];
      if (!step || !key) return;
      const field = fieldsOf(step, this.data.t, this.data.triggerOptions).find((f) => f.key === key);
      const value = field?.options ? (field.options[Number(e.detail.value)] ?? field.value) : String(e.detail.value);
      this.setSteps(this.data.steps.map((s, j) => (j === i ? withField(s, key, value) : s)));
    },
    /** The journey the form describes, on top of what was loaded (fields the form does not show are kept). */
    body(): Record<string, unknown> {
      const { form, base, steps } = this.data;
      const entry = form.entry === 'oncePerDays' ? { oncePerDays: Number(form.perDays) } : form.entry;
      const { goal: _goal, ...rest } = base;
      void _goal;
      return {
        ...rest,
        id: form.id,
        name: form.name,
        enabled: true,
        trigger: { ...((base['trigger'] as object) ?? {}), event: form.trigger },
        entry,
        ...(form.goal ? { goal: { event: form.goal, sameSubject: false } } : {}),
        steps,
      };
    },
    /** Runs one server action; a refused draft lists its problems, step by step. */
    async act<T>(name: string, work: () => Promise<T>): Promise<T | null> {
      if (this.data.busy) return null;
      this.setData({ busy: name, error: '', problems: [] });
      try {
        return await work();
      } catch (err) {
        const problems =
          err instanceof ServiceError && Array.isArray(err.details?.['problems'])
            ? (err.details['problems'] as string[])
            : [];
        this.setData({ error: errorText(err), problems });
        this.render();
        return null;
      } finally {
        this.setData({ busy: '' });
      }
    },
    async save(): Promise<boolean> {
      const journey = this.body();
      const v = await this.act('save', () =>
        this.data.isNew
          ? call('messaging', 'journeys.create', { journey })
          : call('messaging', 'journeys.saveDraft', { journeyId: this.data.journeyId, journey }),
      );
      if (!v) return false;
      this.show(v);
      this.render();
      wx.showToast({ title: this.data.t.saved, icon: 'success' });
      return true;
    },
    async publish() {
      const t = this.data.t;
      if (!(await this.save())) return;
      if (!(await ask(fill(t.askPublish, { name: this.data.form.name, version: this.data.version + 1 }), t.publish)))
        return;
      const v = await this.act('publish', () =>
        call('messaging', 'journeys.publish', { journeyId: this.data.journeyId }),
      );
      if (!v) return;
      this.show(v);
      this.render();
      wx.showToast({ title: fill(t.published, { version: v.version }), icon: 'success' });
    },
    async duplicate() {
      const newId = `${this.data.journeyId}-copy`.slice(0, 64);
      const v = await this.act('duplicate', () =>
        call('messaging', 'journeys.duplicate', { journeyId: this.data.journeyId, newId }),
      );
      if (!v) return;
      this.show(v);
      this.render();
      wx.showToast({ title: this.data.t.duplicated, icon: 'success' });
    },
    async archive() {
      const t = this.data.t;
      if (!(await ask(fill(t.askArchive, { name: this.data.form.name }), t.archive))) return;
      const v = await this.act('archive', () =>
        call('messaging', 'journeys.archive', { journeyId: this.data.journeyId }),
      );
      if (!v) return;
      this.show(v);
      wx.showToast({ title: t.archived, icon: 'success' });
    },
    onSim(e: Tap) {
      const field = e.currentTarget.dataset.field as keyof typeof this.data.sim;
      this.setData({ sim: { ...this.data.sim, [field]: e.detail.value } });
    },
    /** Saves the draft, then plays it for the described member over the chosen days. */
    async simulate() {
      if (!(await this.save())) return;
      const { sim, t } = this.data;
      const profile = {
        tier: sim.tier || null,
        tags: list(sim.tags),
        consents: list(sim.consents),
        isFollower: !!sim.follower,
      };
      const days = Math.min(30, Math.max(1, Number(sim.days) || 7));
      const r = await this.act('simulate', () =>
        call('messaging', 'journeys.simulate', { journeyId: this.data.journeyId, profile, days }),
      );
      if (r) this.showTimeline(r, t);
    },
    showTimeline(r: Simulation, t: JourneyEditText) {
      const timeline = r.timeline.map((x, i) => ({
        key: `${i}`,
        time: localTime(x.at),
        kind: t.kinds[x.kind] ?? x.kind,
        detail: x.detail,
        why: x.why,
      }));
      this.setData({ timeline, simStatus: fill(t.simResult, { status: t.runStatus[r.status] ?? r.status }) });
    },
  },
});
