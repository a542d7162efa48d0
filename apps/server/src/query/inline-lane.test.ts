import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeText } from '@pyrometer/exposition';
import { Labels } from '@pyrometer/model';
import { MetricsRegistry, silentLogger } from '@pyrometer/telemetry';
import { tempDir } from '@pyrometer/testkit';
import { Tsdb } from '@pyrometer/tsdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from '../web/http-metrics.js';
import { InlineLane, type InlineLaneOptions } from './inline-lane.js';
import { pooledRoute } from './pooled-route.js';
import { QueryPool } from './query-pool.js';
import { TEST_WORKER_CONFIG } from './test-worker-config.js';

/** Bounds no run of these tests reaches: the engine may run cold here. */
const GENEROUS: InlineLaneOptions = { tinyMs: 1000, pooledWallMs: 10_000, deadlineMs: 1000, burstMs: 10_000, perSecondMs: 10_000, maxShapeLength: 2048, overruns: 2, shapes: 100 };

let storage: Tsdb;
let pool: QueryPool;
const servers: Server[] = [];

beforeAll(async () => {
  storage = await Tsdb.open(tempDir(), { compactionInterval: 0 });
  const app = storage.appender();
  for (let t = 0; t <= 600_000; t += 15_000) {
    for (let i = 0; i < 200; i++) app.append(0, Labels.from({ __name__: 'wide', instance: `host-${i}.example.org:9100`, job: 'node' }), t, i * t);
    app.append(0, Labels.from({ __name__: 'up', job: 'node', instance: 'a:9100' }), t, 1);
    app.append(0, Labels.from({ __name__: 'up', job: 'push', instance: 'b:9091' }), t, t / 1000);
  }
  await app.commit();
  pool = new QueryPool({ size: 2, config: TEST_WORKER_CONFIG, storage, logger: silentLogger() });
});

afterAll(async () => {
  for (const s of servers) s.close();
  await pool.stop();
  await storage.close();
});

/** A server answering `/api/v1/query` and `/api/v1/query_range` through pooledRoute, with `lane` (none: every query pooled). */
async function serve(lane: InlineLane | undefined): Promise<number> {
  const deps = { pool, limit: new ConcurrencyLimit(20), timeout: 120_000, externalLabels: () => ({}), now: () => 600_000, ...(lane === undefined ? {} : { inline: lane }) };
  const routes = { '/api/v1/query': pooledRoute(deps, 'query'), '/api/v1/query_range': pooledRoute(deps, 'query_range') };
  const server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    void routes[url.pathname as keyof typeof routes]({ req, res, url, params: {} });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

function newLane(options: InlineLaneOptions = GENEROUS): { lane: InlineLane; registry: MetricsRegistry } {
  const registry = new MetricsRegistry();
  const lane = new InlineLane({ storage, engine: TEST_WORKER_CONFIG.engine, limits: TEST_WORKER_CONFIG.limits, remoteRead: TEST_WORKER_CONFIG.remoteRead, logger: silentLogger(), registry }, options);
  return { lane, registry };
}

function counter(registry: MetricsRegistry, name: string): number {
  const line = writeText(registry.collect())
    .split('\n')
    .find((l) => l.startsWith(name + ' '));
  return Number(line?.split(' ')[1]);
}

interface Raw {
  status: number;
  headers: Record<string, string | undefined>;
  body: Buffer;
}

interface Ask {
  method?: 'GET' | 'POST' | 'HEAD';
  path: string;
  form?: string;
  gzip?: boolean;
}

/** The raw answer (no decompression): status, the headers that matter, the body's bytes. */
function ask(port: number, { method = 'GET', path, form, gzip = false }: Ask): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = gzip ? { 'Accept-Encoding': 'gzip' } : {};
    if (form !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => {
        const h = res.headers;
        resolve({ status: res.statusCode!, headers: { type: h['content-type'], encoding: h['content-encoding'], length: h['content-length'], vary: h['vary'], chunked: h['transfer-encoding'] }, body: Buffer.concat(parts) });
      });
    });
    req.on('error', reject);
    req.end(form);
  });
}

