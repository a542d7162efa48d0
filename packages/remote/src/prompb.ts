import { ProtoReader, ProtoWriter, WireType } from '@pyrometer/codec';
import { isStaleNaNWords, Labels, Matcher, MatchType, sampleHiWord, sampleLoWord, floatFromWords } from '@pyrometer/model';

/** One sample of remote write/read: ms timestamp, value, and whether it is the staleness marker. */
export interface RemoteSample {
  t: number;
  v: number;
  stale: boolean;
}

/** A series with its float samples, as prompb.TimeSeries carries them. */
export interface RemoteSeries {
  labels: Labels;
  samples: RemoteSample[];
}

/** prompb.MetricMetadata. */
export interface RemoteMetadata {
  type: number;
  metricFamilyName: string;
  help: string;
  unit: string;
}

/**
 * A series as a write request carries it: besides labels and float samples, how many native
 * histogram samples and exemplars it had (not decoded: not stored yet), and the first label name
 * that occurs twice (the label set then keeps the last value; upstream refuses such a series).
 */
export interface ReceivedSeries extends RemoteSeries {
  histograms: number;
  exemplars: number;
  duplicateLabel: string | undefined;
}

export interface WriteRequest {
  timeseries: ReceivedSeries[];
  metadata: RemoteMetadata[];
}

/**
 * Encodes a prompb.WriteRequest (remote write 1.0). Stale samples keep the exact marker bits.
 * `labelCache`, when given, keeps each Labels object's encoded label pairs for later requests
 * (a sender passes the same Labels object for every sample of a series).
 */
export function encodeWriteRequest(series: readonly RemoteSeries[], metadata: readonly RemoteMetadata[] = [], labelCache?: LabelCache): Uint8Array {
  const w = new ProtoWriter();
  const scratch = new ProtoWriter();
  for (const s of series) writeTimeSeries(w, scratch, s, labelCache);
  for (const m of metadata) {
    const mw = new ProtoWriter();
    if (m.type !== 0) {
      mw.tag(1, WireType.Varint);
      mw.varint(m.type);
    }
    mw.string(2, m.metricFamilyName);
    if (m.help !== '') mw.string(4, m.help);
    if (m.unit !== '') mw.string(5, m.unit);
    w.bytes(3, mw.finish());
  }
  return w.finish();
}

/** Writes `s` as field 1 of `out` (a prompb.TimeSeries), encoding it in `scratch` first. */
function writeTimeSeries(out: ProtoWriter, scratch: ProtoWriter, s: RemoteSeries, labelCache: LabelCache | undefined): void {
  const w = scratch;
  w.len = 0;
  let pairs = labelCache?.get(s.labels);
  if (pairs === undefined) {
    pairs = [];
    s.labels.forEach((name, value) => {
      const pw = new ProtoWriter();
      pw.string(1, name);
      pw.string(2, value);
      pairs!.push(pw.finish());
    });
    labelCache?.set(s.labels, pairs);
  }
  for (const pair of pairs) w.bytes(1, pair);
  for (const sample of s.samples) {
    // Sample { double value = 1; int64 timestamp = 2; }: 9 bytes of value, then the timestamp field.
    w.tag(2, WireType.Bytes);
    w.varint(9 + (sample.t === 0 ? 0 : 1 + varintSize(sample.t)));
    w.fixed64Words(1, sampleHiWord(sample.v, sample.stale), sampleLoWord(sample.v, sample.stale));
    if (sample.t !== 0) {
      w.tag(2, WireType.Varint);
      w.varint(sample.t);
    }
  }
  out.bytes(1, w.finish());
}

/** Bytes of `v` as a protobuf int64 varint (negative numbers take 10). */
function varintSize(v: number): number {
  if (v < 0) return 10;
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

/** Encoded prompb.Label messages per Labels object, reused across requests. */
export type LabelCache = WeakMap<Labels, Uint8Array[]>;

/** Decodes a prompb.WriteRequest; throws CodecError on malformed bytes. */
export function decodeWriteRequest(bytes: Uint8Array): WriteRequest {
  const r = new ProtoReader(bytes);
  const out: WriteRequest = { timeseries: [], metadata: [] };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.Bytes) out.timeseries.push(decodeTimeSeries(r.message()));
    else if (field === 3 && wire === WireType.Bytes) out.metadata.push(decodeMetadata(r.message()));
    else r.skip(wire);
  }
  return out;
}

