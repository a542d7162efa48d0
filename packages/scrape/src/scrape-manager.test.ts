import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { Harness, jobConfig } from './internal/test-harness.js';
import { readSeries, startServer, type TestServer } from './internal/test-support.js';

const TEXT = 'text/plain; version=0.0.4; charset=utf-8';
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

/** A target whose body the test can change between scrapes. */
async function target(initial: string, contentType = TEXT): Promise<{ server: TestServer; set(body: string, status?: number): void }> {
  let body = initial;
  let status = 200;
  const server = await startServer((_req, res) => {
    res.writeHead(status, { 'content-type': contentType });
    res.end(body);
  });
  cleanup.push(() => server.close());
  return {
    server,
    set(b, s = 200) {
      body = b;
      status = s;
    },
  };
}

async function harness(yaml: string): Promise<Harness> {
  const h = new Harness();
  cleanup.push(() => h.stop());
  await h.apply(yaml);
  return h;
}

describe('scrape loop', () => {
  it('scrapes a target with upstream headers and writes samples and report series', async () => {
    const t = await target('# TYPE c counter\n# HELP c A counter.\nc{a="1"} 3\ng 1.5\n');
    const h = await harness(jobConfig(t.server.address));
    await h.advance(10_000);
    const tg = h.target('test');
    expect(tg.health).toBe('up');
    const req = t.server.requests[0]!;
    expect(req.url).toBe('/metrics');
    expect(req.headers['accept']).toBe(
      'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2',
    );
    expect(req.headers['accept-encoding']).toBe('gzip');
    expect(req.headers['x-prometheus-scrape-timeout-seconds']).toBe('10');
    const t0 = tg.lastScrape!;
    const inst = t.server.address;
    expect(await readSeries(h.storage, 'c')).toEqual(new Map([[`{__name__="c", a="1", instance="${inst}", job="test"}`, [{ t: t0, v: 3, stale: false }]]]));
    const report = async (name: string) => [...(await readSeries(h.storage, name)).values()][0]?.map((p) => p.v);
    expect(await report('up')).toEqual([1]);
    expect(await report('scrape_samples_scraped')).toEqual([2]);
    expect(await report('scrape_samples_post_metric_relabeling')).toEqual([2]);
    expect(await report('scrape_series_added')).toEqual([2]);
    expect((await report('scrape_duration_seconds'))?.[0]).toBeGreaterThanOrEqual(0);
    expect(tg.metadata().get('c')).toEqual({ type: 'counter', help: 'A counter.', unit: '' });

    await h.advance(10_000);
    expect(tg.lastScrape).toBe(t0 + 10_000);
    expect(await report('scrape_series_added')).toEqual([2, 0]);
  });

  it('writes staleness markers for series that disappear and for all series when a scrape fails', async () => {
    const t = await target('a 1\nb 2\n');
    const h = await harness(jobConfig(t.server.address));
    await h.advance(10_000);
    const t0 = h.target('test').lastScrape!;
    t.set('a 1\n');
    await h.advance(10_000);
    const b = [...(await readSeries(h.storage, 'b')).values()][0]!;
    expect(b).toEqual([
      { t: t0, v: 2, stale: false },
      { t: t0 + 10_000, v: expect.any(Number), stale: true },
    ]);
    t.set('oops', 500);
    await h.advance(10_000);
    const tg = h.target('test');
    expect(tg.health).toBe('down');
    expect(tg.lastError).toContain('server returned HTTP status 500');
    const a = [...(await readSeries(h.storage, 'a')).values()][0]!;
    expect(a.map((p) => p.stale)).toEqual([false, false, true]);
    expect([...(await readSeries(h.storage, 'up')).values()][0]!.map((p) => p.v)).toEqual([1, 1, 0]);
  });

  it('uses explicit timestamps when honor_timestamps is true, without staleness markers for them', async () => {
    const t = await target('a 1 1699999990000\nb 2\n');
    const h = await harness(jobConfig(t.server.address));
    await h.advance(10_000);
    t.set('');
    await h.advance(10_000);
    expect([...(await readSeries(h.storage, 'a')).values()][0]).toEqual([{ t: 1699999990000, v: 1, stale: false }]);
    expect([...(await readSeries(h.storage, 'b')).values()][0]!.map((p) => p.stale)).toEqual([false, true]);
  });

  it('ignores explicit timestamps when honor_timestamps is false', async () => {
    const t = await target('a 1 1699999990000\n');
    const h = await harness(jobConfig(t.server.address, '    honor_timestamps: false\n'));
    await h.advance(10_000);
    expect([...(await readSeries(h.storage, 'a')).values()][0]).toEqual([{ t: h.target('test').lastScrape, v: 1, stale: false }]);
  });

  it('rejects samples more than 10 minutes in the future and drops in-scrape duplicates without failing', async () => {
    const t = await target('a 1 1800000000000\nb 1\nb 2\nc 3\n');
    const h = await harness(jobConfig(t.server.address));
    await h.advance(10_000);
    expect(h.target('test').health).toBe('up');
    expect(await readSeries(h.storage, 'a')).toEqual(new Map());
    expect([...(await readSeries(h.storage, 'b')).values()][0]!.map((p) => p.v)).toEqual([1]);
    const families = h.registry.collect();
    const value = (name: string) => families.find((f) => f.name === name)?.metrics[0]?.value;
    expect(value('prometheus_target_scrapes_sample_out_of_bounds_total')).toBe(1);
    expect(value('prometheus_target_scrapes_sample_duplicate_timestamp_total')).toBe(1);
  });

  it('decompresses gzip bodies', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': TEXT, 'content-encoding': 'gzip' });
      res.end(gzipSync('zipped 42\n'));
    });
    cleanup.push(() => server.close());
    const h = await harness(jobConfig(server.address));
    await h.advance(10_000);
    expect([...(await readSeries(h.storage, 'zipped')).values()][0]!.map((p) => p.v)).toEqual([42]);
  });

  it('asks for identity encoding when enable_compression is false', async () => {
    const t = await target('x 1\n');
    const h = await harness(jobConfig(t.server.address, '    enable_compression: false\n'));
    await h.advance(10_000);
    expect(t.server.requests[0]!.headers['accept-encoding']).toBe('identity');
  });

  it('sends basic auth credentials and params', async () => {
    const t = await target('x 1\n');
    const h = await harness(jobConfig(t.server.address, '    basic_auth: {username: u, password: p}\n    params: {module: [m1]}\n    metrics_path: /probe\n'));
    await h.advance(10_000);
    const req = t.server.requests[0]!;
    expect(req.headers['authorization']).toBe('Basic ' + Buffer.from('u:p').toString('base64'));
    expect(req.url).toBe('/probe?module=m1');
  });

  it('sends the authorization header', async () => {
    const t = await target('x 1\n');
    const h = await harness(jobConfig(t.server.address, '    authorization: {credentials: secret}\n'));
    await h.advance(10_000);
    expect(t.server.requests[0]!.headers['authorization']).toBe('Bearer secret');
  });
});