const ASKS: Ask[] = [
  { path: '/api/v1/query?query=up&time=300' },
  { path: '/api/v1/query_range?query=rate(up%5B1m%5D)&start=0&end=600&step=15' },
  { path: '/api/v1/query_range?query=wide&start=0&end=600&step=15', gzip: true },
  { path: '/api/v1/query_range?query=wide&start=0&end=600&step=15' },
  { path: '/api/v1/query?query=sum(up', gzip: true },
  { path: '/api/v1/query?query=up%20%2B%20on()%20group_left%20up&time=300' },
  { path: '/api/v1/query_range?query=up&start=600&end=0&step=15' },
  { method: 'POST', path: '/api/v1/query', form: 'query=count(wide)&time=400', gzip: true },
  { method: 'HEAD', path: '/api/v1/query?query=up&time=300' },
];

describe('the inline lane', () => {
  it('answers instant and range queries, errors, gzip and HEAD byte for byte as the pool does', async () => {
    const pooled = await serve(undefined);
    const { lane, registry } = newLane();
    const inline = await serve(lane);
    for (const a of ASKS) {
      const expected = await ask(pooled, a);
      // The first run of a shape is pooled (its cost is learned), the next ones inline.
      for (let i = 0; i < 3; i++) expect(await ask(inline, a)).toEqual(expected);
    }
    // Every run but the first of each of the 7 shapes (a gzip or HEAD request shares its query's).
    expect(counter(registry, 'pyrometer_query_inline_answers_total')).toBe(ASKS.length * 3 - 7);
    expect(counter(registry, 'pyrometer_query_inline_fallbacks_total')).toBe(0);
    const gzipped = await ask(inline, ASKS[2]!);
    expect(gzipped.headers['encoding']).toBe('gzip');
  });

  it('hands a run past its deadline to the pool, which answers it, and stops inlining a shape that overran twice', async () => {
    const pooled = await serve(undefined);
    const { lane, registry } = newLane({ ...GENEROUS, deadlineMs: 0 });
    const inline = await serve(lane);
    const a = ASKS[1]!;
    const expected = await ask(pooled, a);
    // Pooled, inline (overran: pooled), pooled (a tiny pooled answer lets it try again), inline (overran again: pooled), then pooled for good.
    for (let i = 0; i < 8; i++) expect(await ask(inline, a)).toEqual(expected);
    expect(counter(registry, 'pyrometer_query_inline_fallbacks_total')).toBe(2);
    expect(counter(registry, 'pyrometer_query_inline_answers_total')).toBe(0);
  });

  it('stops inlining once its budget is spent', async () => {
    // One deadline's worth in the bucket, and next to no refill: one inline run, then every query pooled.
    const { lane, registry } = newLane({ ...GENEROUS, deadlineMs: 100, burstMs: 100, perSecondMs: 0.001 });
    const inline = await serve(lane);
    const answers: Raw[] = [];
    for (let i = 0; i < 10; i++) answers.push(await ask(inline, ASKS[0]!));
    expect(new Set(answers.map((r) => r.body.toString())).size).toBe(1);
    expect(counter(registry, 'pyrometer_query_inline_answers_total')).toBe(1);
  });

  it('inlines nothing while the pool runs a task', async () => {
    const { lane, registry } = newLane();
    const inline = await serve(lane);
    await ask(inline, ASKS[0]!);
    await ask(inline, ASKS[0]!);
    expect(counter(registry, 'pyrometer_query_inline_answers_total')).toBe(1);
    const heavy = new AbortController();
    const long = fetch(`http://127.0.0.1:${inline}/api/v1/query?query=${encodeURIComponent('count(max_over_time(vector(1)[30d:1s]))')}&time=300`, { signal: heavy.signal }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    expect(pool.tasks).toBe(1);
    const answer = await ask(inline, ASKS[0]!);
    expect(JSON.parse(answer.body.toString()).data.result).toHaveLength(2);
    expect(counter(registry, 'pyrometer_query_inline_answers_total')).toBe(1);
    heavy.abort();
    await long;
  });
});
