import { join } from 'node:path';
import { Labels } from '@pyrometer/model';
import { tempDir } from '@pyrometer/testkit';
import { Tsdb } from '@pyrometer/tsdb';
import { describe, expect, it } from 'vitest';
import { startServer } from './harness.js';

const HOUR = 3_600_000;

describe('target relabel steps and block status', () => {
  it('walks a scrape pool\'s relabel_configs step by step over the given labels', async () => {
    const dir = tempDir();
    const config = [
      'scrape_configs:',
      '  - job_name: flink',
      '    static_configs: [{ targets: [] }]',
      '    relabel_configs:',
      '      - { source_labels: [__address__], regex: "(.*):9249", target_label: instance, replacement: "tm-$1" }',
      '      - { source_labels: [env], regex: dev, action: drop }',
      '      - { target_label: team, replacement: data }',
      '',
    ].join('\n');
    const server = await startServer(dir, config);
    const base = `http://127.0.0.1:${server.port}`;
    const steps = async (labels: Record<string, string>, pool = 'flink') => {
      const res = await fetch(`${base}/api/v1/targets/relabel_steps?scrapePool=${pool}&labels=${encodeURIComponent(JSON.stringify(labels))}`);
      return { status: res.status, body: (await res.json()) as { data?: { steps: { rule: Record<string, unknown>; output: Record<string, string>; keep: boolean }[] }; error?: string } };
    };
    try {
      const kept = await steps({ __address__: 'a:9249', job: 'flink' });
      expect(kept.status).toBe(200);
      expect(kept.body.data!.steps.map((s) => [s.output, s.keep])).toEqual([
        [{ __address__: 'a:9249', instance: 'tm-a', job: 'flink' }, true],
        [{ __address__: 'a:9249', instance: 'tm-a', job: 'flink' }, true],
        [{ __address__: 'a:9249', instance: 'tm-a', job: 'flink', team: 'data' }, true],
      ]);
      expect(kept.body.data!.steps[0]!.rule).toEqual({ source_labels: ['__address__'], separator: ';', regex: '(.*):9249', target_label: 'instance', replacement: 'tm-$1', action: 'replace' });

      // Once dropped, every later step reports an empty set and keep=false.
      const dropped = await steps({ __address__: 'b:1', env: 'dev' });
      expect(dropped.body.data!.steps.map((s) => [s.output, s.keep])).toEqual([[{ __address__: 'b:1', env: 'dev' }, true], [{}, false], [{}, false]]);

      expect(await steps({ a: 'b' }, 'nope')).toEqual({ status: 400, body: expect.objectContaining({ error: 'error retrieving scrape config: scrape pool "nope" not found' }) });
      const badJson = await fetch(`${base}/api/v1/targets/relabel_steps?scrapePool=flink&labels={oops`);
      expect(badJson.status).toBe(400);
      expect(((await badJson.json()) as { error: string }).error).toMatch(/^error parsing labels: /);
      const missing = await fetch(`${base}/api/v1/targets/relabel_steps?labels={}`);
      expect(((await missing.json()) as { error: string }).error).toBe('no scrapePool parameter provided');
    } finally {
      await server.stop();
    }
  });

  it('lists the persisted blocks\' meta.json under /api/v1/status/tsdb/blocks', async () => {
    const dir = tempDir();
    const now = Date.now();
    const start = now - 6 * HOUR;
    const db = await Tsdb.open(join(dir, 'data'), { compactionInterval: 0 });
    const app = db.appender();
    let ref = 0;
    for (let t = start; t < now; t += 60_000) ref = app.append(ref, Labels.from({ __name__: 'demo', job: 'x' }), t, 1);
    await app.commit();
    await db.compact();
    const metas = db.blockMetas();
    await db.close();
    expect(metas.length).toBeGreaterThan(0);

    const server = await startServer(dir, 'scrape_configs: []\n');
    try {
      const res = (await (await fetch(`http://127.0.0.1:${server.port}/api/v1/status/tsdb/blocks`)).json()) as { status: string; data: { blocks: { ulid: string; minTime: number; stats: { numSamples: number }; version: number }[] } };
      expect(res.status).toBe('success');
      expect(res.data.blocks.map((b) => b.ulid)).toEqual(metas.map((m) => m.ulid));
      expect(res.data.blocks[0]).toMatchObject({ minTime: metas[0]!.minTime, version: 1, stats: { numSamples: metas[0]!.stats.numSamples } });
    } finally {
      await server.stop();
    }
  });
});
