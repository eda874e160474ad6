import { conditionTexts } from './text';
import { leafOn, toggled, typed, type CondNode, type Dimension } from './tree';
import { nodeView, type ChoicesStatus, type NodeView } from './view';

type Tap = { currentTarget: { dataset: { index?: number; value?: string; kind?: 'all' | 'any' } } };
type Picked = { detail: { value: number | string } };

/**
 * One node of a condition and, through itself, everything under it: "all of" / "any of" groups,
 * negations and leaves. Every edit is sent up as `edit` with the node's new value; the parent
 * node puts it in place and sends itself up, so the page receives the whole condition at the top.
 * `remove` asks the parent group to drop this node.
 */
Component({
  options: { styleIsolation: 'apply-shared' },
  properties: {
    node: { type: Object, value: { kind: 'leaf', dim: '', values: [] } as CondNode },
    dims: { type: Array, value: [] as Dimension[] },
    t: { type: Object, value: conditionTexts.zh },
    /** groups above this node */
    depth: { type: Number, value: 0 },
    maxDepth: { type: Number, value: 4 },
    removable: { type: Boolean, value: false },
    /** whether the page has the dimensions' options yet: loading, ready or error */
    choices: { type: String, value: 'ready' },
    /** prefix of the ids inside (children add their place: `cond-1-0`) */
    path: { type: String, value: 'cond' },
  },
  data: { v: nodeView({ kind: 'leaf', dim: '', values: [] }, [], 0, 4, 'ready') as NodeView },
  observers: {
    'node, dims, depth, maxDepth, choices': function (this: { data: Props; setData(d: object): void }) {
      const { node, dims, depth, maxDepth, choices } = this.data;
      this.setData({ v: nodeView(node, dims, depth, maxDepth, choices as ChoicesStatus) });
    },
  },
  methods: {
    emit(node: CondNode) {
      this.triggerEvent('edit', { node });
    },
    remove() {
      this.triggerEvent('remove');
    },
    setKind(e: Tap) {
      const n = this.data.node as CondNode;
      const kind = e.currentTarget.dataset.kind;
      if ((n.kind === 'all' || n.kind === 'any') && kind) this.emit({ ...n, kind });
    },
    addLeaf() {
      const n = this.data.node as CondNode;
      if (n.kind === 'all' || n.kind === 'any') this.emit({ ...n, of: [...n.of, leafOn(this.data.dims[0])] });
    },
    addGroup() {
      const n = this.data.node as CondNode;
      if (n.kind !== 'all' && n.kind !== 'any') return;
      const inner: CondNode = { kind: n.kind === 'all' ? 'any' : 'all', of: [leafOn(this.data.dims[0])] };
      this.emit({ ...n, of: [...n.of, inner] });
    },
    negate() {
      this.emit({ kind: 'not', of: this.data.node as CondNode });
    },
    group() {
      this.emit({ kind: 'all', of: [this.data.node as CondNode] });
    },
    /** A negation gives way to what it negated; a one-part group to its part. */
    unwrap() {
      const n = this.data.node as CondNode;
      if (n.kind === 'not') this.emit(n.of);
      else if ((n.kind === 'all' || n.kind === 'any') && n.of.length === 1) this.emit(n.of[0]!);
    },
    onChild(e: Tap & { detail: { node: CondNode } }) {
      const n = this.data.node as CondNode;
      const i = Number(e.currentTarget.dataset.index);
      if (n.kind === 'not') this.emit({ ...n, of: e.detail.node });
      else if (n.kind === 'all' || n.kind === 'any')
        this.emit({ ...n, of: n.of.map((c, j) => (j === i ? e.detail.node : c)) });
    },
    onChildRemove(e: Tap) {
      const n = this.data.node as CondNode;
      const i = Number(e.currentTarget.dataset.index);
      if ((n.kind === 'all' || n.kind === 'any') && n.of.length > 1)
        this.emit({ ...n, of: n.of.filter((_, j) => j !== i) });
    },
    pickDim(e: Picked) {
      this.emit(leafOn(this.data.dims[Number(e.detail.value)]));
    },
    pickOption(e: Picked) {
      const n = this.data.node as CondNode;
      const dim = this.data.dims.find((d) => n.kind === 'leaf' && d.key === n.dim);
      if (n.kind !== 'leaf' || !dim) return;
      const chosen = this.data.v.chips[Number(e.detail.value)];
      if (chosen) this.emit({ ...n, values: [chosen.value] });
    },
    toggleChip(e: Tap) {
      const n = this.data.node as CondNode;
      const value = e.currentTarget.dataset.value;
      if (n.kind === 'leaf' && value !== undefined) this.emit({ ...n, values: toggled(n.values, value) });
    },
    typeValue(e: Picked) {
      const n = this.data.node as CondNode;
      const dim = this.data.dims.find((d) => n.kind === 'leaf' && d.key === n.dim);
      if (n.kind === 'leaf') this.emit({ ...n, values: typed(String(e.detail.value), dim?.pick ?? 'one') });
    },
  },
});

interface Props {
  node: CondNode;
  dims: Dimension[];
  depth: number;
  maxDepth: number;
  choices: string;
}