/** prompb.TimeSeries: labels = 1, samples = 2, exemplars = 3, histograms = 4. */
function decodeTimeSeries(r: ProtoReader): ReceivedSeries {
  const pairs: [string, string][] = [];
  const samples: RemoteSample[] = [];
  let exemplars = 0;
  let histograms = 0;
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.Bytes) pairs.push(r.message().stringPair());
    else if (field === 2 && wire === WireType.Bytes) samples.push(decodeSample(r.message()));
    else {
      if (field === 3) exemplars++;
      else if (field === 4) histograms++;
      r.skip(wire);
    }
  }
  return { labels: Labels.from(pairs), samples, exemplars, histograms, duplicateLabel: firstDuplicate(pairs) };
}

function firstDuplicate(pairs: readonly [string, string][]): string | undefined {
  const seen = new Set<string>();
  for (const [name] of pairs) {
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}

function decodeSample(r: ProtoReader): RemoteSample {
  let t = 0;
  let hi = 0;
  let lo = 0;
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.Fixed64) [hi, lo] = r.fixed64Words();
    else if (field === 2 && wire === WireType.Varint) t = r.int64();
    else r.skip(wire);
  }
  const stale = isStaleNaNWords(hi, lo);
  return { t, v: floatFromWords(hi, lo), stale };
}

function decodeMetadata(r: ProtoReader): RemoteMetadata {
  const m: RemoteMetadata = { type: 0, metricFamilyName: '', help: '', unit: '' };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.Varint) m.type = r.varint();
    else if (field === 2 && wire === WireType.Bytes) m.metricFamilyName = r.string();
    else if (field === 4 && wire === WireType.Bytes) m.help = r.string();
    else if (field === 5 && wire === WireType.Bytes) m.unit = r.string();
    else r.skip(wire);
  }
  return m;
}

/** One query of a prompb.ReadRequest. */
export interface ReadQuery {
  startMs: number;
  endMs: number;
  matchers: Matcher[];
}

export interface ReadRequest {
  queries: ReadQuery[];
  /** 0 = SAMPLES, 1 = STREAMED_XOR_CHUNKS. */
  acceptedResponseTypes: number[];
}

const MATCH_TYPES = [MatchType.Equal, MatchType.NotEqual, MatchType.Regexp, MatchType.NotRegexp] as const;

/** Decodes a prompb.ReadRequest; bad matcher types or regexes throw. */
export function decodeReadRequest(bytes: Uint8Array): ReadRequest {
  const r = new ProtoReader(bytes);
  const out: ReadRequest = { queries: [], acceptedResponseTypes: [] };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.Bytes) out.queries.push(decodeQuery(r.message()));
    else if (field === 2 && wire === WireType.Varint) out.acceptedResponseTypes.push(r.varint());
    else if (field === 2 && wire === WireType.Bytes) {
      const packed = r.message();
      while (!packed.done()) out.acceptedResponseTypes.push(packed.varint());
    } else r.skip(wire);
  }
  return out;
}

function decodeQuery(r: ProtoReader): ReadQuery {
  const q: ReadQuery = { startMs: 0, endMs: 0, matchers: [] };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.Varint) q.startMs = r.int64();
    else if (field === 2 && wire === WireType.Varint) q.endMs = r.int64();
    else if (field === 3 && wire === WireType.Bytes) {
      const m = r.message();
      let type = 0;
      let name = '';
      let value = '';
      while (!m.done()) {
        const [f, w] = m.tag();
        if (f === 1 && w === WireType.Varint) type = m.varint();
        else if (f === 2 && w === WireType.Bytes) name = m.string();
        else if (f === 3 && w === WireType.Bytes) value = m.string();
        else m.skip(w);
      }
      const matchType = MATCH_TYPES[type];
      if (matchType === undefined) throw new Error(`unknown matcher type ${type} in remote read query`);
      q.matchers.push(new Matcher(matchType, name, value));
    } else r.skip(wire);
  }
  return q;
}

/** Encodes a prompb.ReadResponse of SAMPLES type: one QueryResult per query. */
export function encodeReadResponse(results: readonly (readonly RemoteSeries[])[]): Uint8Array {
  const w = new ProtoWriter();
  for (const series of results) {
    const qw = new ProtoWriter();
    const scratch = new ProtoWriter();
    for (const s of series) writeTimeSeries(qw, scratch, s, undefined);
    w.bytes(1, qw.finish());
  }
  return w.finish();
}

/** Decodes a SAMPLES prompb.ReadResponse (used by tests and by a remote_read client). */
export function decodeReadResponse(bytes: Uint8Array): RemoteSeries[][] {
  const r = new ProtoReader(bytes);
  const out: RemoteSeries[][] = [];
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field !== 1 || wire !== WireType.Bytes) {
      r.skip(wire);
      continue;
    }
    const q = r.message();
    const series: RemoteSeries[] = [];
    while (!q.done()) {
      const [f, w] = q.tag();
      if (f === 1 && w === WireType.Bytes) series.push(decodeTimeSeries(q.message()));
      else q.skip(w);
    }
    out.push(series);
  }
  return out;
}
