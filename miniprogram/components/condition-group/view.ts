import { height, optionsWith, type CondNode, type Dimension } from './tree';

/** What one node shows: its kind, and for a leaf the pickers, chips or field that choose its value. */
export interface NodeView {
  kind: CondNode['kind'];
  children: CondNode[];
  /** a child may be removed (a group keeps at least one) */
  childRemovable: boolean;
  /** grouping or negating this node stays within the depth the schema allows */
  canWrap: boolean;
  canAddGroup: boolean;
  canUngroup: boolean;
  keptLabel: string;
  dimLabels: string[];
  dimIndex: number;
  /** how the value is chosen: a picker, chips, or a text field (also when the options are not there) */
  input: 'picker' | 'chips' | 'text' | '';
  optionLabels: string[];
  optionIndex: number;
  chips: { value: string; label: string; on: boolean }[];
  text: string;
  hint: string;
  /** why a chosen dimension has no options to show: loading, failed, none */
  state: '' | 'loading' | 'failed' | 'none';
}

export type ChoicesStatus = 'loading' | 'ready' | 'error';

function leafView(
  n: Extract<CondNode, { kind: 'leaf' }>,
  dims: readonly Dimension[],
  choices: ChoicesStatus,
): Partial<NodeView> {
  const dimIndex = dims.findIndex((d) => d.key === n.dim);
  const dim = dims[dimIndex];
  const base = { dimLabels: dims.map((d) => d.label), dimIndex: Math.max(0, dimIndex), text: n.values.join(', ') };
  if (!dim) return { ...base, input: 'text', hint: '', state: '' };
  const options = optionsWith(dim, n.values);
  const listed = dim.pick !== 'text' && dim.options.length > 0;
  const missing: NodeView['state'] = choices === 'loading' ? 'loading' : choices === 'error' ? 'failed' : 'none';
  return {
    ...base,
    hint: dim.hint ?? '',
    state: dim.pick === 'text' || listed ? '' : missing,
    input: !listed ? 'text' : dim.pick === 'one' ? 'picker' : 'chips',
    optionLabels: options.map((o) => o.label),
    optionIndex: Math.max(
      0,
      options.findIndex((o) => o.value === n.values[0]),
    ),
    chips: options.map((o) => ({ ...o, on: n.values.includes(o.value) })),
  };
}

/** The view of `node` at `depth` (groups above it), under a limit of `maxDepth` nested groups. */
export function nodeView(
  node: CondNode,
  dims: readonly Dimension[],
  depth: number,
  maxDepth: number,
  choices: ChoicesStatus,
): NodeView {
  const empty: NodeView = {
    kind: node.kind,
    children: [],
    childRemovable: false,
    canWrap: depth + 1 + height(node) <= maxDepth,
    canAddGroup: false,
    canUngroup: false,
    keptLabel: '',
    dimLabels: [],
    dimIndex: 0,
    input: '',
    optionLabels: [],
    optionIndex: 0,
    chips: [],
    text: '',
    hint: '',
    state: '',
  };
  switch (node.kind) {
    case 'all':
    case 'any':
      return {
        ...empty,
        children: node.of,
        childRemovable: node.of.length > 1,
        canAddGroup: depth + 2 <= maxDepth,
        canUngroup: node.of.length === 1,
      };
    case 'not':
      return { ...empty, children: [node.of] };
    case 'kept':
      return { ...empty, keptLabel: node.label };
    case 'leaf':
      return { ...empty, ...leafView(node, dims, choices) };
  }
}
