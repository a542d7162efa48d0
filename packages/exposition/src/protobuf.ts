import { CodecError, ProtoReader, ProtoWriter, WireType } from '@pyrometer/codec';
import { Labels } from '@pyrometer/model';
import { ExpositionError } from './exposition-error.js';
import { MetricType, type Bucket, type Metric, type MetricFamily, type Quantile } from './metric-family.js';

// client_model metrics.proto field numbers (io.prometheus.client).
const PROTO_TYPES = ['counter', 'gauge', 'summary', 'untyped', 'histogram', 'gaugehistogram'] as const;

function protoType(type: MetricType): number {
  switch (type) {
    case MetricType.Counter:
      return 0;
    case MetricType.Gauge:
    case MetricType.Info:
    case MetricType.StateSet:
      return 1;
    case MetricType.Summary:
      return 2;
    case MetricType.Histogram:
      return 4;
    case MetricType.GaugeHistogram:
      return 5;
    default:
      return 3;
  }
}

/**
 * Decodes a body of varint-length-prefixed `io.prometheus.client.MetricFamily` messages (the
 * Pushgateway's push format and the protobuf scrape format). Classic values, summaries and
 * histograms are read; native-histogram fields, exemplars and created timestamps are skipped.
 * Truncated or malformed input throws an {@link ExpositionError} with code `protobuf`.
 */
export function decodeDelimited(body: Uint8Array): MetricFamily[] {
  const r = new ProtoReader(body);
  const out: MetricFamily[] = [];
  try {
    while (!r.done()) out.push(decodeFamily(r.message()));
  } catch (err) {
    if (err instanceof CodecError) throw new ExpositionError('protobuf', `${err.message} (MetricFamily ${out.length + 1})`, { cause: err });
    throw err;
  }
  return out;
}

function decodeFamily(r: ProtoReader): MetricFamily {
  const family: MetricFamily = { name: '', help: undefined, type: MetricType.Counter, metrics: [] };
  const raw: ProtoReader[] = [];
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.Bytes) family.name = r.string();
    else if (field === 2 && wire === WireType.Bytes) family.help = r.string();
    else if (field === 3 && wire === WireType.Varint) {
      const t = r.varint();
      const type = PROTO_TYPES[t];
      if (type === undefined) throw new ExpositionError('protobuf', `unknown metric type ${t} in family ${JSON.stringify(family.name)}`);
      family.type = type;
    } else if (field === 4 && wire === WireType.Bytes) raw.push(r.message());
    else if (field === 5 && wire === WireType.Bytes) family.unit = r.string();
    else r.skip(wire);
  }
  if (family.unit === '') delete family.unit;
  for (const m of raw) family.metrics.push(decodeMetric(m));
  return family;
}

function decodeMetric(r: ProtoReader): Metric {
  const pairs: [string, string][] = [];
  const metric: Metric = { labels: Labels.EMPTY };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (wire === WireType.Bytes && field === 1) pairs.push(r.message().stringPair());
    else if (wire === WireType.Bytes && (field === 2 || field === 3 || field === 5)) metric.value = decodeValue(r.message());
    else if (wire === WireType.Bytes && field === 4) metric.summary = decodeSummary(r.message());
    else if (wire === WireType.Bytes && field === 7) metric.histogram = decodeHistogram(r.message());
    else if (wire === WireType.Varint && field === 6) metric.timestampMs = r.int64();
    else r.skip(wire);
  }
  metric.labels = Labels.from(pairs);
  return metric;
}

function decodeValue(r: ProtoReader): number {
  let value = 0;
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.Fixed64) value = r.double();
    else r.skip(wire);
  }
  return value;
}

function decodeSummary(r: ProtoReader): NonNullable<Metric['summary']> {
  const s = { sampleCount: 0, sampleSum: 0, quantiles: [] as Quantile[] };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.Varint) s.sampleCount = r.varint();
    else if (field === 2 && wire === WireType.Fixed64) s.sampleSum = r.double();
    else if (field === 3 && wire === WireType.Bytes) {
      const q = r.message();
      const quantile = { quantile: 0, value: 0 };
      while (!q.done()) {
        const [f, w] = q.tag();
        if (f === 1 && w === WireType.Fixed64) quantile.quantile = q.double();
        else if (f === 2 && w === WireType.Fixed64) quantile.value = q.double();
        else q.skip(w);
      }
      s.quantiles.push(quantile);
    } else r.skip(wire);
  }
  return s;
}

