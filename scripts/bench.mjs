// `pnpm bench [name…]`: runs the benchmarks and prints one table of our figures beside the
// baseline's figures for the same work. Each package and app has its entry `bench/index.ts`; a
// package's whole-binary figures live in the app that runs it, as `apps/<app>/bench/<package>.ts`
// (e.g. apps/server/bench/promql.ts), and run first with that package's own entry.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pnpm, root } from './pnpm.mjs';

const only = process.argv.slice(2);
const outDir = mkdtempSync(join(tmpdir(), 'pyrometer-bench-'));
const outFile = join(outDir, 'rows.jsonl');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

/** @param {string} group @returns {string[]} */
const names = (group) => readdirSync(join(root, group)).sort();
/** @type {{ label: string, dir: string, entry: string }[]} */
const entries = [];
for (const pkg of names('packages')) {
  if (only.length > 0 && !only.includes(pkg)) continue;
  for (const app of names('apps')) entries.push({ label: `apps/${app}/bench/${pkg}.ts`, dir: join(root, 'apps', app), entry: join(root, 'apps', app, 'bench', `${pkg}.ts`) });
  entries.push({ label: `packages/${pkg}`, dir: join(root, 'packages', pkg), entry: join(root, 'packages', pkg, 'bench', 'index.ts') });
}
for (const app of names('apps')) {
  if (only.length === 0 || only.includes(app)) entries.push({ label: `apps/${app}`, dir: join(root, 'apps', app), entry: join(root, 'apps', app, 'bench', 'index.ts') });
}

// Benchmarks that run a whole binary measure what users run: the build output.
pnpm(['run', 'build']);

let failed = 0;
for (const { label, dir, entry } of entries.filter((e) => existsSync(e.entry))) {
  console.log(`\n=== bench: ${label} ===`);
  const result = spawnSync(tsx, ['--conditions=source', entry], { cwd: dir, stdio: 'inherit', env: { ...process.env, PYROMETER_BENCH_OUT: outFile } });
  if (result.status !== 0) {
    failed++;
    console.error(`bench ${label} failed (exit ${result.status ?? result.signal})`);
  }
}

/** @type {{ suite: string, case: string, unit: string, ours: number, baseline?: { name: string, value: number }, higherIsBetter: boolean, note?: string }[]} */
const rows = existsSync(outFile) ? readFileSync(outFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
rmSync(outDir, { recursive: true, force: true });

/** @param {number | undefined} v */
const fmt = (v) => (v === undefined ? '' : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3));
const table = [['suite', 'case', 'unit', 'ours', 'baseline', 'baseline value', 'ours vs baseline', 'note']];
for (const r of rows) {
  const b = r.baseline;
  const ratio = b && b.value > 0 && r.ours > 0 ? (r.higherIsBetter ? r.ours / b.value : b.value / r.ours) : undefined;
  table.push([r.suite, r.case, r.unit, fmt(r.ours), b?.name ?? '—', fmt(b?.value), ratio === undefined ? '' : `${ratio.toFixed(2)}× ${ratio >= 1 ? 'better' : 'worse'}`, r.note ?? '']);
}
const header = table[0] ?? [];
const widths = header.map((_, i) => Math.max(...table.map((row) => String(row[i]).length)));
console.log('\n' + table.map((row, n) => row.map((c, i) => String(c).padEnd(widths[i] ?? 0)).join(' | ') + (n === 0 ? '\n' + widths.map((w) => '-'.repeat(w)).join('-|-') : '')).join('\n'));
if (failed > 0) process.exit(1);
