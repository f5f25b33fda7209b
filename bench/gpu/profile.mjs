// WebDNN's per-dispatch profile (runner.profile() on webgpu) as text: per model, the time summed
// by operator type and the slowest dispatches, against the median run.
import { columns, ms as coarse } from '../report.mjs';

const pct = (part, whole) => `${((100 * part) / whole).toFixed(1)}%`;
// Kernels on a GPU take microseconds: three decimals below a millisecond.
const ms = (x) => (Number.isFinite(x) && x < 1 ? x.toFixed(3) : coarse(x));

// Sums per operator type, largest first: [{ type, count, ms }].
export function byType(profile) {
  const sums = new Map();
  for (const p of profile) {
    const s = sums.get(p.type) ?? { type: p.type, count: 0, ms: 0 };
    s.count++;
    s.ms += p.ms;
    sums.set(p.type, s);
  }
  return [...sums.values()].sort((a, b) => b.ms - a.ms);
}

export function profileTables(rows, top) {
  const parts = [];
  for (const r of rows.filter((x) => x.profile?.length)) {
    const total = r.profile.reduce((a, p) => a + p.ms, 0);
    const clock = r.profile[0].clock === 'gpu' ? 'GPU timestamps' : 'CPU time to queue completion (no timestamp-query)';
    parts.push(`${r.model}: ${r.profile.length} dispatches, ${ms(total)} ms summed (${clock}); median run ${ms(r.median)} ms`);
    parts.push(columns(['type', 'dispatches', 'ms', 'share'],
      byType(r.profile).map((t) => [t.type ?? '?', String(t.count), ms(t.ms), pct(t.ms, total)]), new Set([1, 2, 3])));
    parts.push('');
    parts.push(columns(['#', 'op', 'type', 'kernel', 'workgroups', 'ms', 'share'],
      r.profile.slice(0, top).map((p) => [String(p.index), p.op, p.type ?? '?', p.kernel, p.workgroups.join('x'), ms(p.ms), pct(p.ms, total)]),
      new Set([0, 5, 6])));
    parts.push('');
  }
  return parts.join('\n');
}
