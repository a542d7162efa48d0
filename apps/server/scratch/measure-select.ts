import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Labels, Matcher } from '@pyrometer/model';
import { Tsdb } from '@pyrometer/tsdb';
import { Engine } from '@pyrometer/promql';

const SERIES = 20_000, SAMPLES = Number(process.env.SAMPLES ?? 60), STEP = 2000;
const db = await Tsdb.open(mkdtempSync(join(tmpdir(), 'msel-')), { walEnabled: false } as never);
const labels: Labels[] = [];
for (let i = 0; i < SERIES; i++) labels.push(Labels.from({ __name__: 'bench_requests_total', target: `t${i % 4}`, handler: `/api/v1/handler_${i % 50}`, code: String(200 + (i % 5)), series: String(i), instance: `127.0.0.1:${9000 + (i % 4)}`, job: 'bench' }));
const t0 = 1_700_000_000_000;
for (let k = 0; k < SAMPLES; k++) {
  const app = db.appender();
  for (let i = 0; i < SERIES; i++) app.append(0, labels[i]!, t0 + k * STEP, i * 10 + k * (i % 7));
  await app.commit();
}
const end = t0 + (SAMPLES - 1) * STEP;
const m = [new Matcher('=', '__name__', 'bench_requests_total')];
function time(name: string, n: number, fn: () => unknown) { for (let i = 0; i < 3; i++) fn(); const a = performance.now(); for (let i = 0; i < n; i++) fn(); const ms = (performance.now() - a) / n; console.log(name, ms.toFixed(2), 'ms', (ms * 1000 / SERIES).toFixed(2), 'µs/series'); }
let series: any[] = [];
const q = await db.querier(end - 600_000, end);
await (async () => { for (let i = 0; i < 3; i++) series = (await q.select(m, { sortSeries: false })).series as any[]; const a = performance.now(); for (let i = 0; i < 10; i++) series = (await q.select(m, { sortSeries: false })).series as any[]; console.log('select unsorted', ((performance.now() - a) / 10).toFixed(2), 'ms'); const b = performance.now(); for (let i = 0; i < 10; i++) await q.select(m, { sortSeries: true }); console.log('select sorted', ((performance.now() - b) / 10).toFixed(2), 'ms'); })();
// pack: strings table + chunk bytes copy
time('pack strings+bytes', 10, () => {
  const strings = new Map<string, number>(); const idx: number[] = []; let bytes = 0;
  for (const s of series) { (s.labels as Labels).forEach((n, v) => { for (const x of [n, v]) { let id = strings.get(x); if (id === undefined) strings.set(x, (id = strings.size)); idx.push(id); } }); for (const c of s.chunks) bytes += c.length; }
  const buf = new Uint8Array(bytes); let off = 0; for (const s of series) for (const c of s.chunks) { buf.set(c, off); off += c.length; }
  return [strings, idx, buf];
});
time('pack bytes only (memcpy)', 10, () => { let bytes = 0; for (const s of series) for (const c of s.chunks) bytes += c.length; const buf = new Uint8Array(bytes); let off = 0; for (const s of series) for (const c of s.chunks) { buf.set(c, off); off += c.length; } return buf; });
let total = 0; for (const s of series) for (const c of s.chunks) total += c.length; console.log('chunk bytes', total);
time('pack labels only', 10, () => { const strings = new Map<string, number>(); const idx: number[] = []; for (const s of series) (s.labels as Labels).forEach((n, v) => { for (const x of [n, v]) { let id = strings.get(x); if (id === undefined) strings.set(x, (id = strings.size)); idx.push(id); } }); return [strings, idx]; });
const strs = [...new Set(series.flatMap((s) => [...s.labels].flat()))];
time('structuredClone string table', 10, () => structuredClone(strs));
// eval cost on the same data
const engine = new Engine();
for (const [name, expr] of [['rate sum by handler', 'sum by (handler) (rate(bench_requests_total[1m]))'], ['rate all', 'rate(bench_requests_total[1m])'], ['raw', 'bench_requests_total']]) {
  const a = performance.now(); const n = 5; for (let i = 0; i < n; i++) await engine.rangeQuery(db, expr!, end - 600_000, end, 15_000).exec();
  console.log('eval', name, ((performance.now() - a) / n).toFixed(1), 'ms');
}
await db.close();
time('labels flat push', 10, () => { const flat: string[] = []; for (const s of series) (s.labels as Labels).forEach((n, v) => { flat.push(n, v); }); return flat; });
const flatAll: string[] = []; for (const s of series) (s.labels as Labels).forEach((n, v) => { flatAll.push(n, v); });
time('structuredClone flat', 10, () => structuredClone(flatAll));
time('JSON flat', 10, () => JSON.stringify(flatAll));
time('TextEncoder join', 10, () => new TextEncoder().encode(flatAll.join('\u0000')));
const { MessageChannel } = await import('node:worker_threads');
const ch = new MessageChannel();
let got = 0; ch.port2.on('message', () => { got++; });
time('postMessage flat', 10, () => ch.port1.postMessage(flatAll));
ch.port1.close();