function decodeHistogram(r: ProtoReader): NonNullable<Metric['histogram']> {
  const h = { sampleCount: 0, sampleSum: 0, buckets: [] as Bucket[] };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.Varint) h.sampleCount = r.varint();
    else if (field === 4 && wire === WireType.Fixed64) h.sampleCount = r.double();
    else if (field === 2 && wire === WireType.Fixed64) h.sampleSum = r.double();
    else if (field === 3 && wire === WireType.Bytes) {
      const b = r.message();
      const bucket = { upperBound: 0, cumulativeCount: 0 };
      while (!b.done()) {
        const [f, w] = b.tag();
        if (f === 1 && w === WireType.Varint) bucket.cumulativeCount = b.varint();
        else if (f === 4 && w === WireType.Fixed64) bucket.cumulativeCount = b.double();
        else if (f === 2 && w === WireType.Fixed64) bucket.upperBound = b.double();
        else b.skip(w);
      }
      h.buckets.push(bucket);
    } else r.skip(wire);
  }
  return h;
}

/**
 * Encodes families as varint-length-prefixed `MetricFamily` messages, fields in field-number
 * order as Go's proto.Marshal writes them. Info and stateset families are written as gauges and
 * unknown as untyped (the protobuf format has no such types). A metric without the value its
 * family type needs throws an {@link ExpositionError} with code `encode`.
 */
export function encodeDelimited(families: readonly MetricFamily[]): Uint8Array {
  const out = new ProtoWriter();
  for (const family of families) {
    out.delimited(encodeFamily(family).finish());
  }
  return out.finish();
}

function encodeFamily(family: MetricFamily): ProtoWriter {
  const w = new ProtoWriter();
  w.string(1, family.name);
  if (family.help !== undefined) w.string(2, family.help);
  const type = protoType(family.type);
  w.tag(3, WireType.Varint);
  w.varint(type);
  for (const metric of family.metrics) w.bytes(4, encodeMetric(family, type, metric).finish());
  if (family.unit !== undefined) w.string(5, family.unit);
  return w;
}

function encodeMetric(family: MetricFamily, type: number, metric: Metric): ProtoWriter {
  const w = new ProtoWriter();
  metric.labels.forEach((name, value) => w.stringPair(1, name, value));
  const missing = (what: string): never => {
    throw new ExpositionError('encode', `expected ${what} in metric ${family.name}${metric.labels.toString()}`);
  };
  if (type === 0 || type === 1 || type === 3) {
    const v = new ProtoWriter();
    v.double(1, metric.value ?? missing('a value'));
    w.bytes(type === 0 ? 3 : type === 1 ? 2 : 5, v.finish());
  } else if (type === 2) {
    const s = metric.summary ?? missing('a summary');
    const m = new ProtoWriter();
    m.tag(1, WireType.Varint);
    m.varint(s.sampleCount);
    m.double(2, s.sampleSum);
    for (const q of s.quantiles) {
      const qw = new ProtoWriter();
      qw.double(1, q.quantile);
      qw.double(2, q.value);
      m.bytes(3, qw.finish());
    }
    w.bytes(4, m.finish());
  }
  if (metric.timestampMs !== undefined) {
    w.tag(6, WireType.Varint);
    w.varint(metric.timestampMs);
  }
  if (type === 4 || type === 5) {
    const h = metric.histogram ?? missing('a histogram');
    const m = new ProtoWriter();
    m.tag(1, WireType.Varint);
    m.varint(h.sampleCount);
    m.double(2, h.sampleSum);
    for (const b of h.buckets) {
      const bw = new ProtoWriter();
      bw.tag(1, WireType.Varint);
      bw.varint(b.cumulativeCount);
      bw.double(2, b.upperBound);
      m.bytes(3, bw.finish());
    }
    w.bytes(7, m.finish());
  }
  return w;
}
