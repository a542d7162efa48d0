import { afterEach, describe, expect, it } from 'vitest';
import { Harness, jobConfig } from './internal/test-harness.js';
import { readSeries, startServer, type TestServer } from './internal/test-support.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

async function target(initial: string): Promise<{ server: TestServer; set(body: string): void }> {
  let body = initial;
  const server = await startServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(body);
  });
  cleanup.push(() => server.close());
  return { server, set: (b) => (body = b) };
}

async function harness(yaml: string): Promise<Harness> {
  const h = new Harness();
  cleanup.push(() => h.stop());
  await h.apply(yaml);
  return h;
}

const stales = async (h: Harness, name: string) => [...(await readSeries(h.storage, name)).values()][0]?.map((p) => p.stale);

describe('end-of-run staleness', () => {
  it('writes no markers for a removed job when the manager shuts down before they are due', async () => {
    const t = await target('a 1\n');
    const h = await harness(jobConfig(t.server.address));
    await h.advance(10_000);
    await h.apply('scrape_configs: []\n');
    await h.stop();
    expect(h.clock.nextDue()).toBeUndefined();
    h.clock.advance(60_000);
    expect(await stales(h, 'a')).toEqual([false]);
  });

  it('marks every series and the report series stale two intervals plus 10% after a target disappears', async () => {
    const t = await target('a 1\n');
    const h = await harness(jobConfig(t.server.address));
    await h.advance(10_000);
    const last = h.target('test').lastScrape!;
    await h.apply('scrape_configs: []\n');
    // Markers are due 2 intervals + 10% after the last scrape, at the time the next scrape would have run.
    await h.advance(last + 20_900 - h.clock.now());
    expect(await stales(h, 'a')).toEqual([false]);
    await h.advance(100);
    const a = [...(await readSeries(h.storage, 'a')).values()][0]!;
    expect(a[1]).toEqual({ t: last + 10_000, v: expect.any(Number), stale: true });
    expect(await stales(h, 'up')).toEqual([false, true]);
    expect(await stales(h, 'scrape_series_added')).toEqual([false, true]);
  });

  it('writes no markers when the target comes back before the markers are due', async () => {
    const t = await target('a 1\n');
    const config = jobConfig(t.server.address);
    const h = await harness(config);
    await h.advance(10_000);
    await h.apply('scrape_configs: []\n');
    await h.advance(5_000);
    await h.apply(config);
    await h.advance(40_000, 5_000);
    expect((await stales(h, 'a'))?.includes(true)).toBe(false);
  });

  it('writes no markers on shutdown', async () => {
    const t = await target('a 1\n');
    const h = await harness(jobConfig(t.server.address));
    await h.advance(10_000);
    await h.stop();
    h.clock.advance(60_000);
    expect(await stales(h, 'a')).toEqual([false]);
  });
});

describe('reload', () => {
  it.each([
    { name: 'interval change (cache reused)', extra: '', interval: '5s' },
    { name: 'metric relabeling change (cache rebuilt)', extra: "    metric_relabel_configs:\n      - {target_label: r, replacement: '1'}\n", interval: '10s' },
  ])('keeps staleness state across a reload: $name', async ({ extra, interval }) => {
    const t = await target('a 1\nb 2\n');
    const h = await harness(jobConfig(t.server.address));
    await h.advance(10_000);
    t.set('a 1\n');
    await h.apply(jobConfig(t.server.address, extra, interval));
    expect(await stales(h, 'b')).toEqual([false]);
    await h.advance(10_000, 5_000);
    expect(await stales(h, 'b')).toEqual([false, true]);
    const tg = h.target('test');
    expect(tg.scrapeInterval).toBe(interval === '5s' ? 5_000 : 10_000);
  });

  it('leaves an unchanged job running untouched', async () => {
    const t = await target('a 1\n');
    const config = jobConfig(t.server.address);
    const h = await harness(config);
    await h.advance(10_000);
    const before = h.target('test');
    await h.apply(config);
    expect(h.target('test')).toBe(before);
  });

  it('drops targets by relabel_configs and lists them as dropped', async () => {
    const t = await target('a 1\n');
    const h = await harness(
      `scrape_configs:\n  - job_name: test\n    static_configs:\n      - targets: ['${t.server.address}', 'skip:1']\n    relabel_configs:\n      - {source_labels: [__address__], regex: 'skip:.*', action: drop}\n      - {target_label: env, replacement: prod}\n`,
    );
    expect(h.target('test').seriesLabels.get('env')).toBe('prod');
    const dropped = h.manager.droppedTargets().get('test')!;
    expect(dropped.map((d) => d.discoveredLabels.get('__address__'))).toEqual(['skip:1']);
    expect(dropped[0]!.discoveredLabels.get('__scrape_interval__')).toBe('1m');
  });
});
