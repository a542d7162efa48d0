import { join } from 'node:path';
import { freePort, peer, startProcess, tempDir, type RunningProcess } from '@pyrometer/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from './internal/test-harness.js';
import { readSeries } from './internal/test-support.js';

const nodeExporter = peer('prometheus-node-exporter', 'prometheus-node-exporter');
const pushgateway = peer('prometheus-pushgateway', 'prometheus-pushgateway');

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

async function start(path: string, args: string[], readyPath: string): Promise<string> {
  const port = await freePort();
  const proc: RunningProcess = await startProcess(path, [`--web.listen-address=127.0.0.1:${port}`, ...args], { readyUrl: `http://127.0.0.1:${port}${readyPath}` });
  cleanup.push(() => proc.stop());
  return `127.0.0.1:${port}`;
}

async function harness(yaml: string): Promise<Harness> {
  const h = new Harness();
  cleanup.push(() => h.stop());
  await h.apply(yaml);
  return h;
}

describe.skipIf(nodeExporter.missingReason !== undefined)('Debian node_exporter', () => {
  it('is scraped with its metadata, twice, without errors', async () => {
    const address = await start(nodeExporter.path!, [], '/metrics');
    const h = await harness(`scrape_configs:\n  - job_name: node\n    scrape_interval: 15s\n    static_configs: [{targets: ['${address}']}]\n`);
    await h.advance(15_000);
    await h.advance(15_000);
    const t = h.manager.activeTargets().get('node')![0]!;
    expect(t.lastError).toBe('');
    expect(t.health).toBe('up');
    const cpu = await readSeries(h.storage, 'node_cpu_seconds_total');
    expect(cpu.size).toBeGreaterThan(0);
    for (const [labels, points] of cpu) {
      expect(labels).toContain(`instance="${address}", job="node"`);
      expect(points.filter((p) => !p.stale)).toHaveLength(2);
    }
    expect(t.metadata().get('node_cpu_seconds_total')).toMatchObject({ type: 'counter' });
    const scraped = [...(await readSeries(h.storage, 'scrape_samples_scraped')).values()][0]!;
    expect(scraped[0]!.v).toBeGreaterThan(100);
  });
});

describe.skipIf(pushgateway.missingReason !== undefined)('Debian pushgateway with honor_labels', () => {
  it('keeps pushed job labels and leaves out the empty instance', async () => {
    const dir = tempDir();
    const address = await start(pushgateway.path!, [`--persistence.file=${join(dir, 'pg.data')}`], '/-/ready');
    const push = await fetch(`http://${address}/metrics/job/flink/host/tm1`, { method: 'PUT', body: '# TYPE flink_taskmanager_heap gauge\nflink_taskmanager_heap 123\n' });
    expect(push.status).toBe(200);
    const h = await harness(`scrape_configs:\n  - job_name: pushgateway\n    honor_labels: true\n    static_configs: [{targets: ['${address}']}]\n`);
    await h.advance(60_000);
    expect(h.manager.activeTargets().get('pushgateway')![0]!.lastError).toBe('');
    expect([...(await readSeries(h.storage, 'flink_taskmanager_heap')).keys()]).toEqual(['{__name__="flink_taskmanager_heap", host="tm1", job="flink"}']);
    expect([...(await readSeries(h.storage, 'up')).keys()]).toEqual([`{__name__="up", instance="${address}", job="pushgateway"}`]);
    // The gateway's own metrics carry no job label, so they get the target's.
    expect([...(await readSeries(h.storage, 'pushgateway_build_info')).keys()][0]).toContain('job="pushgateway"');
  });
});
