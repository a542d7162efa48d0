import { tempDir } from '@pyrometer/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PyrometerServer } from '../src/server.js';
import { eventually, startServer, startTarget } from './harness.js';

// Issue 17: a busy server never goes blind. Queries run on worker threads, so scraping and health
// checks go on while a query that would run for minutes holds a worker, and a client that gives up
// stops its query. Nothing here is timed: every condition is awaited, the proof is that it happens.

// Evaluating it takes tens of seconds (34.5M subquery steps): effectively endless for this test.
const ENDLESS = '/api/v1/query?query=' + encodeURIComponent('count_over_time(vector(1)[400d:1s])');

let server: PyrometerServer;
let base: string;
let closeTarget: () => void;

beforeAll(async () => {
  const target = await startTarget(() => '# TYPE demo gauge\ndemo 1\n');
  closeTarget = () => target.server.close();
  const config = `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: demo\n    static_configs:\n      - targets: ['${target.address}']\n`;
  server = await startServer(tempDir(), config, ['--query.workers=2', '--query.max-length=2000', '--query.max-regex-length=100']);
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server.stop();
  closeTarget();
});

/** The value of one sample line of our /metrics (labels as written), or undefined. */
async function selfMetric(line: string): Promise<number | undefined> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const found = text.split('\n').find((l) => l.startsWith(line + ' '));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

const appended = async () => (await selfMetric('prometheus_tsdb_head_samples_appended_total')) ?? 0;

describe('query isolation', () => {
  it('starts no query worker until a query comes, then answers a storm of queries right after start while scraping goes on', async () => {
    await eventually(async () => ((await appended()) > 0 ? true : undefined), 20_000, 'a first scrape');
    expect(await selfMetric('pyrometer_query_workers')).toBe(0);
    const before = await appended();
    const storm = Array.from({ length: 12 }, (_, i) => fetch(`${base}/api/v1/query?query=${encodeURIComponent(`count(up) * ${i}`)}`));
    const health = await fetch(`${base}/-/healthy`);
    expect(health.status).toBe(200);
    const answers = await Promise.all(storm.map(async (res) => ((await (await res).json()) as { data: { result: { value: [number, string] }[] } }).data.result[0]!.value[1]));
    expect(answers).toEqual(Array.from({ length: 12 }, (_, i) => String(i)));
    expect(await selfMetric('pyrometer_query_workers')).toBeGreaterThanOrEqual(1);
    expect(await selfMetric('pyrometer_query_workers')).toBeLessThanOrEqual(2);
    await eventually(async () => ((await appended()) > before ? true : undefined), 20_000, 'a scrape after the storm');
  }, 60_000);

  it('scrapes, answers health checks and other queries while an endless query runs, and cancels it when its client disconnects', async () => {
    await eventually(async () => ((await appended()) > 0 ? true : undefined), 20_000, 'a first scrape');
    const client = new AbortController();
    const endless = fetch(base + ENDLESS, { signal: client.signal }).catch((err: unknown) => err);
    await eventually(async () => ((await selfMetric('prometheus_engine_queries')) === 1 ? true : undefined), 20_000, 'the endless query to run');

    const before = await appended();
    await eventually(async () => ((await appended()) > before ? true : undefined), 20_000, 'a scrape while the query runs');
    const health = await fetch(`${base}/-/healthy`);
    expect(health.status).toBe(200);
    const up = (await (await fetch(`${base}/api/v1/query?query=up`)).json()) as { data: { result: { value: [number, string] }[] } };
    expect(up.data.result[0]!.value[1]).toBe('1');

    client.abort();
    expect(await endless).toBeInstanceOf(Error);
    await eventually(async () => ((await selfMetric('prometheus_engine_queries')) === 0 ? true : undefined), 20_000, 'the query to stop');
    expect(await selfMetric('pyrometer_queries_canceled_total{reason="canceled"}')).toBe(1);
  }, 60_000);

  it('cancels a query POSTed as Grafana sends it (form body, gzip accepted) when its client disconnects', async () => {
    const canceled = async () => (await selfMetric('pyrometer_queries_canceled_total{reason="canceled"}')) ?? 0;
    const canceledBefore = await canceled();
    const client = new AbortController();
    const body = new URLSearchParams({ query: 'count_over_time(vector(1)[400d:1s])' });
    const endless = fetch(`${base}/api/v1/query`, { method: 'POST', body, headers: { 'accept-encoding': 'gzip' }, signal: client.signal }).catch((err: unknown) => err);
    await eventually(async () => ((await selfMetric('prometheus_engine_queries')) === 1 ? true : undefined), 20_000, 'the endless query to run');
    client.abort();
    expect(await endless).toBeInstanceOf(Error);
    await eventually(async () => ((await selfMetric('prometheus_engine_queries')) === 0 ? true : undefined), 20_000, 'the query to stop');
    expect(await canceled()).toBe(canceledBefore + 1);
  }, 60_000);

  it('answers 503 with upstream wording when the query outlives its timeout', async () => {
    const res = await fetch(`${base}${ENDLESS}&timeout=1s`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' });
  }, 30_000);

  it.each([
    { name: 'a query over --query.max-length', path: `/api/v1/query?query=${'1%2B'.repeat(1050)}1`, error: 'invalid parameter "query": 2101 characters exceed the limit of 2000 (--query.max-length)' },
    { name: 'a match[] over --query.max-length', path: `/api/v1/series?match[]=${encodeURIComponent(`{a="${'x'.repeat(2000)}"}`)}`, error: 'invalid parameter "match[]": 2006 characters exceed the limit of 2000 (--query.max-length)' },
    {
      name: 'a regex over --query.max-regex-length',
      path: `/api/v1/query?query=${encodeURIComponent(`up{job=~"${'(a|b)'.repeat(24)}c"}`)}`,
      error: 'invalid parameter "query": 1:4: parse error: regular expression of 121 characters exceeds the limit of 100',
    },
  ])('refuses $name with 400', async ({ path, error }) => {
    const res = await fetch(base + path);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ status: 'error', errorType: 'bad_data', error });
  });
});
