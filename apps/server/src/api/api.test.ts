import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AnchoredRegex, Labels } from '@pyrometer/model';
import { silentLogger } from '@pyrometer/telemetry';
import { tempDir } from '@pyrometer/testkit';
import { Tsdb } from '@pyrometer/tsdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryPool } from '../query/query-pool.js';
import { ConcurrencyLimit } from '../web/http-metrics.js';
import { createRouter } from '../web/web-app.js';
import { createWebServer, webHandler } from '../web/web-handler.js';
import { buildInfo } from './status-api.js';

let server: Server;
let base: string;
let storage: Tsdb;
let pool: QueryPool;
let reloads = 0;

beforeAll(async () => {
  storage = await Tsdb.open(tempDir(), { compactionInterval: 0 });
  const app = storage.appender();
  for (let t = 0; t <= 60_000; t += 15_000) {
    app.append(0, Labels.from({ __name__: 'up', job: 'node', instance: 'a:9100' }), t, 1);
    app.append(0, Labels.from({ __name__: 'up', job: 'pushgateway', instance: 'b:9091' }), t, t === 60_000 ? 0 : 1);
    app.append(0, Labels.from({ __name__: 'http_requests_total', job: 'node', code: '200' }), t, t / 1000);
  }
  await app.commit();
  const engine = { timeout: 120_000, maxSamples: 50_000_000, lookbackDelta: 300_000, enableDelayedNameRemoval: false, experimental: { functions: false, durationExpr: false, extendedRangeSelectors: false } };
  pool = new QueryPool({ size: 1, config: { engine, limits: { maxQueryLength: 0, maxRegexLength: 0 }, niceness: 0, warmUp: false, blockCacheBytes: 1 << 20, userAgent: 'test', remoteRead: { configs: [], externalLabels: {} } }, storage, logger: silentLogger() });
  const router = createRouter(
    {
      pooled: { pool, limit: new ConcurrencyLimit(2), timeout: 120_000, externalLabels: () => ({}), now: () => 60_000 },
      status: {
        build: buildInfo('0.1.0'),
        flags: new Map([['web.enable-lifecycle', 'true'], ['config.file', 'prometheus.yml']]),
        configYaml: () => 'global:\n  scrape_interval: 15s\n',
        startTimeMs: 0,
        reloadConfigSuccess: () => true,
        lastConfigTimeMs: () => 0,
        corruptionCount: () => 0,
        storageRetention: '15d',
      },
    },
    { ready: () => true, reload: async () => void reloads++, quit: () => {}, enabled: true },
  );
  server = createWebServer(webHandler(router, { routePrefix: '', corsOrigin: new AnchoredRegex('.*') }), undefined, silentLogger());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.close();
  await pool.stop();
  await storage.close();
});

async function get(path: string, init?: RequestInit): Promise<{ status: number; body: string; headers: Headers }> {
  const res = await fetch(base + path, init);
  return { status: res.status, body: await res.text(), headers: res.headers };
}

function form(path: string, params: Record<string, string>): Promise<{ status: number; body: string; headers: Headers }> {
  return get(path, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });
}

describe('query API', () => {
  it("answers Grafana's health check byte for byte as Prometheus does", async () => {
    const res = await get('/api/v1/query?query=1%2B1&time=4');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.body).toBe('{"status":"success","data":{"resultType":"scalar","result":[4,"2"]}}');
  });

  it('evaluates instant vectors from a form POST', async () => {
    const res = await form('/api/v1/query', { query: 'up == 0', time: '60' });
    expect(JSON.parse(res.body)).toEqual({ status: 'success', data: { resultType: 'vector', result: [{ metric: { __name__: 'up', instance: 'b:9091', job: 'pushgateway' }, value: [60, '0'] }] } });
  });

  it('evaluates range queries with upstream timestamps and values', async () => {
    const res = await get('/api/v1/query_range?query=rate(http_requests_total[1m])&start=30&end=60&step=15');
    const body = JSON.parse(res.body);
    expect(body.data.resultType).toBe('matrix');
    expect(body.data.result[0].metric).toEqual({ code: '200', job: 'node' });
    // Extrapolation stops at the counter's zero point, as upstream; at 60 the float arithmetic in
    // upstream's order ((60/45)/60 × 45) gives 0.9999999999999999, which Prometheus prints too.
    expect(body.data.result[0].values).toEqual([[30, '0.5'], [45, '0.75'], [60, '0.9999999999999999']]);
  });

  it.each([
    { name: 'parse error', path: '/api/v1/query?query=sum(', status: 400, body: '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"query\\": 1:5: parse error: unclosed left parenthesis"}' },
    { name: 'bad time', path: '/api/v1/query?query=up&time=yesterday', status: 400, body: '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"time\\": cannot parse \\"yesterday\\" to a valid timestamp"}' },
    { name: 'missing step', path: '/api/v1/query_range?query=up&start=0&end=60', status: 400, body: '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"step\\": cannot parse \\"\\" to a valid duration"}' },
    { name: 'end before start', path: '/api/v1/query_range?query=up&start=60&end=0&step=15', status: 400, body: '{"status":"error","errorType":"bad_data","error":"end timestamp must not be before start time"}' },
    { name: 'too many points', path: '/api/v1/query_range?query=up&start=0&end=100000&step=1', status: 400, body: '{"status":"error","errorType":"bad_data","error":"exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"}' },
    { name: 'DELETE series', path: '/api/v1/series', method: 'DELETE', status: 500, body: '{"status":"error","errorType":"internal","error":"not implemented"}' },
  ])('answers $name as upstream', async ({ path, status, body, method }) => {
    const res = await get(path, method ? { method } : undefined);
    expect(res.status).toBe(status);
    expect(res.body).toBe(body);
  });

  it('truncates to limit with a warning', async () => {
    const res = await get('/api/v1/query?query=up&time=60&limit=1');
    expect(JSON.parse(res.body)).toMatchObject({ status: 'success', warnings: ['results truncated due to limit'] });
    expect(JSON.parse(res.body).data.result).toHaveLength(1);
  });
});

