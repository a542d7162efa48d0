import { snappyDecode, snappyEncode } from '@pyrometer/codec';
import { Labels, Matcher, MatchType } from '@pyrometer/model';
import { MemoryStorage, ValueType } from '@pyrometer/storage';
import { createLogger, MetricsRegistry, silentLogger } from '@pyrometer/telemetry';
import { describe, expect, it } from 'vitest';
import { decodeReadResponse, decodeWriteRequest, encodeWriteRequest, type RemoteSeries } from './prompb.js';
import { serveRemoteRead } from './read-handler.js';
import { RemoteWriteReceiver } from './write-handler.js';
import { ProtoWriter, WireType } from '@pyrometer/codec';

const UP = Labels.from({ __name__: 'up', job: 'node' });
const V1 = { contentType: 'application/x-protobuf', contentEncoding: 'snappy' };

/** One receive on a fresh receiver over `storage` (32 MiB limit, no metrics). */
function receiveRemoteWrite(bytes: Uint8Array, headers: typeof V1, storage: MemoryStorage, logger = silentLogger()) {
  return new RemoteWriteReceiver({ appendable: storage, logger, maxDecodedBytes: 32 << 20 }).receive(bytes, headers);
}

function body(series: RemoteSeries[]): Uint8Array {
  return snappyEncode(encodeWriteRequest(series));
}

async function samples(storage: MemoryStorage, labels: Labels): Promise<{ t: number; v: number; stale: boolean }[]> {
  const q = await storage.querier(-1e15, 1e15);
  const set = await q.select([new Matcher(MatchType.Equal, '__name__', labels.metricName)]);
  const out: { t: number; v: number; stale: boolean }[] = [];
  for (const s of set.series) {
    if (!s.labels.equals(labels)) continue;
    const it = s.iterator();
    while (it.next() !== ValueType.None) out.push({ t: it.atT(), v: it.atF(), stale: it.atStale() });
  }
  await q.close();
  return out;
}

describe('prompb codecs', () => {
  it('round-trips write requests, negative timestamps and the staleness marker bits', () => {
    const series: RemoteSeries[] = [{ labels: UP, samples: [{ t: -1000, v: 1, stale: false }, { t: 5, v: NaN, stale: true }, { t: 6, v: NaN, stale: false }] }];
    const decoded = decodeWriteRequest(encodeWriteRequest(series, [{ type: 1, metricFamilyName: 'up', help: 'Up.', unit: '' }]));
    expect(decoded.timeseries[0]!.labels.equals(UP)).toBe(true);
    expect(decoded.timeseries[0]!.samples.map((s) => [s.t, s.stale])).toEqual([[-1000, false], [5, true], [6, false]]);
    expect(Number.isNaN(decoded.timeseries[0]!.samples[2]!.v)).toBe(true);
    expect(decoded.metadata).toEqual([{ type: 1, metricFamilyName: 'up', help: 'Up.', unit: '' }]);
  });
});

describe('receiveRemoteWrite', () => {
  it('stores every sample, keeping stale markers, and answers 204', async () => {
    const storage = new MemoryStorage();
    const answer = await receiveRemoteWrite(body([{ labels: UP, samples: [{ t: 1000, v: 1, stale: false }, { t: 2000, v: NaN, stale: true }] }]), V1, storage);
    expect(answer).toEqual({ status: 204, body: '' });
    expect(await samples(storage, UP)).toEqual([{ t: 1000, v: 1, stale: false }, { t: 2000, v: NaN, stale: true }]);
  });

  it('rolls the whole request back and answers 400 on an out-of-order sample', async () => {
    const storage = new MemoryStorage();
    await receiveRemoteWrite(body([{ labels: UP, samples: [{ t: 5000, v: 1, stale: false }] }]), V1, storage);
    const other = Labels.from({ __name__: 'up', job: 'other' });
    const answer = await receiveRemoteWrite(body([{ labels: other, samples: [{ t: 1000, v: 1, stale: false }] }, { labels: UP, samples: [{ t: 1000, v: 2, stale: false }] }]), V1, storage);
    expect(answer).toEqual({ status: 400, body: 'out of order sample' });
    expect(await samples(storage, other)).toEqual([]);
  });

  it.each([
    { name: 'remote write 2.0', headers: { contentType: 'application/x-protobuf;proto=io.prometheus.write.v2.Request', contentEncoding: 'snappy' }, status: 415, message: /io.prometheus.write.v2.Request is not supported/ },
    { name: 'JSON', headers: { contentType: 'application/json', contentEncoding: 'snappy' }, status: 415, message: /unsupported content type/ },
    { name: 'gzip', headers: { contentType: 'application/x-protobuf', contentEncoding: 'gzip' }, status: 415, message: 'unsupported compression: gzip. Only "snappy" is supported' },
  ])('refuses $name with $status', async ({ headers, status, message }) => {
    const answer = await receiveRemoteWrite(body([]), headers, new MemoryStorage());
    expect(answer.status).toBe(status);
    expect(answer.body).toMatch(message);
  });

  it('answers 400 naming the problem for undecodable bodies and changes nothing', async () => {
    const storage = new MemoryStorage();
    expect(await receiveRemoteWrite(Uint8Array.of(1, 2, 3), V1, storage)).toMatchObject({ status: 400, body: expect.stringMatching(/remote write body: corrupt snappy data/) });
    const w = new ProtoWriter();
    w.tag(1, WireType.Bytes);
    w.varint(50);
    expect(await receiveRemoteWrite(snappyEncode(w.finish()), V1, storage)).toMatchObject({ status: 400, body: expect.stringMatching(/invalid protobuf at byte 2/) });
  });

  it('skips series with invalid labels and keeps the rest', async () => {
    const storage = new MemoryStorage();
    const bad = Labels.from({ job: 'no-name' });
    const answer = await receiveRemoteWrite(body([{ labels: bad, samples: [{ t: 1, v: 1, stale: false }] }, { labels: UP, samples: [{ t: 1, v: 1, stale: false }] }]), V1, storage);
    expect(answer.status).toBe(204);
    expect(await samples(storage, UP)).toHaveLength(1);
  });
});

