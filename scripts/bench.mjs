// `pnpm bench`: runs every package's and app's benchmark entry (bench/index.ts) and prints one
// table of our figures beside the upstream binary's figures for the same work.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pnpm, root } from './pnpm.mjs';

const only = process.argv.slice(2);
const outDir = mkdtempSync(join(tmpdir(), 'pyrometer-bench-'));
const outFile = join(outDir, 'rows.jsonl');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

// Benchmarks that run a whole binary (apps/server) measure what users run: the build output.
pnpm(['run', 'build']);

let failed = 0;
for (const group of ['packages', 'apps']) {
  for (const name of readdirSync(join(root, group)).sort()) {
    const entry = join(root, group, name, 'bench', 'index.ts');
    if (!existsSync(entry) || (only.length > 0 && !only.includes(name))) continue;
    console.log(`\n=== bench: ${group}/${name} ===`);
    const result = spawnSync(tsx, ['--conditions=source', entry], { cwd: join(root, group, name), stdio: 'inherit', env: { ...process.env, PYROMETER_BENCH_OUT: outFile } });
    if (result.status !== 0) {
      failed++;
      console.error(`bench ${group}/${name} failed (exit ${result.status ?? result.signal})`);
    }
  }
}

const rows = existsSync(outFile) ? readFileSync(outFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
rmSync(outDir, { recursive: true, force: true });

const fmt = (v) => (v === undefined ? '' : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3));
const table = [['suite', 'case', 'unit', 'ours', 'baseline', 'baseline value', 'ours vs baseline', 'note']];
for (const r of rows) {
  const b = r.baseline;
  const ratio = b && b.value > 0 && r.ours > 0 ? (r.higherIsBetter ? r.ours / b.value : b.value / r.ours) : undefined;
  table.push([r.suite, r.case, r.unit, fmt(r.ours), b?.name ?? '—', fmt(b?.value), ratio === undefined ? '' : `${ratio.toFixed(2)}× ${ratio >= 1 ? 'better' : 'worse'}`, r.note ?? '']);
}
const widths = table[0].map((_, i) => Math.max(...table.map((row) => String(row[i]).length)));
console.log('\n' + table.map((row, n) => row.map((c, i) => String(c).padEnd(widths[i])).join(' | ') + (n === 0 ? '\n' + widths.map((w) => '-'.repeat(w)).join('-|-') : '')).join('\n'));
if (failed > 0) process.exit(1);