describe('other endpoints Grafana and promtool call', () => {
  it('pretty-prints with format_query and validates exemplar queries', async () => {
    expect(JSON.parse((await get('/api/v1/format_query?query=sum(rate(x[5m]))by(job)')).body)).toEqual({ status: 'success', data: 'sum by (job) (rate(x[5m]))' });
    expect((await get('/api/v1/format_query?query=sum(')).status).toBe(400);
    expect(JSON.parse((await get('/api/v1/query_exemplars?query=test&start=0&end=1000')).body)).toEqual({ status: 'success', data: [] });
  });

  it('answers parse_query with the UI tree in upstream translateAST shape, keys sorted as Go marshals maps', async () => {
    const res = await form('/api/v1/parse_query', { query: 'sum by (job) (rate(x{a=~"b"}[5m] offset 1m)) > bool on(job) group_left(c) -y' });
    expect(res.status).toBe(200);
    const selector = '{"anchored":false,"matchers":[{"name":"a","type":"=~","value":"b"},{"name":"__name__","type":"=","value":"x"}],"name":"x","offset":60000,"range":300000,"smoothed":false,"startOrEnd":null,"timestamp":null,"type":"matrixSelector"}';
    const call = `{"args":[${selector}],"func":{"argTypes":["matrix"],"name":"rate","returnType":"vector","variadic":0},"type":"call"}`;
    const sum = `{"expr":${call},"grouping":["job"],"op":"sum","param":null,"type":"aggregation","without":false}`;
    const rhs = '{"expr":{"anchored":false,"matchers":[{"name":"__name__","type":"=","value":"y"}],"name":"y","offset":0,"smoothed":false,"startOrEnd":null,"timestamp":null,"type":"vectorSelector"},"op":"-","type":"unaryExpr"}';
    const parsed = JSON.parse(res.body) as { data: unknown };
    expect(parsed.data).toEqual(JSON.parse(`{"bool":true,"lhs":${sum},"matching":{"card":"many-to-one","fillValues":{"lhs":null,"rhs":null},"include":["c"],"labels":["job"],"on":true},"op":">","rhs":${rhs},"type":"binaryExpr"}`));
    expect(res.body).toContain(`"data":{"bool":true,"lhs":${sum},`);

    const at = JSON.parse((await get('/api/v1/parse_query?query=x @ start()')).body) as { data: unknown };
    expect(at.data).toMatchObject({ type: 'vectorSelector', startOrEnd: 'start', timestamp: null });
    const sub = JSON.parse((await get('/api/v1/parse_query?query=(x)[1h:1m] @ 100')).body) as { data: unknown };
    expect(sub.data).toEqual({ type: 'subquery', range: 3_600_000, step: 60_000, offset: 0, timestamp: 100_000, startOrEnd: null, alignEvalTime: false, expr: { type: 'parenExpr', expr: expect.objectContaining({ type: 'vectorSelector', name: 'x' }) } });
    expect(JSON.parse((await get('/api/v1/parse_query?query="s"')).body).data).toEqual({ type: 'stringLiteral', val: 's' });
    // A minus before a number literal folds into the literal, as upstream's grammar does.
    expect(JSON.parse((await get('/api/v1/parse_query?query=-2.5e-7')).body).data).toEqual({ type: 'numberLiteral', val: '-0.00000025' });

    const bad = await get('/api/v1/parse_query?query=sum(');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ status: 'error', errorType: 'bad_data', error: expect.stringMatching(/^invalid parameter "query": /) });
  });
});

