import { snappyDecode, snappyEncode } from '@pyrometer/codec';
import { Labels, Matcher, MatchType } from '@pyrometer/model';
import { MemoryStorage, ValueType } from '@pyrometer/storage';
import { silentLogger } from '@pyrometer/telemetry';
import { describe, expect, it } from 'vitest';
import { decodeReadResponse, decodeWriteRequest, encodeWriteRequest, type RemoteSeries } from './prompb.js';
import { serveRemoteRead } from './read-handler.js';
import { receiveRemoteWrite } from './write-handler.js';
import { ProtoWriter, WireType } from '@pyrometer/codec';

const UP = Labels.from({ __name__: 'up', job: 'node' });
const V1 = { contentType: 'application/x-protobuf', contentEncoding: 'snappy' };

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
    const answer = await receiveRemoteWrite(body([{ labels: UP, samples: [{ t: 1000, v: 1, stale: false }, { t: 2000, v: NaN, stale: true }] }]), V1, storage, silentLogger());
    expect(answer).toEqual({ status: 204, body: '' });
    expect(await samples(storage, UP)).toEqual([{ t: 1000, v: 1, stale: false }, { t: 2000, v: NaN, stale: true }]);
  });

  it('rolls the whole request back and answers 400 on an out-of-order sample', async () => {
    const storage = new MemoryStorage();
    await receiveRemoteWrite(body([{ labels: UP, samples: [{ t: 5000, v: 1, stale: false }] }]), V1, storage, silentLogger());
    const other = Labels.from({ __name__: 'up', job: 'other' });
    const answer = await receiveRemoteWrite(body([{ labels: other, samples: [{ t: 1000, v: 1, stale: false }] }, { labels: UP, samples: [{ t: 1000, v: 2, stale: false }] }]), V1, storage, silentLogger());
    expect(answer).toEqual({ status: 400, body: 'out of order sample' });
    expect(await samples(storage, other)).toEqual([]);
  });

  it.each([
    { name: 'remote write 2.0', headers: { contentType: 'application/x-protobuf;proto=io.prometheus.write.v2.Request', contentEncoding: 'snappy' }, status: 415, message: /io.prometheus.write.v2.Request is not supported/ },
    { name: 'JSON', headers: { contentType: 'application/json', contentEncoding: 'snappy' }, status: 415, message: /unsupported content type/ },
    { name: 'gzip', headers: { contentType: 'application/x-protobuf', contentEncoding: 'gzip' }, status: 415, message: 'unsupported compression: gzip. Only "snappy" is supported' },
  ])('refuses $name with $status', async ({ headers, status, message }) => {
    const answer = await receiveRemoteWrite(body([]), headers, new MemoryStorage(), silentLogger());
    expect(answer.status).toBe(status);
    expect(answer.body).toMatch(message);
  });

  it('answers 400 naming the problem for undecodable bodies and changes nothing', async () => {
    const storage = new MemoryStorage();
    expect(await receiveRemoteWrite(Uint8Array.of(1, 2, 3), V1, storage, silentLogger())).toMatchObject({ status: 400, body: expect.stringMatching(/remote write body: corrupt snappy data/) });
    const w = new ProtoWriter();
    w.tag(1, WireType.Bytes);
    w.varint(50);
    expect(await receiveRemoteWrite(snappyEncode(w.finish()), V1, storage, silentLogger())).toMatchObject({ status: 400, body: expect.stringMatching(/invalid protobuf at byte 2/) });
  });

  it('skips series with invalid labels and keeps the rest', async () => {
    const storage = new MemoryStorage();
    const bad = Labels.from({ job: 'no-name' });
    const answer = await receiveRemoteWrite(body([{ labels: bad, samples: [{ t: 1, v: 1, stale: false }] }, { labels: UP, samples: [{ t: 1, v: 1, stale: false }] }]), V1, storage, silentLogger());
    expect(answer.status).toBe(204);
    expect(await samples(storage, UP)).toHaveLength(1);
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
