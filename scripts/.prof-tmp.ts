import { DocumentStore } from '../emulator/db/store';
import { filteredCount, filteredIdsInOrder } from '../emulator/db/planner';
import { compileFilter } from '../emulator/db/index-filter';
import { filterSql } from '../emulator/db/filter-sql';
import { toMongoQuery } from '../core/segments';
const store = new DocumentStore(process.argv[2]!); store.scanShare = Number(process.argv[3] ?? 0.125);
const rules: any[] = JSON.parse(require('fs').readFileSync('/tmp/segprof/rules.json', 'utf8'));
const now = new Date();
for (const rule of rules) {
  const q = toMongoQuery(rule, now, 'Asia/Shanghai');
  const c0 = process.cpuUsage(); let t = performance.now();
  const n = filteredCount(store, 'members', q);
  const c1 = process.cpuUsage(c0); const tc = (c1.user + c1.system) / 1000; t = performance.now(); const c2 = process.cpuUsage();
  const it = filteredIdsInOrder(store, 'members', q);
  const ids: string[] = []; if (it) for (const id of it) { ids.push(id); if (ids.length >= 10) break; }
  const c3 = process.cpuUsage(c2); const ts = (c3.user + c3.system) / 1000;
  const { filter } = compileFilter(store.specsOf('members'), q);
  const sizes = { countKeys: (i: string, k: string[]) => store.countKeys('members', i, k), countRange: (i: string, l: string, u: string) => store.countRange('members', i, l, u), rows: () => store.approxCount('members'), scanShare: store.scanShare, scalars: store.scalarsOf('members') };
  const sql = filterSql('members', filter, sizes, false);
  console.log(JSON.stringify({ n, count: Math.round(tc), sample: Math.round(ts), from: sql.from.slice(0, 600) }));
}
