// remote_read against Debian's Prometheus 2.42 as the remote-read endpoint: the client reads its
// streamed chunked and its sampled answers alike; the endpoints merge into queries with
// upstream's required_matchers, filter_external_labels and read_recent semantics; and a server
// configured with remote_read answers dashboards over local and remote data together.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseConfig, type RemoteReadConfig } from '@pyrometer/config';
import { Labels, Matcher, MatchType } from '@pyrometer/model';
import { RemoteReadClient, RemoteReadStorage, ResponseType } from '@pyrometer/remote';
import { MemoryStorage, ValueType, type Queryable } from '@pyrometer/storage';
import { silentLogger } from '@pyrometer/telemetry';
import { freePort, peer, startProcess, tempDir, type RunningProcess } from '@pyrometer/testkit';
import { Tsdb } from '@pyrometer/tsdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RemoteReadSettings } from '../src/query/protocol.js';
import { remoteChunkSeries, WorkerRemoteRead } from '../src/query/remote-read.js';
import { api, startServer } from './harness.js';

const run = promisify(execFile);
const prometheus = peer('prometheus', 'prometheus');
const promtool = peer('promtool', 'prometheus');
const missing = prometheus.missingReason ?? promtool.missingReason;
const MIN = 60_000;
const H = 60 * MIN;
// The remote holds three hours of old data, a day before now.
const T0 = Math.floor((Date.now() - 30 * H) / (2 * H)) * 2 * H;
const SAMPLES = 180;
const value = (i: number, k: number): number => i * 1000 + k * 0.5;

/** A `remote_read` entry as prometheus.yml gives it (upstream's defaults), read_recent on unless overridden. */
function readConfig(url: string, fields: Partial<RemoteReadConfig> = {}): RemoteReadConfig {
  return { ...parseConfig(`remote_read:\n  - url: ${url}\n    read_recent: true\n`, 'test.yml').remoteRead[0]!, ...fields };
}

/** Every series' samples as `labels → [t, v][]`. */
async function dump(q: Queryable, matchers: Matcher[], mint: number, maxt: number): Promise<{ series: Map<string, [number, number][]>; warnings: readonly string[] }> {
  const querier = await q.querier(mint, maxt);
  const set = await querier.select(matchers, { sortSeries: true });
  const series = new Map<string, [number, number][]>();
  for (const s of set.series) {
    const it = s.iterator();
    const samples: [number, number][] = [];
    while (it.next() !== ValueType.None) samples.push([it.atT(), it.atF()]);
    series.set(s.labels.toString(), samples);
  }
  await querier.close();
  return { series, warnings: set.warnings };
}

const oldSamples = (i: number, from = 0, to = SAMPLES): [number, number][] => Array.from({ length: to - from }, (_, k) => [T0 + (from + k) * MIN, value(i, from + k)]);
const OLD = new Matcher(MatchType.Equal, '__name__', 'old_metric');
const FLINK = new Matcher(MatchType.Equal, 'job', 'flink');

