import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, peer, startProcess, tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { api, eventually, startServer } from './harness.js';

const prometheus = peer('prometheus', 'prometheus');

type Matrix = { data: { result: { metric: Record<string, string>; values: [number, string][] }[] } };

describe.skipIf(prometheus.path === undefined)(`Debian's Prometheus with our server (${prometheus.missingReason ?? 'available'})`, () => {
  it('remote-writes into ours (receiver enabled) and the samples match its own', async () => {
    const dir = tempDir();
    const ours = await startServer(dir, 'scrape_configs: []\n', ['--web.enable-remote-write-receiver']);
    const promPort = await freePort();
    const promConfig = join(dir, 'upstream.yml');
    writeFileSync(promConfig, `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: upstream\n    static_configs:\n      - targets: ['127.0.0.1:${promPort}']\nremote_write:\n  - url: http://127.0.0.1:${ours.port}/api/v1/write\n    queue_config:\n      batch_send_deadline: 1s\n`);
    const upstream = await startProcess(prometheus.path!, [`--config.file=${promConfig}`, `--storage.tsdb.path=${join(dir, 'upstream-data')}`, `--web.listen-address=127.0.0.1:${promPort}`], { readyUrl: `http://127.0.0.1:${promPort}/-/ready` });
    try {
      const ourBase = `http://127.0.0.1:${ours.port}`;
      const theirBase = `http://127.0.0.1:${promPort}`;
      await eventually(async () => ((await api<Matrix>(ourBase, '/api/v1/query?query=up{job="upstream"}[1m]')).data.result[0]?.values.length ?? 0) >= 3 || undefined, 30_000, 'remote-written samples');
      const end = Date.now() / 1000 - 2;
      const range = `/api/v1/query?query=${encodeURIComponent('up{job="upstream"}[20s]')}&time=${end}`;
      const theirs = (await api<Matrix>(theirBase, range)).data.result[0]!;
      const mine = (await api<Matrix>(ourBase, range)).data.result[0]!;
      expect(mine.metric).toEqual(theirs.metric);
      expect(mine.values).toEqual(theirs.values);
    } finally {
      await upstream.stop();
      await ours.stop();
    }
  }, 90_000);

  it('receives our remote_write (with write_relabel_configs and external labels) and holds the same samples as ours', async () => {
    const dir = tempDir();
    const promPort = await freePort();
    const upstream = await startProcess(prometheus.path!, ['--config.file=/dev/null', `--storage.tsdb.path=${join(dir, 'upstream-data')}`, `--web.listen-address=127.0.0.1:${promPort}`, '--web.enable-remote-write-receiver'], { readyUrl: `http://127.0.0.1:${promPort}/-/ready` });
    const ours = await startServer(dir, '');
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\n  external_labels:\n    cluster: ours\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:${ours.port}']\nremote_write:\n  - url: http://127.0.0.1:${promPort}/api/v1/write\n    write_relabel_configs:\n      - source_labels: [__name__]\n        regex: up|prometheus_ready\n        action: keep\n    queue_config:\n      batch_send_deadline: 500ms\n`,
    );
    await ours.reload();
    try {
      const theirBase = `http://127.0.0.1:${promPort}`;
      await eventually(async () => ((await api<Matrix>(theirBase, '/api/v1/query?query=up[1m]')).data.result[0]?.values.length ?? 0) >= 3 || undefined, 30_000, 'our samples in upstream Prometheus');
      const names = await api<{ data: string[] }>(theirBase, '/api/v1/label/__name__/values');
      expect(names.data).toEqual(['prometheus_ready', 'up']);
      const end = Date.now() / 1000 - 2;
      const range = `/api/v1/query?query=${encodeURIComponent('up{job="self"}[20s]')}&time=${end}`;
      const theirs = (await api<Matrix>(theirBase, range)).data.result[0]!;
      const mine = (await api<Matrix>(`http://127.0.0.1:${ours.port}`, range)).data.result[0]!;
      expect(theirs.metric).toEqual({ ...mine.metric, cluster: 'ours' });
      expect(theirs.values).toEqual(mine.values);
    } finally {
      await ours.stop();
      await upstream.stop();
    }
  }, 90_000);

  it('federates from ours with honor_labels', async () => {
    const dir = tempDir();
    const ours = await startServer(dir, `global:\n  scrape_interval: 1s\n  external_labels:\n    cluster: ours\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:PORT']\n`.replace('PORT', '1'), ['--web.enable-remote-write-receiver']);
    // Seed a series through the receiver-free path: our own scrape of ourselves.
    writeFileSync(join(dir, 'prometheus.yml'), `global:\n  scrape_interval: 1s\n  external_labels:\n    cluster: ours\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:${ours.port}']\n`);
    await ours.reload();
    const promPort = await freePort();
    const promConfig = join(dir, 'federating.yml');
    writeFileSync(promConfig, `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: federate\n    honor_labels: true\n    metrics_path: /federate\n    params:\n      'match[]': ['{job="self"}']\n    static_configs:\n      - targets: ['127.0.0.1:${ours.port}']\n`);
    const upstream = await startProcess(prometheus.path!, [`--config.file=${promConfig}`, `--storage.tsdb.path=${join(dir, 'upstream-data')}`, `--web.listen-address=127.0.0.1:${promPort}`], { readyUrl: `http://127.0.0.1:${promPort}/-/ready` });
    try {
      const result = await eventually(async () => {
        const r = await api<{ data: { result: { metric: Record<string, string> }[] } }>(`http://127.0.0.1:${promPort}`, '/api/v1/query?query=up{job="self"}');
        return r.data.result.length > 0 ? r.data.result : undefined;
      }, 30_000, 'federated series in upstream Prometheus');
      expect(result[0]!.metric).toEqual({ __name__: 'up', cluster: 'ours', instance: `127.0.0.1:${ours.port}`, job: 'self' });
    } finally {
      await upstream.stop();
      await ours.stop();
    }
  }, 90_000);
});