/** The value of a counter in `registry` with the given labels (0 when absent). */
function counter(registry: MetricsRegistry, name: string, labels: Record<string, string> = {}): number {
  const family = registry.collect().find((f) => f.name === name);
  return family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels.get(k) === v))?.value ?? 0;
}

/** A write request encoded by hand: each series as raw label pairs (duplicates and invalid UTF-8 allowed) plus extra raw fields. */
function rawRequest(series: { labels: [string | Uint8Array, string | Uint8Array][]; extra?: [number, Uint8Array][] }[], metadata: Uint8Array[] = []): Uint8Array {
  const w = new ProtoWriter();
  for (const s of series) {
    const ts = new ProtoWriter();
    for (const [name, value] of s.labels) {
      const pair = new ProtoWriter();
      pair.bytes(1, typeof name === 'string' ? Buffer.from(name) : name);
      pair.bytes(2, typeof value === 'string' ? Buffer.from(value) : value);
      ts.bytes(1, pair.finish());
    }
    const sample = new ProtoWriter();
    sample.tag(2, WireType.Varint);
    sample.varint(1000);
    ts.bytes(2, sample.finish());
    for (const [field, bytes] of s.extra ?? []) ts.bytes(field, bytes);
    w.bytes(1, ts.finish());
  }
  for (const m of metadata) w.bytes(3, m);
  return snappyEncode(w.finish());
}

