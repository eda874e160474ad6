/**
 * The dependency rule (docs/architecture.md#the-dependency-rule): core is pure; only server/ and emulator/ touch
 * the SDK and I/O; the Mini Program takes types, never code, from the server side. `npm test` runs this check.
 */
const io =
  '^(wx-server-sdk|@cloudbase|better-sqlite3|node:(fs|net|http|https|child_process|dgram|dns|worker_threads)|fs|net|http|https|child_process|nodemailer|ws)$';
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'modules form a tree: a cycle means a rule has two homes or lives in the wrong module',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      comment:
        'the folders of server/ form layers (docs/architecture.md#the-module-map-of-server): a folder never reaches ' +
        'itself through the imports of its files, so an action that uses several domains lives in a folder above them',
      severity: 'error',
      scope: 'folder',
      from: { path: '^server(/|$)' },
      to: { path: '^server(/|$)', circular: true },
    },
    {
      name: 'member-record-is-a-leaf',
      comment:
        'the member document and its resolution (server/members/documents, resolve, store) use only db/ and runtime/',
      severity: 'error',
      from: { path: '^server/members/(documents|resolve|store)[.]ts$' },
      to: {
        path: '^server/',
        pathNot: '^server/(db|runtime)/|^server/members/(documents|resolve|store)[.]ts$',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'core-is-pure',
      comment: 'core/ holds rules only: no server, emulator, SDK, database or network',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: ['^server/', '^emulator/', '^cloudfunctions/', '^miniprogram/', '^scripts/'] },
    },
    {
      name: 'core-no-io',
      severity: 'error',
      from: { path: '^core/' },
      to: { dependencyTypes: ['npm', 'core'], path: io },
    },
    {
      name: 'miniprogram-no-server-code',
      comment: 'the Mini Program may import only types from core/contracts',
      severity: 'error',
      from: { path: '^miniprogram/' },
      to: { path: ['^server/', '^emulator/', '^cloudfunctions/', '^scripts/'] },
    },
    {
      name: 'miniprogram-types-only-from-core',
      severity: 'error',
      from: { path: '^miniprogram/' },
      to: { path: '^core/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'server-not-emulator',
      comment: 'shipped code never depends on the local emulator',
      severity: 'error',
      from: { path: ['^server/', '^cloudfunctions/'] },
      to: { path: '^emulator/' },
    },
    {
      name: 'functions-are-thin',
      comment: 'a cloud function only wires server/ code',
      severity: 'error',
      from: { path: '^cloudfunctions/' },
      to: { path: '^core/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['node_modules', '\\.js$', 'miniprogram_npm'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
