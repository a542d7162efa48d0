import type { Metric, MetricFamily, MetricType } from '@pyrometer/exposition';
import { Labels } from '@pyrometer/model';
import { PushgatewayError } from '../errors.js';
import type { StoredFamily } from '../store.js';
import { GroupRecord } from './group-record.js';

/** A float as JSON: finite numbers as numbers, NaN and ±Inf as the strings "NaN", "+Inf", "-Inf". */
type JsonFloat = number | 'NaN' | '+Inf' | '-Inf';

interface JsonMetric {
  l: string[];
  v?: JsonFloat;
  s?: { c: number; s: JsonFloat; q: [JsonFloat, JsonFloat][] };
  h?: { c: number; s: JsonFloat; b: [JsonFloat, number][] };
}

interface JsonFamily {
  name: string;
  help?: string;
  type: MetricType;
  ts: number;
  metrics: JsonMetric[];
}

/** One group as stored in the persistence file and in Redis (see docs/state-format.md). */
export interface JsonGroup {
  labels: Record<string, string>;
  families: JsonFamily[];
}

export function encodeGroup(group: GroupRecord): JsonGroup {
  const families: JsonFamily[] = [];
  for (const { family, timestampMs } of group.families.values()) {
    const out: JsonFamily = { name: family.name, type: family.type, ts: timestampMs, metrics: family.metrics.map(encodeMetric) };
    if (family.help !== undefined) out.help = family.help;
    families.push(out);
  }
  return { labels: { ...group.labels }, families };
}

/** Rebuilds a group; throws a `persistence` error naming `where` when the data is malformed. */
export function decodeGroup(key: string, json: JsonGroup, where: string): GroupRecord {
  try {
    const families = new Map<string, StoredFamily>();
    for (const f of json.families) {
      const family: MetricFamily = { name: f.name, help: f.help, type: f.type, metrics: f.metrics.map(decodeMetric) };
      families.set(f.name, { family, timestampMs: f.ts });
    }
    return new GroupRecord(key, { ...json.labels }, families);
  } catch (err) {
    throw new PushgatewayError('persistence', `malformed group in ${where}: ${(err as Error).message}`, { cause: err });
  }
}

function encodeMetric(m: Metric): JsonMetric {
  const out: JsonMetric = { l: m.labels.toFlat() };
  if (m.summary !== undefined) out.s = { c: m.summary.sampleCount, s: enc(m.summary.sampleSum), q: m.summary.quantiles.map((q) => [enc(q.quantile), enc(q.value)]) };
  else if (m.histogram !== undefined) out.h = { c: m.histogram.sampleCount, s: enc(m.histogram.sampleSum), b: m.histogram.buckets.map((b) => [enc(b.upperBound), b.cumulativeCount]) };
  else if (m.value !== undefined) out.v = enc(m.value);
  return out;
}

function decodeMetric(m: JsonMetric): Metric {
  if (!Array.isArray(m.l) || m.l.length % 2 !== 0) throw new Error('metric labels must be a flat [name, value, …] array');
  const metric: Metric = { labels: Labels.fromSortedFlat([...m.l]) };
  if (m.s !== undefined) metric.summary = { sampleCount: m.s.c, sampleSum: dec(m.s.s), quantiles: m.s.q.map(([q, v]) => ({ quantile: dec(q), value: dec(v) })) };
  else if (m.h !== undefined) metric.histogram = { sampleCount: m.h.c, sampleSum: dec(m.h.s), buckets: m.h.b.map(([u, c]) => ({ upperBound: dec(u), cumulativeCount: c })) };
  else if (m.v !== undefined) metric.value = dec(m.v);
  return metric;
}

function enc(v: number): JsonFloat {
  if (Number.isFinite(v)) return v;
  return Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
}

function dec(v: JsonFloat): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === '+Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  throw new Error(`invalid float ${JSON.stringify(v)}`);
}
