import { loadablePage } from '../../../behaviors/loadable-page';
import { call } from '../../../services/cloud';
import { ownText, loadedInLanguage } from '../../../utils/page-base';
import { ask, can, currentStaff, fill } from '../../utils';
import { refusalText } from '../index/refusal';
import { draftOf, emptyForm, formOf, PALETTE, type TagForm, type TagView } from './form';
import { groupsOf, jobText, type CategoryGroup, type JobView } from './rows';
import { texts } from './text';

interface Choice {
  id: string;
  label: string;
}
type Tap = { currentTarget: { dataset: { id?: string; value?: string; field?: string } } };
type Input = Tap & { detail: { value?: string } };

/** The last bulk job started on this phone, so its progress shows when the page is opened again. */
const JOB_KEY = 'admin.tagJob';
/** A remembered job the server no longer knows (another brand, a reset) is forgotten rather than failing the page. */
function forgetJob(): null {
  wx.setStorageSync(JOB_KEY, '');
  return null;
}
const FIELDS: (keyof TagForm)[] = ['id', 'nameZh', 'nameEn', 'ttlDays'];
const newJobId = (): string => `job-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

const { title, pageText } = ownText(texts);

/**
 * The tag taxonomy (brand admin): tags by category with their colours, a form to create or edit a
 * tag (manual with holding days, an end date), archive and restore, and tagging a saved segment as a
 * bulk job whose progress is read again on pull-down.
 */
Component({
  ...loadablePage(texts, (t) => t.noRight, {
    items: [] as TagView[],
    groups: [] as CategoryGroup[],
    categories: [] as Choice[],
    palette: PALETTE,
    form: emptyForm(),
    editing: false,
    formError: '',
    busy: false,
    segments: [] as Choice[],
    manualTags: [] as Choice[],
    bulk: { segmentId: '', tagId: '', op: 'add' as 'add' | 'remove' },
    bulkError: '',
    job: null as JobView | null,
    jobLine: '',
  }),
  methods: {
    ...loadedInLanguage(title, pageText, true),
    /** The taxonomy, the saved segments and the last job's progress, side by side. */
    async fetch(refresh: boolean) {
      const staff = await currentStaff(refresh);
      if (!can(staff, 'tags.manage')) return false;
      const jobId = this.data.job?.jobId ?? (wx.getStorageSync(JOB_KEY) as string | undefined);
      const [list, segs, job] = await Promise.all([
        call('admin', 'tags.list', { includeArchived: true }),
        can(staff, 'segments.manage') ? call('messaging', 'segments.list', {}) : Promise.resolve({ items: [] }),
        jobId ? call('admin', 'tags.job', { jobId }).catch(forgetJob) : Promise.resolve(null),
      ]);
      const lang = this.data.lang;
      this.setData({
        items: list.items,
        groups: groupsOf(list.items, list.categories, this.data.t, lang),
        categories: list.categories.map((c) => ({ id: c.id, label: c[lang] })),
        segments: segs.items.map((s) => ({ id: s.id, label: s.name })),
        manualTags: list.items
          .filter((x) => x.kind === 'manual' && !x.archived)
          .map((x) => ({ id: x.id, label: x.name[lang] ?? x.name.zh })),
      });
      this.showJob(job);
      return true;
    },
    showJob(job: JobView | null) {
      const tag = job && this.data.items.find((x) => x.id === job.tagId);
      const name = tag ? (tag.name[this.data.lang] ?? tag.name.zh) : (job?.tagId ?? '');
      this.setData({ job, jobLine: job ? jobText(job, name, this.data.t) : '' });
    },
    // ---- the tag form
    setForm(patch: Partial<TagForm>) {
      this.setData({ form: { ...this.data.form, ...patch }, formError: '' });
    },
    onField(e: Input) {
      const field = e.currentTarget.dataset.field as keyof TagForm | undefined;
      if (field && FIELDS.includes(field)) this.setForm({ [field]: e.detail.value ?? '' });
    },
    pickCategory(e: Tap) {
      if (e.currentTarget.dataset.id) this.setForm({ category: e.currentTarget.dataset.id });
    },
    pickColour(e: Tap) {
      if (e.currentTarget.dataset.value) this.setForm({ colour: e.currentTarget.dataset.value });
    },
    onDay(e: { detail: { value?: string } }) {
      this.setForm({ lastDay: e.detail.value ?? '' });
    },
    clearDay() {
      this.setForm({ lastDay: '' });
    },
    newTag() {
      this.setData({ form: emptyForm(), editing: false, formError: '' });
    },
    edit(e: Tap) {
      const tag = this.data.items.find((x) => x.id === e.currentTarget.dataset.id);
      const form = tag && formOf(tag);
      if (form) this.setData({ form, editing: true, formError: '' });
    },
    async save() {
      if (this.data.busy) return;
      const built = draftOf(this.data.form);
      if ('problem' in built) return this.setData({ formError: this.data.t[built.problem] });
      if (!(await ask(fill(this.data.t.saveAsk, { name: built.tag.name.zh })))) return;
      await this.change(() => call('admin', 'tags.save', { tag: built.tag }), this.data.t.savedToast, 'formError');
      if (!this.data.formError) this.setData({ form: emptyForm(), editing: false });
    },
    async toggleArchive(e: Tap) {
      const tag = this.data.items.find((x) => x.id === e.currentTarget.dataset.id);
      if (!tag || this.data.busy) return;
      const t = this.data.t;
      const archived = !tag.archived;
      if (!(await ask(fill(archived ? t.archiveAsk : t.restoreAsk, { name: tag.name.zh })))) return;
      const toast = archived ? t.archivedToast : t.restoredToast;
      await this.change(() => call('admin', 'tags.archive', { id: tag.id, archived }), toast, 'formError');
    },
    /** A change on the server, then the taxonomy read again; a refusal is said where `errorField` shows. */
    async change(run: () => Promise<unknown>, toast: string, errorField: 'formError' | 'bulkError') {
      this.setData({ busy: true, [errorField]: '' });
      try {
        await run();
        wx.showToast({ title: toast, icon: 'success' });
        await this.fetch(false);
      } catch (err) {
        this.setData({ [errorField]: refusalText(err, this.data.t.refusals) });
      } finally {
        this.setData({ busy: false });
      }
    },
    // ---- tagging a segment
    pickBulk(e: Tap) {
      const { field, id } = e.currentTarget.dataset;
      const known = field === 'segmentId' || field === 'tagId' || field === 'op';
      if (known && id) this.setData({ [`bulk.${field}`]: id, bulkError: '' });
    },
    async startBulk() {
      const { segmentId, tagId, op } = this.data.bulk;
      const t = this.data.t;
      if (this.data.busy) return;
      const segment = this.data.segments.find((s) => s.id === segmentId);
      const tag = this.data.manualTags.find((x) => x.id === tagId);
      if (!segment || !tag) return this.setData({ bulkError: t.pickBoth });
      const opText = op === 'add' ? t.opAdd : t.opRemove;
      if (!(await ask(fill(t.startAsk, { segment: segment.label, op: opText, tag: tag.label })))) return;
      const jobId = newJobId();
      this.setData({ busy: true, bulkError: '' });
      try {
        const job = await call('admin', 'tags.bulk', { jobId, segmentId, tagId, op });
        wx.setStorageSync(JOB_KEY, job.jobId);
        this.showJob(job);
      } catch (err) {
        this.setData({ bulkError: refusalText(err, t.refusals) });
      } finally {
        this.setData({ busy: false });
      }
    },
    async refreshJob() {
      const job = this.data.job;
      if (!job || this.data.busy) return;
      this.setData({ busy: true, bulkError: '' });
      try {
        this.showJob(await call('admin', 'tags.job', { jobId: job.jobId }));
      } catch (err) {
        this.setData({ bulkError: refusalText(err, this.data.t.refusals) });
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