// Upstream 3.x skips (and counts) series with a label name twice or invalid UTF-8; Debian's 2.42
// still answers 500 to the first and stores U+FFFD for the second. The newer behaviour wins.
describe('RemoteWriteReceiver: what upstream refuses or does not store', () => {
  const logged = () => {
    const lines: string[] = [];
    return { lines, logger: createLogger({ write: (line) => lines.push(line) }) };
  };

  it('refuses a series with a label name twice (the last value used to win), counting it, and keeps the rest', async () => {
    const storage = new MemoryStorage();
    const registry = new MetricsRegistry();
    const { lines, logger } = logged();
    const receiver = new RemoteWriteReceiver({ appendable: storage, logger, registry, maxDecodedBytes: 32 << 20 });
    const answer = await receiver.receive(rawRequest([{ labels: [['__name__', 'up'], ['job', 'a'], ['job', 'b']] }, { labels: [['__name__', 'up'], ['job', 'node']] }]), V1);
    expect(answer.status).toBe(204);
    expect(await samples(storage, Labels.from({ __name__: 'up', job: 'b' }))).toEqual([]);
    expect(await samples(storage, UP)).toHaveLength(1);
    expect(counter(registry, 'prometheus_api_remote_write_invalid_labels_samples_total')).toBe(1);
    expect(lines.join('')).toMatch(/Invalid metric names or labels.*duplicate label name \\"job\\"/);
  });

  it.each([
    { name: 'value', labels: [['__name__', 'up'], ['job', Uint8Array.of(0x61, 0xff)]] as [string | Uint8Array, string | Uint8Array][] },
    { name: 'name', labels: [['__name__', 'up'], [Uint8Array.of(0x6a, 0xc0, 0xaf), 'x']] as [string | Uint8Array, string | Uint8Array][] },
    { name: 'metric name', labels: [['__name__', Uint8Array.of(0x75, 0xfe)]] as [string | Uint8Array, string | Uint8Array][] },
  ])('refuses invalid UTF-8 in a label $name instead of storing U+FFFD', async ({ labels }) => {
    const storage = new MemoryStorage();
    const answer = await receiveRemoteWrite(rawRequest([{ labels }]), V1, storage);
    expect(answer.status).toBe(204);
    const q = await storage.querier(-1e15, 1e15);
    expect((await q.select([new Matcher(MatchType.Regexp, '__name__', '.+')])).series).toEqual([]);
  });

  it('counts native histogram samples and exemplars it cannot store yet, logging once', async () => {
    const registry = new MetricsRegistry();
    const { lines, logger } = logged();
    const receiver = new RemoteWriteReceiver({ appendable: new MemoryStorage(), logger, registry, maxDecodedBytes: 32 << 20 });
    const extra: [number, Uint8Array][] = [[3, Uint8Array.of()], [3, Uint8Array.of()], [4, Uint8Array.of()]];
    for (let i = 0; i < 2; i++) expect((await receiver.receive(rawRequest([{ labels: [['__name__', 'up']], extra }]), V1)).status).toBe(204);
    expect(counter(registry, 'pyrometer_remote_write_unsupported_total', { type: 'exemplar' })).toBe(4);
    expect(counter(registry, 'pyrometer_remote_write_unsupported_total', { type: 'histogram' })).toBe(2);
    expect(lines.filter((l) => l.includes('not stored yet'))).toHaveLength(1);
  });

  it('keeps the metadata it receives, the latest per family', async () => {
    const receiver = new RemoteWriteReceiver({ appendable: new MemoryStorage(), logger: silentLogger(), maxDecodedBytes: 32 << 20 });
    const meta = (type: number, help: string) => {
      const m = new ProtoWriter();
      m.tag(1, WireType.Varint);
      m.varint(type);
      m.string(2, 'http_requests_total');
      m.string(4, help);
      m.string(5, 'requests');
      return m.finish();
    };
    await receiver.receive(rawRequest([], [meta(1, 'old')]), V1);
    await receiver.receive(rawRequest([], [meta(1, 'Requests served.')]), V1);
    expect(receiver.metadata()).toEqual([{ metric: 'http_requests_total', type: 'counter', help: 'Requests served.', unit: 'requests' }]);
  });

  it('answers 413 for a body that decodes past the limit, before allocating it', async () => {
    const receiver = new RemoteWriteReceiver({ appendable: new MemoryStorage(), logger: silentLogger(), maxDecodedBytes: 1000 });
    expect(await receiver.receive(snappyEncode(new Uint8Array(1001)), V1)).toEqual({ status: 413, body: 'remote write body: decoded length 1001 exceeds the limit of 1000 bytes' });
    // A header declaring 4 GiB − 1 in a 7-byte body.
    expect((await receiver.receive(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0), V1)).status).toBe(413);
  });
});

describe('serveRemoteRead', () => {
  it('answers SAMPLES with external labels added and external-label matchers ignored', async () => {
    const storage = new MemoryStorage();
    const app = storage.appender();
    app.append(0, UP, 1000, 1);
    app.append(0, UP, 2000, 0);
    await app.commit();
    const w = new ProtoWriter();
    const q = new ProtoWriter();
    q.tag(1, WireType.Varint);
    q.varint(0);
    q.tag(2, WireType.Varint);
    q.varint(1500);
    for (const [type, name, value] of [[0, '__name__', 'up'], [0, 'cluster', 'eu']] as const) {
      const m = new ProtoWriter();
      m.tag(1, WireType.Varint);
      m.varint(type);
      m.string(2, name);
      m.string(3, value);
      q.bytes(3, m.finish());
    }
    w.bytes(1, q.finish());
    const answer = await serveRemoteRead(snappyEncode(w.finish()), storage, { cluster: 'eu' });
    expect(answer.status).toBe(200);
    expect(answer.headers['Content-Encoding']).toBe('snappy');
    const [result] = decodeReadResponse(snappyDecode(answer.body as Uint8Array));
    expect(result!.map((s) => s.labels.toRecord())).toEqual([{ __name__: 'up', cluster: 'eu', job: 'node' }]);
    expect(result![0]!.samples).toEqual([{ t: 1000, v: 1, stale: false }]);
  });
});