describe('content types', () => {
  it('parses OpenMetrics bodies by their Content-Type', async () => {
    const t = await target('# TYPE x counter\nx_total 5\n# EOF\n', 'application/openmetrics-text; version=1.0.0; charset=utf-8');
    const h = await harness(jobConfig(t.server.address));
    await h.advance(10_000);
    expect([...(await readSeries(h.storage, 'x_total')).values()][0]!.map((p) => p.v)).toEqual([5]);
  });

  it.each([
    { name: 'missing Content-Type fails', contentType: '', fallback: '', up: 0 },
    { name: 'unknown Content-Type fails', contentType: 'application/json', fallback: '', up: 0 },
    { name: 'fallback_scrape_protocol accepts it', contentType: 'application/json', fallback: '    fallback_scrape_protocol: PrometheusText0.0.4\n', up: 1 },
  ])('$name', async ({ contentType, fallback, up }) => {
    const server = await startServer((_req, res) => {
      if (contentType) res.setHeader('content-type', contentType);
      res.end('x 1\n');
    });
    cleanup.push(() => server.close());
    const h = await harness(jobConfig(server.address, fallback));
    await h.advance(10_000);
    expect([...(await readSeries(h.storage, 'up')).values()][0]!.map((p) => p.v)).toEqual([up]);
    if (up === 0) expect(h.target('test').lastError).toContain('Content-Type');
  });

  it('fails the scrape on a parse error and marks the previous series stale', async () => {
    const t = await target('a 1\n');
    const h = await harness(jobConfig(t.server.address));
    await h.advance(10_000);
    t.set('a 1\nb{ 2\n');
    await h.advance(10_000);
    expect(h.target('test').health).toBe('down');
    expect([...(await readSeries(h.storage, 'a')).values()][0]!.map((p) => p.stale)).toEqual([false, true]);
    expect(await readSeries(h.storage, 'b')).toEqual(new Map());
  });
});