describe('metadata API', () => {
  it('lists series, label names and values with match[]', async () => {
    expect(JSON.parse((await get('/api/v1/series?match[]=up&start=0&end=60')).body).data).toEqual([
      { __name__: 'up', instance: 'a:9100', job: 'node' },
      { __name__: 'up', instance: 'b:9091', job: 'pushgateway' },
    ]);
    expect(JSON.parse((await form('/api/v1/labels', { 'match[]': 'http_requests_total' })).body).data).toEqual(['__name__', 'code', 'job']);
    expect(JSON.parse((await get('/api/v1/label/job/values')).body).data).toEqual(['node', 'pushgateway']);
    expect(JSON.parse((await get('/api/v1/label/__name__/values')).body).data).toEqual(['http_requests_total', 'up']);
  });

  it('rejects a missing or all-empty match[]', async () => {
    expect((await get('/api/v1/series')).body).toBe('{"status":"error","errorType":"bad_data","error":"no match[] parameter provided"}');
    expect((await get('/api/v1/series?match[]={job=~".*"}')).body).toBe('{"status":"error","errorType":"bad_data","error":"invalid parameter \\"match[]\\": match[] must contain at least one non-empty matcher"}');
  });
});

describe('web', () => {
  it('serves lifecycle endpoints with upstream texts', async () => {
    expect(await get('/-/healthy')).toMatchObject({ status: 200, body: 'Prometheus Server is Healthy.\n' });
    expect(await get('/-/ready')).toMatchObject({ status: 200, body: 'Prometheus Server is Ready.\n' });
    expect(await get('/-/reload')).toMatchObject({ status: 405, body: 'Only POST or PUT requests allowed' });
    expect(await get('/-/reload', { method: 'POST' })).toMatchObject({ status: 200, body: '' });
    expect(reloads).toBe(1);
  });

  it('sets CORS headers and answers OPTIONS with 204', async () => {
    const res = await get('/api/v1/labels', { method: 'OPTIONS', headers: { Origin: 'http://grafana:3000' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('vary')).toContain('Origin');
  });

  const TWO_SERIES = encodeURIComponent('vector(time() + 1e9) or label_replace(vector(time() + 1e9), "copy", "1", "", "")');
  it.each([
    { answer: 'whole (compressed by the worker)', query: 'vector(time())', step: 5, whole: true, points: 1801 },
    // Two series of 9,001 points: ~360 KB of JSON.
    { answer: 'streamed (compressed by the main thread)', query: TWO_SERIES, step: 1, whole: false, points: 9001 },
  ])('gzips a $answer query answer when accepted, and only then', async ({ query, step, whole, points }) => {
    const path = `${base}/api/v1/query_range?query=${query}&start=0&end=9000&step=${step}`;
    const zipped = await fetch(path, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('content-length') !== null).toBe(whole);
    const plain = await fetch(path, { headers: { 'Accept-Encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    const text = await plain.text();
    expect(await zipped.text()).toBe(text);
    expect((JSON.parse(text) as { data: { result: { values: unknown[] }[] } }).data.result[0]!.values.length).toBe(points);
  });

  it('sends an answer that fits in TCP\'s initial window (under 14 KiB) uncompressed, whatever the client accepts', async () => {
    const res = await fetch(`${base}/api/v1/query_range?query=vector(time())&start=0&end=9000&step=60`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan(1024);
    expect((JSON.parse(await res.text()) as { data: { result: { values: unknown[] }[] } }).data.result[0]!.values).toHaveLength(151);
  });

  it('reports status, flags and build info without a features key', async () => {
    const build = JSON.parse((await get('/api/v1/status/buildinfo')).body).data;
    expect(build.version).toMatch(/^3\.9\.1\+pyrometer\./);
    expect(build).not.toHaveProperty('features');
    expect((await get('/api/v1/status/flags')).body).toBe('{"status":"success","data":{"config.file":"prometheus.yml","web.enable-lifecycle":"true"}}');
    expect(JSON.parse((await get('/api/v1/status/config')).body).data.yaml).toContain('scrape_interval');
    expect(await get('/nope')).toMatchObject({ status: 404 });
    expect(await get('/api/v1/query', { method: 'PUT' })).toMatchObject({ status: 405 });
  });
});

describe('match[] parsing', () => {
  it.each([
    { name: 'a range', match: 'up[5m]', error: 'invalid parameter \\"match[]\\": 1:3: parse error: unexpected \\"[\\"' },
    { name: 'an expression', match: 'sum(up)', error: 'invalid parameter \\"match[]\\": 1:4: parse error: unexpected \\"(\\"' },
  ])('rejects $name as upstream does', async ({ match, error }) => {
    const res = await get(`/api/v1/series?match[]=${encodeURIComponent(match)}`);
    expect(res.status).toBe(400);
    expect(res.body).toBe(`{"status":"error","errorType":"bad_data","error":"${error}"}`);
  });
});
