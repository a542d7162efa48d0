import { afterEach, describe, expect, it } from 'vitest';
import { Harness, jobConfig } from './internal/test-harness.js';
import { readSeries, startServer } from './internal/test-support.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

async function scrapeOnce(body: string, extra: string, headers: Record<string, string> = {}): Promise<Harness> {
  const server = await startServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4', ...headers });
    res.end(body);
  });
  cleanup.push(() => server.close());
  const h = new Harness();
  cleanup.push(() => h.stop());
  await h.apply(jobConfig(server.address, extra));
  await h.advance(10_000);
  return h;
}

async function values(h: Harness, name: string): Promise<number[] | undefined> {
  return [...(await readSeries(h.storage, name)).values()][0]?.map((p) => p.v);
}

describe('limits fail the scrape', () => {
  it.each([
    { name: 'sample_limit', extra: '    sample_limit: 2\n', error: 'sample limit exceeded' },
    { name: 'label_limit', extra: '    label_limit: 3\n', error: 'label_limit exceeded (metric: c, number of labels: 4, limit: 3)' },
    { name: 'label_name_length_limit', extra: '    label_name_length_limit: 4\n', error: 'label_name_length_limit exceeded (metric: a, label name: __name__, length: 8, limit: 4)' },
    { name: 'label_value_length_limit', extra: '    label_value_length_limit: 3\n', error: 'label_value_length_limit exceeded' },
    { name: 'body_size_limit', extra: '    body_size_limit: 10B\n', error: 'body size limit exceeded' },
  ])('$name', async ({ extra, error }) => {
    const h = await scrapeOnce('a 1\nb 2\nc{x="1"} 3\n', extra);
    const t = h.target('test');
    expect(t.health).toBe('down');
    expect(t.lastError).toContain(error);
    expect(await values(h, 'a')).toBeUndefined();
    expect(await values(h, 'up')).toEqual([0]);
  });

  it('reports the parsed and post-relabeling counts of a scrape over the sample limit', async () => {
    const h = await scrapeOnce('a 1\nb 2\nc 3\n', '    sample_limit: 2\n');
    expect(await values(h, 'scrape_samples_scraped')).toEqual([3]);
    expect(await values(h, 'scrape_samples_post_metric_relabeling')).toEqual([3]);
    const f = h.registry.collect().find((m) => m.name === 'prometheus_target_scrapes_exceeded_sample_limit_total');
    expect(f?.metrics[0]?.value).toBe(1);
  });

  it('counts the sample limit after metric relabeling', async () => {
    const h = await scrapeOnce('a 1\nb 2\nc 3\n', "    sample_limit: 2\n    metric_relabel_configs:\n      - {source_labels: [__name__], regex: c, action: drop}\n");
    expect(h.target('test').health).toBe('up');
    expect(await values(h, 'scrape_samples_scraped')).toEqual([3]);
    expect(await values(h, 'scrape_samples_post_metric_relabeling')).toEqual([2]);
    expect(await values(h, 'c')).toBeUndefined();
  });
});

describe('label merging', () => {
  it('renames conflicting exposed labels to exported_* without honor_labels', async () => {
    const h = await scrapeOnce('a{job="other",instance="i",exported_job="e"} 1\n', '');
    const inst = h.target('test').seriesLabels.get('instance');
    expect([...(await readSeries(h.storage, 'a')).keys()]).toEqual([`{__name__="a", exported_exported_job="other", exported_instance="i", exported_job="e", instance="${inst}", job="test"}`]);
  });

  it('keeps exposed labels with honor_labels, and an exposed empty instance suppresses the target instance', async () => {
    const h = await scrapeOnce('a{job="pushed",instance=""} 1\nb 2\n', '    honor_labels: true\n');
    const inst = h.target('test').seriesLabels.get('instance');
    expect([...(await readSeries(h.storage, 'a')).keys()]).toEqual(['{__name__="a", job="pushed"}']);
    expect([...(await readSeries(h.storage, 'b')).keys()]).toEqual([`{__name__="b", instance="${inst}", job="test"}`]);
  });

  it('applies metric_relabel_configs to scraped series but not to report series', async () => {
    const h = await scrapeOnce('a{x="1"} 1\n', "    metric_relabel_configs:\n      - {action: labeldrop, regex: job}\n      - {target_label: extra, replacement: yes}\n");
    const inst = h.target('test').seriesLabels.get('instance');
    expect([...(await readSeries(h.storage, 'a')).keys()]).toEqual([`{__name__="a", extra="yes", instance="${inst}", x="1"}`]);
    expect([...(await readSeries(h.storage, 'up')).keys()]).toEqual([`{__name__="up", instance="${inst}", job="test"}`]);
  });

  it('fails the scrape when metric relabeling removes the metric name', async () => {
    const h = await scrapeOnce('a 1\n', '    metric_relabel_configs:\n      - {action: labeldrop, regex: __name__}\n');
    expect(h.target('test').lastError).toContain('missing metric name (__name__ label)');
  });

  it('rejects invalid names under the legacy validation scheme', async () => {
    const h = await scrapeOnce('{"a.b"} 1\n', '    metric_name_validation_scheme: legacy\n', { 'content-type': 'text/plain; version=1.0.0' });
    expect(h.target('test').health).toBe('down');
    expect(h.target('test').lastError).toContain('invalid metric name');
  });
});

describe('target_limit', () => {
  it('fails every target of a job with more targets than the limit', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end('a 1\n');
    });
    cleanup.push(() => server.close());
    const h = new Harness();
    cleanup.push(() => h.stop());
    const config = (limit: number) => `scrape_configs:\n  - job_name: test\n    scrape_interval: 10s\n    target_limit: ${limit}\n    static_configs: [{targets: ['${server.address}', 'localhost:${server.address.split(':')[1]}']}]\n`;
    await h.apply(config(1));
    await h.advance(10_000);
    const targets = h.manager.activeTargets().get('test')!;
    expect(targets.map((t) => t.lastError)).toEqual(['target_limit exceeded (number of targets: 2, limit: 1)', 'target_limit exceeded (number of targets: 2, limit: 1)']);
    expect(server.requests).toHaveLength(0);
    await h.apply(config(2));
    await h.advance(10_000);
    expect(h.manager.activeTargets().get('test')!.map((t) => t.health)).toEqual(['up', 'up']);
  });
});
