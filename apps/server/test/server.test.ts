import { tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { api, eventually, startServer, startTarget } from './harness.js';

describe('PyrometerServer', () => {
  it('scrapes a target into the TSDB, answers queries, reloads and keeps data across a restart', async () => {
    const dir = tempDir();
    let requests = 0;
    const target = await startTarget(() => `# TYPE demo_requests_total counter\ndemo_requests_total{path="/"} ${++requests}\n`);
    const config = (job: string) => `global:\n  scrape_interval: 1s\n  external_labels:\n    cluster: test\nscrape_configs:\n  - job_name: ${job}\n    static_configs:\n      - targets: ['${target.address}']\n`;
    let server = await startServer(dir, config('demo'), ['--web.enable-lifecycle']);
    const base = () => `http://127.0.0.1:${server.port}`;
    try {
      const up = await eventually(async () => {
        const r = await api<{ data: { result: { metric: Record<string, string>; value: [number, string] }[] } }>(base(), '/api/v1/query?query=up');
        return r.data.result.length > 0 ? r.data.result : undefined;
      }, 20_000, 'up to be scraped');
      expect(up[0]!.metric).toEqual({ __name__: 'up', instance: target.address, job: 'demo' });
      expect(up[0]!.value[1]).toBe('1');
      const targets = await api<{ data: { activeTargets: { health: string; scrapePool: string; scrapeInterval: string }[] } }>(base(), '/api/v1/targets');
      expect(targets.data.activeTargets[0]).toMatchObject({ health: 'up', scrapePool: 'demo', scrapeInterval: '1s' });
      const status = await api<{ data: { headStats: { numSeries: number; minTime: number }; seriesCountByMetricName: { name: string; value: number }[] } }>(base(), '/api/v1/status/tsdb?limit=3');
      expect(status.data.headStats.numSeries).toBeGreaterThanOrEqual(6);
      expect(status.data.headStats.minTime).toBeGreaterThan(0);
      expect(status.data.seriesCountByMetricName).toHaveLength(3);
      expect((await fetch(`${base()}/api/v1/status/tsdb?limit=0`)).status).toBe(400);
      const metadata = await api<{ data: Record<string, unknown[]> }>(base(), '/api/v1/metadata?metric=demo_requests_total');
      expect(metadata.data['demo_requests_total']).toEqual([{ type: 'counter', help: '', unit: '' }]);

      // Federation adds the external labels and writes timestamps.
      const federated = await (await fetch(`${base()}/federate?match[]={job="demo"}`)).text();
      expect(federated).toMatch(new RegExp(`^up\\{cluster="test",instance="${target.address.replace(/\./g, '\\.')}",job="demo"\\} 1 \\d+$`, 'm'));

      // A bad config is rejected by /-/reload and the old one keeps running.
      const { writeFileSync } = await import('node:fs');
      writeFileSync(`${dir}/prometheus.yml`, 'scrape_configs:\n  - job_name: [oops]\n');
      const bad = await fetch(`${base()}/-/reload`, { method: 'POST' });
      expect(bad.status).toBe(500);
      expect(await bad.text()).toMatch(/^failed to reload config: /);
      expect((await api<{ data: { reloadConfigSuccess: boolean } }>(base(), '/api/v1/status/runtimeinfo')).data.reloadConfigSuccess).toBe(false);
      writeFileSync(`${dir}/prometheus.yml`, config('renamed'));
      expect((await fetch(`${base()}/-/reload`, { method: 'POST' })).status).toBe(200);
      await eventually(async () => {
        const r = await api<{ data: { result: unknown[] } }>(base(), '/api/v1/query?query=up{job="renamed"}');
        return r.data.result.length > 0 ? true : undefined;
      }, 20_000, 'the renamed job to be scraped');
    } finally {
      await server.stop();
    }
    const before = requests;
    expect(before).toBeGreaterThan(1);

    server = await startServer(dir, config('renamed'));
    try {
      const r = await api<{ data: { result: { values: unknown[] }[] } }>(base(), `/api/v1/query?query=demo_requests_total{job="demo"}[10m]&time=${Date.now() / 1000}`);
      expect(r.data.result[0]!.values.length).toBeGreaterThan(0);
    } finally {
      await server.stop();
      target.server.close();
    }
  }, 60_000);

  it('answers 403/unavailable for disabled lifecycle and admin endpoints, and serves admin when enabled', async () => {
    const dir = tempDir();
    const server = await startServer(dir, 'scrape_configs: []\n');
    const base = `http://127.0.0.1:${server.port}`;
    try {
      const reload = await fetch(`${base}/-/reload`, { method: 'POST' });
      expect([reload.status, await reload.text()]).toEqual([403, 'Lifecycle API is not enabled.']);
      const snap = await fetch(`${base}/api/v1/admin/tsdb/snapshot`, { method: 'POST' });
      expect([snap.status, await snap.text()]).toEqual([500, '{"status":"error","errorType":"unavailable","error":"admin APIs disabled"}']);
      const write = await fetch(`${base}/api/v1/write`, { method: 'POST', body: '' });
      expect([write.status, await write.text()]).toEqual([404, 'remote write receiver needs to be enabled with --web.enable-remote-write-receiver\n']);
    } finally {
      await server.stop();
    }
    const admin = await startServer(dir, 'scrape_configs: []\n', ['--web.enable-admin-api']);
    try {
      const snap = await fetch(`http://127.0.0.1:${admin.port}/api/v1/admin/tsdb/snapshot`, { method: 'POST' });
      expect(snap.status).toBe(200);
      expect(((await snap.json()) as { data: { name: string } }).data.name).toMatch(/\S/);
      const del = await fetch(`http://127.0.0.1:${admin.port}/api/v1/admin/tsdb/delete_series?match[]=up`, { method: 'POST' });
      expect(del.status).toBe(204);
    } finally {
      await admin.stop();
    }
  }, 60_000);
});
