import { Labels } from '@pyrometer/model';
import { describe, expect, it } from 'vitest';
import { EncodeBuffer } from '../encoding/encode-buffer.js';
import { decodeSamples, decodeSeries, decodeTombstones, encodeSampleColumns, encodeSamples, encodeSeries, encodeTombstones, recordType, RecordType, type WalSample } from './records.js';

/** Samples at the encoding's edges: unordered refs and times, -0, NaN, a stale marker, a ref past 2^32, a negative time. */
const EDGE_SAMPLES: readonly WalSample[] = [
  { ref: 10, t: 1_700_000_000_000, v: 1.5 },
  { ref: 3, t: 1_699_999_999_000, v: -0 },
  { ref: 12, t: 1_700_000_000_500, v: NaN },
  { ref: 11, t: 1_700_000_000_000, v: 0, stale: true },
  { ref: 2 ** 45, t: -5, v: Infinity },
];

describe('WAL record codecs', () => {
  it('round-trips series records', () => {
    const series = [
      { ref: 1, labels: Labels.from({ __name__: 'up', job: 'prometheus', instance: 'localhost:9090' }) },
      { ref: 2 ** 40, labels: Labels.from({ __name__: 'ünïcode', le: '+Inf' }) },
      { ref: 3, labels: Labels.EMPTY },
    ];
    const rec = encodeSeries(series);
    expect(recordType(rec)).toBe(RecordType.Series);
    const got = decodeSeries(rec);
    expect(got.map((s) => s.ref)).toEqual(series.map((s) => s.ref));
    got.forEach((s, i) => expect(s.labels.equals(series[i]!.labels)).toBe(true));
  });

  it('round-trips samples with stale markers, NaN, -0 and negative deltas', () => {
    const samples = EDGE_SAMPLES;
    const rec = encodeSamples(samples, new EncodeBuffer(8));
    const got: WalSample[] = [];
    expect(decodeSamples(rec, (ref, t, v, stale) => got.push(stale ? { ref, t, v, stale } : { ref, t, v }))).toBe(5);
    expect(got).toEqual(samples.map((s) => (s.stale === true ? { ...s, v: NaN } : s)));
    expect(Object.is(got[1]!.v, -0)).toBe(true);
    // The staleness marker keeps its exact bits: 0x7ff0000000000002.
    expect(Buffer.from(rec).toString('hex')).toContain('7ff0000000000002');
    expect(decodeSamples(encodeSamples([]), () => undefined)).toBe(0);
  });

  it('encodes samples exactly as Prometheus (signed varint deltas)', () => {
    const rec = encodeSamples([
      { ref: 5, t: 1000, v: 1 },
      { ref: 4, t: 999, v: 2 },
    ]);
    expect(Buffer.from(rec).toString('hex')).toBe('02' + '0000000000000005' + '00000000000003e8' + '0000' + '3ff0000000000000' + '0101' + '4000000000000000');
  });

  it('encodes columns (a commit batch, optionally a picked part of it) to the same bytes as sample objects', () => {
    const samples: WalSample[] = [
      ...EDGE_SAMPLES,
      { ref: 200, t: 1_700_000_000_000 + 2 ** 40, v: 123456.789 },
    ];
    const columns = { n: samples.length, series: samples.map((s) => ({ ref: s.ref })), ts: samples.map((s) => s.t), vs: samples.map((s) => s.v), stale: samples.map((s) => s.stale === true) };
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    const buf = new EncodeBuffer(4);
    expect(hex(encodeSampleColumns(columns, undefined, false, buf))).toBe(hex(encodeSamples(samples)));
    const pick = [true, false, false, true, true, false];
    expect(hex(encodeSampleColumns(columns, pick, false, buf))).toBe(hex(encodeSamples(samples.filter((_, i) => !pick[i]))));
    expect(hex(encodeSampleColumns(columns, pick, true, buf))).toBe(hex(encodeSamples(samples.filter((_, i) => pick[i]))));
    expect(hex(encodeSampleColumns({ ...columns, n: 0 }, undefined, false, buf))).toBe('02');
  });

  it('round-trips tombstones', () => {
    const ts = [
      { ref: 1, mint: -100, maxt: 100 },
      { ref: 2, mint: 1_700_000_000_000, maxt: 1_700_000_060_000 },
    ];
    expect(decodeTombstones(encodeTombstones(ts))).toEqual(ts);
  });

  it.each([
    { name: 'wrong type', rec: [2, 0], decode: decodeSeries, want: /corrupt series record at offset 0: record type 2/ },
    { name: 'truncated series', rec: [...encodeSeries([{ ref: 1, labels: Labels.from({ a: 'b' }) }])].slice(0, -1), decode: decodeSeries, want: /corrupt series record at offset 1[0-9]/ },
    { name: 'truncated tombstone', rec: [3, 0, 0, 0], decode: decodeTombstones, want: /corrupt tombstones record at offset 1: need 8 bytes/ },
  ])('rejects $name with the offset', ({ rec, decode, want }) => {
    expect(() => decode(Uint8Array.from(rec))).toThrowError(want);
  });
});
