import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Labels } from '@pyrometer/model';
import { Tsdb } from '@pyrometer/tsdb';
import { Engine } from '@pyrometer/promql';
import { RemoteQueryable } from '../src/query/remote-queryable.js';
import { answerStorageCall } from '../src/query/storage-host.js';

const SERIES = 20_000, SAMPLES = Number(process.env.SAMPLES ?? 300), STEP = 2000;
const db = await Tsdb.open(mkdtempSync(join(tmpdir(), 'mq-')), { walEnabled: false, compactionInterval: 0 } as never);
const labels: Labels[] = [];
for (let i = 0; i < SERIES; i++) labels.push(Labels.from({ __name__: 'bench_requests_total', target: `t${i % 4}`, handler: `/api/v1/handler_${i % 50}`, code: String(200 + (i % 5)), series: String(i), instance: `127.0.0.1:${9000 + (i % 4)}`, job: 'bench' }));
const t0 = Date.now() - SAMPLES * STEP;
for (let k = 0; k < SAMPLES; k++) {
  const app = db.appender();
  for (let i = 0; i < SERIES; i++) app.append(0, labels[i]!, t0 + k * STEP, i * 10 + k * (i % 7));
  await app.commit();
}
const end = t0 + (SAMPLES - 1) * STEP;
let mainMs = 0;
const remote = new RemoteQueryable(async (call) => { const a = performance.now(); const answer = await answerStorageCall(db, call, { aborted: false }); mainMs += performance.now() - a; return structuredClone(answer.result, { transfer: answer.transfer }); });
const engine = new Engine();
const QUERIES = [
  'sum by (handler) (rate(bench_requests_total[1m]))',
  'sum by (code) (rate(bench_requests_total[1m]))',
  'topk(5, sum by (target, handler) (rate(bench_requests_total[1m])))',
  'sum(rate(bench_requests_total{code="200"}[1m])) / sum(rate(bench_requests_total[1m]))',
  'count by (target) (bench_requests_total)',
  'sum by (handler) (rate(bench_requests_total{handler=~"/api/v1/handler_1.*"}[1m]))',
];
for (const q of QUERIES) {
  for (const [name, st] of [['direct', db], ['proxy', remote]] as const) {
    for (let i = 0; i < 2; i++) await engine.rangeQuery(st, q, end - 600_000, end, 15_000).exec();
    mainMs = 0;
    const a = performance.now(); const n = 4;
    for (let i = 0; i < n; i++) await engine.rangeQuery(st, q, end - 600_000, end, 15_000).exec();
    console.log(name.padEnd(6), ((performance.now() - a) / n).toFixed(1).padStart(7), 'ms', name === 'proxy' ? `(main ${(mainMs / n).toFixed(1)} ms)` : '', q);
  }
}
await db.close();
