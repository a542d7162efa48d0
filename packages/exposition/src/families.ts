import { Labels, parseGoFloat } from '@pyrometer/model';
import { ExpositionFormat, formatFromContentType } from './content-type.js';
import { ExpositionError } from './exposition-error.js';
import { MetricType, type Metric, type MetricFamily } from './metric-family.js';
import { EntryType, ExpositionParser } from './parser.js';
import { decodeDelimited } from './protobuf.js';
import { NEWLINE } from './internal/bytes.js';
import { labelsFromPairs } from './internal/label-spans.js';

/**
 * Parses a whole body into metric families, the view the Pushgateway stores. The format comes
 * from `contentType` (see {@link formatFromContentType}); a missing or unknown type is read as
 * text 0.0.4, as the Pushgateway does. Text follows expfmt's TextParser: families keyed by name in
 * first-seen order, summaries and histograms assembled from their lines (`_count` before the
 * quantiles is fine; a missing `_sum` leaves 0), a second HELP or TYPE for a name, a TYPE after
 * samples, a repeated label name or `__name__` as a label are errors, families without samples are
 * dropped, and timestamps are kept so the caller can reject them. OpenMetrics bodies are grouped by
 * their metadata families (counters named without `_total`). Throws {@link ExpositionError}.
 */
export function parseFamilies(body: Uint8Array | string, contentType: string | null | undefined): MetricFamily[] {
  const format = formatFromContentType(contentType, ExpositionFormat.Text);
  if (format === ExpositionFormat.Protobuf) return decodeDelimited(typeof body === 'string' ? Buffer.from(body) : body);
  return format === ExpositionFormat.OpenMetrics ? parseOpenMetricsFamilies(body) : parseTextFamilies(body);
}

interface Builder {
  family: MetricFamily;
  typed: boolean;
}

type Part = '' | 'count' | 'sum' | 'bucket';

function textError(line: number, message: string): ExpositionError {
  return new ExpositionError('invalid-family', `text format parsing error in line ${line}: ${message}`, { line });
}

function parseTextFamilies(body: Uint8Array | string): MetricFamily[] {
  const parser = new ExpositionParser(body, ExpositionFormat.Text);
  const byName = new Map<string, Builder>();
  const merged = new Assembler();

  // expfmt's setOrCreateCurrentMF: `x_count`/`x_sum` join summary `x`, and `_bucket` histogram `x`.
  const lookup = (name: string): { b: Builder; part: Part } => {
    const own = byName.get(name);
    if (own !== undefined) return { b: own, part: '' };
    for (const [suffix, part] of [['_count', 'count'], ['_sum', 'sum'], ['_bucket', 'bucket']] as const) {
      if (name.length <= suffix.length || !name.endsWith(suffix)) continue;
      const base = byName.get(name.slice(0, -suffix.length));
      if (base === undefined) continue;
      const t = base.family.type;
      if ((t === MetricType.Summary && part !== 'bucket') || (t === MetricType.Histogram && base.typed)) return { b: base, part };
    }
    const b: Builder = { family: { name, help: undefined, type: MetricType.Untyped, metrics: [] }, typed: false };
    byName.set(name, b);
    return { b, part: '' };
  };

  for (let entry = parser.next(); entry !== null; entry = parser.next()) {
    const line = parser.lineNumber();
    if (entry === EntryType.Help) {
      const { b } = lookup(parser.metadataName());
      if (b.family.help !== undefined) throw textError(line, `second HELP line for metric name ${JSON.stringify(b.family.name)}`);
      b.family.help = parser.help(true);
    } else if (entry === EntryType.Type) {
      const { b } = lookup(parser.metadataName());
      if (b.typed) throw textError(line, `second TYPE line for metric name ${JSON.stringify(b.family.name)}, or TYPE reported after samples`);
      b.family.type = parser.type();
      b.typed = true;
    } else if (entry === EntryType.Series) {
      addTextSample(parser, lookup(parser.metricName()), merged, line);
    }
  }
  if (typeof body !== 'string' ? body.length > 0 && body[body.length - 1] !== NEWLINE : body.length > 0 && !body.endsWith('\n')) {
    if (!/^[ \t]*$/.test(lastLine(body))) throw textError(parser.lineNumber(), 'unexpected end of input stream');
  }
  const out: MetricFamily[] = [];
  for (const b of byName.values()) if (b.family.metrics.length > 0) out.push(b.family);
  return out;
}

function lastLine(body: Uint8Array | string): string {
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('latin1', Math.max(0, body.length - 4096));
  return text.slice(text.lastIndexOf('\n') + 1);
}

function addTextSample(parser: ExpositionParser, found: { b: Builder; part: Part }, merged: Assembler, line: number): void {
  const { b, part } = found;
  const family = b.family;
  b.typed = true;
  const type = family.type;
  const raw = parser.labelPairs();
  const kept: string[] = [];
  let special: number | undefined;
  const specialName = type === MetricType.Summary ? 'quantile' : type === MetricType.Histogram ? 'le' : undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    if (name === '__name__') throw textError(line, 'label name "__name__" is reserved');
    if (name === specialName) {
      special = parseGoFloat(value);
      if (special === undefined) throw textError(line, `expected float as value for '${name}' label, got ${JSON.stringify(value)}`);
    } else {
      for (let k = 0; k < kept.length; k += 2) if (kept[k] === name) throw textError(line, `duplicate label names for metric ${JSON.stringify(family.name)}`);
      kept.push(name, value);
    }
  }
  let role: Role = 'value';
  if (specialName !== undefined) {
    if (part === 'count' || part === 'sum') role = part;
    else if (special !== undefined && type === MetricType.Summary && part === '') role = 'quantile';
    else if (special !== undefined && type === MetricType.Histogram && part === 'bucket') role = 'bucket';
    else role = 'none';
  }
  merged.add(family, merged.labels(kept, line), role, special ?? 0, parser.value(), parser.timestampMs());
}

