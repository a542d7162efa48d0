import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseConfig } from '@pyrometer/config';
import { Labels } from '@pyrometer/model';
import { RemoteWriteReceiver, RemoteWriteStorage } from '@pyrometer/remote';
import type { Appendable } from '@pyrometer/storage';
import { silentLogger } from '@pyrometer/telemetry';
import { tempDir } from '@pyrometer/testkit';
import { Tsdb } from '@pyrometer/tsdb';
import { afterEach, describe, expect, it } from 'vitest';
import { tsdbWalSource } from '../src/server.js';
import { api, eventually, startServer, startTarget } from './harness.js';

/**
 * A remote write endpoint on 127.0.0.1:0 decoding with the remote package's own receiver. While
 * `down` it answers 503 without looking at the body; otherwise it records, per series, the
 * timestamps in the order they arrive.
 */
async function receiver(): Promise<{ url: string; arrived: Map<string, number[]>; state: { down: boolean }; total: () => number; close: () => void }> {
  const arrived = new Map<string, number[]>();
  const state = { down: true };
  const recorder: Appendable = {
    appender: () => {
      const batch: [string, number][] = [];
      return {
        append: (ref, labels, t) => {
          batch.push([labels.toString(), t]);
          return ref;
        },
        appendHistogram: (ref, labels, t) => {
          batch.push([labels.toString(), t]);
          return ref;
        },
        commit: () => {
          for (const [key, t] of batch) arrived.set(key, [...(arrived.get(key) ?? []), t]);
          return Promise.resolve();
        },
        rollback: () => Promise.resolve(),
      };
    },
  };
  const receiver = new RemoteWriteReceiver({ appendable: recorder, logger: silentLogger(), maxDecodedBytes: 32 << 20 });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (state.down) {
        res.writeHead(503).end('down');
        return;
      }
      void receiver.receive(Buffer.concat(chunks), { contentType: req.headers['content-type'], contentEncoding: req.headers['content-encoding'] }).then((answer) => res.writeHead(answer.status).end(answer.body));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/write`,
    arrived,
    state,
    total: () => [...arrived.values()].reduce((n, ts) => n + ts.length, 0),
    close: () => server.close(),
  };
}

function remoteWriteConfig(url: string, queue: string): ReturnType<typeof parseConfig> {
  return parseConfig(`remote_write:\n  - url: ${url}\n    queue_config:\n${queue}`, 'test.yml');
}

const SERIES = ['a', 'b', 'c'].map((job) => Labels.from({ __name__: 'test_metric', job }));

async function commitSamples(tsdb: Tsdb, from: number, to: number): Promise<void> {
  for (let t = from; t < to; t++) {
    const app = tsdb.appender();
    for (const labels of SERIES) app.append(0, labels, t * 1000, t);
    await app.commit();
  }
}

function expectEverySampleOnceInOrder(arrived: Map<string, number[]>, count: number): void {
  const want = Array.from({ length: count }, (_, t) => t * 1000);
  expect(arrived).toEqual(new Map(SERIES.map((l) => [l.toString(), want])));
}

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

/** A real TSDB under `dir/data` and remote_write reading its WAL, state in `dir/data/remote`; closed after the test unless `keep`. */
async function openStorage(dir: string, keep = false): Promise<{ tsdb: Tsdb; remote: RemoteWriteStorage; stateDir: string }> {
  const stateDir = join(dir, 'data', 'remote');
  const tsdb = await Tsdb.open(join(dir, 'data'), { logger: silentLogger(), compactionInterval: 0 });
  const remote = new RemoteWriteStorage({ wal: tsdbWalSource(tsdb, silentLogger()), stateDir, logger: silentLogger(), userAgent: 'test', pollIntervalMs: 50 });
  if (!keep) {
    cleanups.push(async () => {
      await remote.stop();
      await tsdb.close();
    });
  }
  return { tsdb, remote, stateDir };
}

describe('remote_write from the WAL', () => {
  it('sends every committed sample exactly once, in order, across an endpoint outage and a restart', async () => {
    const dir = tempDir();
    const r = await receiver();
    cleanups.push(r.close);
    const config = remoteWriteConfig(r.url, '      batch_send_deadline: 20ms\n      max_samples_per_send: 50\n      min_backoff: 10ms\n      max_backoff: 50ms\n');

    const first = await openStorage(dir, true);
    await first.remote.applyConfig(config.remoteWrite, {});
    await commitSamples(first.tsdb, 0, 100);
    await eventually(async () => (first.remote.destinations()[0]!.queue.stats.retried > 0 ? true : undefined), 10_000, 'a refused send');
    await first.remote.stop();
    await commitSamples(first.tsdb, 100, 200); // committed while remote_write is stopped
    await first.tsdb.close();
    expect(r.total()).toBe(0);

    const second = await openStorage(dir);
    await second.remote.applyConfig(config.remoteWrite, {});
    await commitSamples(second.tsdb, 200, 250);
    r.state.down = false;
    await eventually(async () => (r.total() >= 3 * 250 ? true : undefined), 20_000, 'every sample at the receiver');
    await second.remote.destinations()[0]!.queue.flush();
    expectEverySampleOnceInOrder(r.arrived, 250);
  }, 60_000);

  it('loses nothing to backpressure: a queue of two samples carries hundreds', async () => {
    const dir = tempDir();
    const r = await receiver();
    r.state.down = false;
    cleanups.push(r.close);
    const { tsdb, remote } = await openStorage(dir);
    await remote.applyConfig(remoteWriteConfig(r.url, '      capacity: 1\n      max_samples_per_send: 2\n      batch_send_deadline: 5ms\n').remoteWrite, {});
    await commitSamples(tsdb, 0, 200);
    await eventually(async () => (r.total() >= 3 * 200 ? true : undefined), 30_000, 'every sample at the receiver');
    expect(remote.destinations()[0]!.queue.options.capacity).toBe(2);
    expectEverySampleOnceInOrder(r.arrived, 200);
  }, 60_000);

  it('a changed destination resumes where the old one stopped; a removed one forgets its state', async () => {
    const dir = tempDir();
    const r = await receiver();
    r.state.down = false;
    cleanups.push(r.close);
    const { tsdb, remote, stateDir } = await openStorage(dir);
    const queue = (deadline: string) => `      batch_send_deadline: ${deadline}\n      min_backoff: 10ms\n      max_backoff: 50ms\n`;
    await remote.applyConfig(remoteWriteConfig(r.url, queue('20ms')).remoteWrite, {});
    await commitSamples(tsdb, 0, 50);
    await eventually(async () => (r.total() >= 3 * 50 ? true : undefined), 10_000, 'the first samples');
    r.state.down = true;
    await commitSamples(tsdb, 50, 100);
    await remote.applyConfig(remoteWriteConfig(r.url, queue('30ms')).remoteWrite, {});
    await commitSamples(tsdb, 100, 120);
    r.state.down = false;
    await eventually(async () => (r.total() >= 3 * 120 ? true : undefined), 10_000, 'every sample at the receiver');
    await remote.destinations()[0]!.queue.flush();
    expectEverySampleOnceInOrder(r.arrived, 120);
    expect(readdirSync(stateDir)).toHaveLength(1);
    await remote.applyConfig([], {});
    expect(readdirSync(stateDir)).toEqual([]);
  }, 60_000);

  it('a restarted server sends what it scraped while the endpoint was down', async () => {
    const dir = tempDir();
    const r = await receiver();
    cleanups.push(r.close);
    let n = 0;
    const target = await startTarget(() => `test_counter ${n++}\n`);
    cleanups.push(() => void target.server.close());
    const yaml = `global:\n  scrape_interval: 100ms\nscrape_configs:\n  - job_name: t\n    static_configs:\n      - targets: ['${target.address}']\nremote_write:\n  - url: ${r.url}\n    queue_config:\n      batch_send_deadline: 50ms\n      min_backoff: 10ms\n      max_backoff: 100ms\n`;
    const query = (port: number): Promise<number[]> =>
      api<{ data: { result: { values: [number, string][] }[] } }>(`http://127.0.0.1:${port}`, `/api/v1/query?query=${encodeURIComponent('test_counter[1h]')}`).then((res) => (res.data.result[0]?.values ?? []).map(([t]) => Math.round(t * 1000)));

    const first = await startServer(dir, yaml);
    const scraped = await eventually(async () => {
      const ts = await query(first.port);
      return ts.length >= 5 ? ts : undefined;
    }, 20_000, 'five scrapes');
    await first.stop();
    expect(r.total()).toBe(0);

    r.state.down = false;
    const second = await startServer(dir, yaml);
    cleanups.push(() => second.stop());
    const key = (await eventually(async () => [...r.arrived.keys()].find((k) => k.includes('test_counter')), 20_000, 'test_counter at the receiver'))!;
    await eventually(async () => ((r.arrived.get(key)?.length ?? 0) >= scraped.length ? true : undefined), 20_000, 'the samples of the first run');
    const sent = r.arrived.get(key)!;
    expect(sent.slice(0, scraped.length)).toEqual(scraped);
    expect(new Set(sent).size).toBe(sent.length);
  }, 90_000);
});
