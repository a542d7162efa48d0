import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Labels } from '@pyrometer/model';
import { Tsdb } from '@pyrometer/tsdb';
import { Engine } from '@pyrometer/promql';
const SERIES = 20_000, SAMPLES = 300, STEP = 2000;
const db = await Tsdb.open(mkdtempSync(join(tmpdir(), 'mq-')), { walEnabled: false, compactionInterval: 0 } as never);
const labels: Labels[] = [];
for (let i = 0; i < SERIES; i++) labels.push(Labels.from({ __name__: 'bench_requests_total', target: `t${i % 4}`, handler: `/api/v1/handler_${i % 50}`, code: String(200 + (i % 5)), series: String(i), instance: `127.0.0.1:${9000 + (i % 4)}`, job: 'bench' }));
const t0 = Date.now() - SAMPLES * STEP;
for (let k = 0; k < SAMPLES; k++) { const app = db.appender(); for (let i = 0; i < SERIES; i++) app.append(0, labels[i]!, t0 + k * STEP, i * 10 + k * (i % 7)); await app.commit(); }
const end = t0 + (SAMPLES - 1) * STEP;
const engine = new Engine();
const q = process.env.Q ?? 'sum by (handler) (rate(bench_requests_total[1m]))';
const { Session } = await import('node:inspector/promises');
const s = new Session(); s.connect();
for (let i = 0; i < 2; i++) await engine.rangeQuery(db, q, end - 600_000, end, 15_000).exec();
await s.post('Profiler.enable'); await s.post('Profiler.start');
const a = performance.now(); const c0 = process.cpuUsage();
for (let i = 0; i < 5; i++) await engine.rangeQuery(db, q, end - 600_000, end, 15_000).exec();
const c = process.cpuUsage(c0);
console.log('avg wall', ((performance.now() - a) / 5).toFixed(0), 'cpu', ((c.user + c.system) / 5000).toFixed(0), 'ms');
const { profile } = await s.post('Profiler.stop');
// aggregate self time by function
const self = new Map<string, number>();
const nodes = new Map(profile.nodes.map((n: any) => [n.id, n]));
const dt = profile.timeDeltas; const samples = profile.samples;
for (let i = 0; i < samples.length; i++) { const n: any = nodes.get(samples[i]); const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`; self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0)); }
const total = [...self.values()].reduce((x, y) => x + y, 0);
for (const [k, v] of [...self.entries()].sort((x, y) => y[1] - x[1]).slice(0, 25)) console.log((100 * v / total).toFixed(1).padStart(5) + '%', k);
await db.close();