/** What a sample line contributes to its family's metric. */
type Role = 'value' | 'count' | 'sum' | 'quantile' | 'bucket' | 'none';

/**
 * Builds the metrics of a body's families. Summary and histogram lines join the metric with the
 * same family and labels (created on first sight). The last line's label pairs are remembered, so
 * the consecutive lines of one summary or histogram (Flink writes seven) skip sorting and keying.
 */
class Assembler {
  private readonly merged = new Map<string, Metric>();
  private lastPairs: string[] = [];
  private lastLabels = Labels.EMPTY;
  private lastFamily: MetricFamily | undefined;
  private lastMetric: Metric | undefined;

  /** The label set of flat `pairs` (see labelsFromPairs), reused when equal to the last line's. */
  labels(pairs: string[], line: number): Labels {
    const last = this.lastPairs;
    let same = pairs.length === last.length;
    for (let i = 0; same && i < pairs.length; i++) same = pairs[i] === last[i];
    if (!same) {
      this.lastLabels = labelsFromPairs(pairs, line);
      this.lastPairs = pairs;
    }
    return this.lastLabels;
  }

  /** Adds one sample; `special` is the quantile or bucket bound. */
  add(family: MetricFamily, labels: Labels, role: Role, special: number, value: number, ts: number | undefined): void {
    if (role === 'value') {
      const metric: Metric = { labels, value };
      if (ts !== undefined) metric.timestampMs = ts;
      family.metrics.push(metric);
      return;
    }
    let metric = this.lastFamily === family && this.lastMetric?.labels === labels ? this.lastMetric : undefined;
    if (metric === undefined) {
      const key = family.name + '\xff' + labels.key();
      metric = this.merged.get(key);
      if (metric === undefined) {
        metric = family.type === MetricType.Summary ? { labels, summary: { sampleCount: 0, sampleSum: 0, quantiles: [] } } : { labels, histogram: { sampleCount: 0, sampleSum: 0, buckets: [] } };
        this.merged.set(key, metric);
        family.metrics.push(metric);
      }
      this.lastFamily = family;
      this.lastMetric = metric;
    }
    if (ts !== undefined) metric.timestampMs = ts;
    const agg = metric.summary ?? metric.histogram!;
    if (role === 'count') agg.sampleCount = toCount(value);
    else if (role === 'sum') agg.sampleSum = value;
    else if (role === 'quantile') metric.summary?.quantiles.push({ quantile: special, value });
    else if (role === 'bucket') metric.histogram?.buckets.push({ upperBound: special, cumulativeCount: toCount(value) });
  }
}

/** Go's `uint64(f)` for the counts a text body carries as floats (`60.0`). */
function toCount(v: number): number {
  return Number.isFinite(v) && v > 0 ? Math.trunc(v) : 0;
}

function parseOpenMetricsFamilies(body: Uint8Array | string): MetricFamily[] {
  const parser = new ExpositionParser(body, ExpositionFormat.OpenMetrics);
  const meta = new Map<string, { help?: string; unit?: string }>();
  const metaOf = (name: string): { help?: string; unit?: string } => {
    let m = meta.get(name);
    if (m === undefined) meta.set(name, (m = {}));
    return m;
  };
  const byName = new Map<string, MetricFamily>();
  const merged = new Assembler();
  for (let entry = parser.next(); entry !== null; entry = parser.next()) {
    if (entry === EntryType.Help) metaOf(parser.metadataName()).help = parser.help();
    else if (entry === EntryType.Unit) metaOf(parser.metadataName()).unit = parser.unit();
    else if (entry === EntryType.Series) {
      const type = parser.familyType();
      const base = parser.familyName();
      // client_model names counter families with their `_total`, as expfmt's OpenMetrics writer expects.
      const name = type === MetricType.Counter ? base + '_total' : base;
      let family = byName.get(name);
      if (family === undefined) {
        const m = meta.get(base);
        family = { name, help: m?.help, type, metrics: [] };
        if (m?.unit !== undefined && m.unit !== '') family.unit = m.unit;
        byName.set(name, family);
      }
      addOpenMetricsSample(parser, family, merged);
    }
  }
  return [...byName.values()];
}

function addOpenMetricsSample(parser: ExpositionParser, family: MetricFamily, merged: Assembler): void {
  const suffix = parser.suffix();
  if (suffix === '_created') return;
  const type = family.type;
  const aggregated = type === MetricType.Summary || type === MetricType.Histogram || type === MetricType.GaugeHistogram;
  const specialName = type === MetricType.Summary ? 'quantile' : aggregated ? 'le' : undefined;
  const raw = parser.labelPairs();
  const kept: string[] = [];
  let special: number | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i] === specialName) {
      special = parseGoFloat(raw[i + 1]!);
      if (special === undefined) throw new ExpositionError('invalid-family', `expected float as value for '${specialName}' label, got ${JSON.stringify(raw[i + 1])}`, { line: parser.lineNumber(), column: 1 });
    } else kept.push(raw[i]!, raw[i + 1]!);
  }
  let role: Role = 'value';
  if (aggregated) {
    if (suffix === '_count' || suffix === '_gcount') role = 'count';
    else if (suffix === '_sum' || suffix === '_gsum') role = 'sum';
    else if (special !== undefined) role = type === MetricType.Summary ? 'quantile' : 'bucket';
    else role = 'none';
  }
  merged.add(family, merged.labels(kept, parser.lineNumber()), role, special ?? 0, parser.value(), parser.timestampMs());
}
