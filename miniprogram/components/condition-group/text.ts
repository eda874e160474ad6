/** The condition editor's words (Chinese first; English with the same keys); pages pass the reader's. */
const zh = {
  all: '全部满足',
  any: '任一满足',
  not: '不满足以下条件',
  dimension: '条件',
  value: '值',
  addLeaf: '+ 条件',
  addGroup: '+ 条件组',
  negate: '取反',
  unnegate: '取消取反',
  group: '分组',
  ungroup: '解散',
  remove: '删除',
  kept: '（此处不可编辑，原样保留）',
  loading: '正在加载可选值…',
  failed: '可选值加载失败，可直接输入',
  none: '暂无可选值，可直接输入',
  pickNone: '请选择',
};
export type ConditionText = typeof zh;
const en: ConditionText = {
  all: 'All of',
  any: 'Any of',
  not: 'None of this',
  dimension: 'Condition',
  value: 'Value',
  addLeaf: '+ Condition',
  addGroup: '+ Group',
  negate: 'Negate',
  unnegate: 'Undo negate',
  group: 'Group',
  ungroup: 'Ungroup',
  remove: 'Remove',
  kept: '(not editable here, kept as it is)',
  loading: 'Loading the choices…',
  failed: 'Choices did not load: type a value',
  none: 'Nothing to choose yet: type a value',
  pickNone: 'Choose',
};

export const conditionTexts = { zh, en };
