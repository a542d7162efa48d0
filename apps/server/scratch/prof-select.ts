import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Labels } from '@pyrometer/model';
import { Tsdb } from '@pyrometer/tsdb';
import { answerStorageCall } from '../src/query/storage-host.js';
const SERIES = 20_000, SAMPLES = 300, STEP = 2000;
const db = await Tsdb.open(mkdtempSync(join(tmpdir(), 'mq-')), { walEnabled: false, compactionInterval: 0 } as never);
const labels: Labels[] = [];
for (let i = 0; i < SERIES; i++) labels.push(Labels.from({ __name__: 'bench_requests_total', target: `t${i % 4}`, handler: `/api/v1/handler_${i % 50}`, code: String(200 + (i % 5)), series: String(i), instance: `127.0.0.1:${9000 + (i % 4)}`, job: 'bench' }));
const t0 = Date.now() - SAMPLES * STEP;
for (let k = 0; k < SAMPLES; k++) { const app = db.appender(); for (let i = 0; i < SERIES; i++) app.append(0, labels[i]!, t0 + k * STEP, i * 10 + k * (i % 7)); await app.commit(); }
const end = t0 + (SAMPLES - 1) * STEP;
const call = { call: 'select' as const, mint: end - 960_000, maxt: end, matchers: [{ op: '=' as const, name: '__name__', value: 'bench_requests_total' }] };
const { Session } = await import('node:inspector/promises');
const s = new Session(); s.connect();
for (let i = 0; i < 3; i++) await answerStorageCall(db, call, { aborted: false });
await s.post('Profiler.enable'); await s.post('Profiler.start');
const a = performance.now();
let bytes = 0;
for (let i = 0; i < 10; i++) { const r = await answerStorageCall(db, call, { aborted: false }); if (r.result.kind === 'series') bytes = r.result.packed.bytes.length + r.result.packed.nums.length * 8; }
console.log('avg', (performance.now() - a) / 10, 'ms; packed bytes', bytes);
const { profile } = await s.post('Profiler.stop');
const self = new Map<string, number>();
const nodes = new Map(profile.nodes.map((n: any) => [n.id, n]));
for (let i = 0; i < profile.samples.length; i++) { const n: any = nodes.get(profile.samples[i]); const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}`; self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0)); }
const total = [...self.values()].reduce((x, y) => x + y, 0);
for (const [k, v] of [...self.entries()].sort((x, y) => y[1] - x[1]).slice(0, 15)) console.log((100 * v / total).toFixed(1).padStart(5) + '%', k);
await db.close();