describe.skipIf(missing !== undefined)(`remote_read from Debian's Prometheus 2.42 ${missing ?? ''}`, () => {
  let upstream: RunningProcess;
  let url: string;

  beforeAll(async () => {
    const dir = tempDir();
    let text = '# TYPE old_metric gauge\n';
    for (let k = 0; k < SAMPLES; k++) for (let i = 0; i < 3; i++) text += `old_metric{job="flink",i="${i}"} ${value(i, k)} ${(T0 + k * MIN) / 1000}\n`;
    writeFileSync(join(dir, 'input.om'), text + '# EOF\n');
    const data = join(dir, 'data');
    mkdirSync(data);
    await run(promtool.path!, ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'input.om'), data]);
    writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  external_labels:\n    cluster: eu\n');
    const port = await freePort();
    upstream = await startProcess(prometheus.path!, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${port}`], { readyUrl: `http://127.0.0.1:${port}/-/ready` });
    url = `http://127.0.0.1:${port}/api/v1/read`;
  }, 60_000);
  afterAll(() => upstream?.stop());

  it.each([
    { accepted: [ResponseType.StreamedXorChunks, ResponseType.Samples], kind: 'chunks' },
    { accepted: [ResponseType.Samples], kind: 'samples' },
  ])('reads its $kind answer into the same series', async ({ accepted, kind }) => {
    const config = readConfig(url, { filterExternalLabels: false });
    const client = await RemoteReadClient.create({ config, userAgent: 'test', acceptedResponseTypes: accepted });
    expect((await client.read({ startMs: T0, endMs: T0 + 3 * H, matchers: [OLD] })).kind).toBe(kind);
    await client.close();
    const storage = new RemoteReadStorage({ userAgent: 'test', chunkSeries: remoteChunkSeries, logger: silentLogger(), acceptedResponseTypes: accepted });
    await storage.applyConfig([config], {});
    const [remote] = storage.queryables(async () => Infinity);
    const got = await dump(remote!, [OLD], T0 - H, T0 + 4 * H);
    expect(got.warnings).toEqual([]);
    expect(got.series).toEqual(new Map([0, 1, 2].map((i) => [`{__name__="old_metric", cluster="eu", i="${i}", job="flink"}`, oldSamples(i)])));
    // Bounds are inclusive, as for local queries.
    const slice = await dump(remote!, [OLD, new Matcher(MatchType.Equal, 'i', '1')], T0 + 10 * MIN, T0 + 20 * MIN);
    expect([...slice.series.values()]).toEqual([oldSamples(1, 10, 21)]);
    await storage.close();
  });

  describe('merged with local data', () => {
    const local = new MemoryStorage();
    const recent = Date.now() - H;
    beforeAll(async () => {
      const app = local.appender();
      for (let k = 0; k < 30; k++) app.append(0, Labels.from({ __name__: 'old_metric', job: 'flink', i: '0' }), recent + k * MIN, -k);
      await app.commit();
    });
    const merged = async (settings: RemoteReadSettings, localStart = recent): Promise<Queryable> => new WorkerRemoteRead('test', settings).queryable(local, async () => ({ kind: 'time', ms: localStart }));
    const i0 = '{__name__="old_metric", i="0", job="flink"}';
    const recentSamples = Array.from({ length: 30 }, (_, k) => [recent + k * MIN, -k]);

    it('filter_external_labels: our external labels are sent as matchers and taken off the answer, so series join the local ones', async () => {
      const q = await merged({ configs: [readConfig(url)], externalLabels: { cluster: 'eu' } });
      const got = await dump(q, [OLD, new Matcher(MatchType.Equal, 'i', '0')], T0, Date.now());
      expect(got.series).toEqual(new Map([[i0, [...oldSamples(0), ...recentSamples]]]));
      const otherCluster = await merged({ configs: [readConfig(url)], externalLabels: { cluster: 'us' } });
      expect((await dump(otherCluster, [OLD], T0, Date.now())).series).toEqual(new Map([[i0, recentSamples]]));
    });

    it('required_matchers: only selects with all of them as equality matchers read remotely', async () => {
      const q = await merged({ configs: [readConfig(url, { requiredMatchers: { job: 'flink' } })], externalLabels: { cluster: 'eu' } });
      expect((await dump(q, [OLD, FLINK], T0, Date.now())).series.size).toBe(3);
      expect((await dump(q, [OLD], T0, Date.now())).series).toEqual(new Map([[i0, recentSamples]]));
    });

    it('read_recent: false reads remotely only the time before the oldest local sample', async () => {
      const q = await merged({ configs: [readConfig(url, { readRecent: false })], externalLabels: { cluster: 'eu' } }, T0 + 10 * MIN);
      const got = await dump(q, [OLD, FLINK, new Matcher(MatchType.Equal, 'i', '2')], T0, Date.now());
      expect([...got.series.values()]).toEqual([oldSamples(2, 0, 11)]);
      const after = await dump(q, [OLD, FLINK], T0 + 20 * MIN, Date.now());
      expect(after.series).toEqual(new Map([[i0, recentSamples]]));
    });

    it('turns a failing endpoint into a warning and still answers from local data', async () => {
      const q = await merged({ configs: [readConfig(`http://127.0.0.1:${await freePort()}/api/v1/read`)], externalLabels: {} });
      const got = await dump(q, [OLD], T0, Date.now());
      expect(got.series).toEqual(new Map([[i0, recentSamples]]));
      expect(got.warnings).toHaveLength(1);
      expect(got.warnings[0]).toMatch(/^remote read from http:\/\/127\.0\.0\.1:\d+\/api\/v1\/read: /);
    });
  });

  it('answers a dashboard query over remote and local data through the server', async () => {
    const dir = tempDir();
    const db = await Tsdb.open(join(dir, 'data'), { compactionInterval: 0 });
    const app = db.appender();
    const start = Math.floor((Date.now() - 30 * MIN) / MIN) * MIN;
    for (let k = 0; k < 20; k++) app.append(0, Labels.from({ __name__: 'old_metric', job: 'flink', i: '0' }), start + k * MIN, -k);
    await app.commit();
    await db.close();
    const server = await startServer(dir, `global:\n  external_labels:\n    cluster: eu\nremote_read:\n  - url: ${url}\n    name: upstream\n`);
    try {
      type Matrix = { status: string; data: { result: { metric: Record<string, string>; values: [number, string][] }[] } };
      const query = new URLSearchParams({ query: 'old_metric{i="0"}', start: String(T0 / 1000), end: String((start + 19 * MIN) / 1000), step: '60' });
      const got = await api<Matrix>(`http://127.0.0.1:${server.port}`, `/api/v1/query_range?${query.toString()}`);
      expect(got.status).toBe('success');
      expect(got.data.result.map((r) => r.metric)).toEqual([{ __name__: 'old_metric', i: '0', job: 'flink' }]);
      const values = got.data.result[0]!.values;
      expect(values.filter(([t]) => t * 1000 < T0 + 3 * H).map(([, v]) => Number(v))).toEqual(oldSamples(0).map(([, v]) => v));
      expect(values.slice(-20).map(([, v]) => Number(v))).toEqual(Array.from({ length: 20 }, (_, k) => -k));
    } finally {
      await server.stop();
    }
  }, 60_000);
});
