import type { Metric, MetricFamily, MetricType } from '@pyrometer/exposition';
import { isValidLabelName, isValidUtf8, type Labels } from '@pyrometer/model';
import { describeMetric, goTypeName } from './describe-metric.js';

/** The state a push is checked against: types of every family name outside the pushed group. */
export interface CheckContext {
  /** The type a family name has in the Pushgateway's own metrics, if it is one of them. */
  ownType(name: string): MetricType | undefined;
  /** Types the name has across all groups after the write (the pushed family included). */
  typesElsewhere(name: string): Iterable<MetricType>;
  /** Whether the name exists anywhere after the write (own metrics, other groups, the new group). */
  existsAfter(name: string): boolean;
  /** Whether another group already exposes this exact series (family name + full label set). */
  seriesElsewhere(name: string, metric: Metric): boolean;
}

/**
 * Checks the pushed families of one group as client_golang's `Gatherers.Gather` would check the
 * merged result, but only for what the push touches. Returns upstream-worded problems (empty when
 * the push is consistent).
 */
export function checkPushedFamilies(families: readonly MetricFamily[], ctx: CheckContext): string[] {
  const errors: string[] = [];
  const typeAfter = (name: string): MetricType | undefined => {
    const pushed = families.find((f) => f.name === name);
    if (pushed !== undefined) return pushed.type;
    const own = ctx.ownType(name);
    if (own !== undefined) return own;
    for (const t of ctx.typesElsewhere(name)) return t;
    return undefined;
  };
  for (const family of families) {
    const { name, type } = family;
    const own = ctx.ownType(name);
    if (own !== undefined && own !== type) {
      errors.push(`gathered metric family ${name} has type ${goTypeName(type)} but should have ${goTypeName(own)}`);
      continue;
    }
    const suffixError = suffixCollision(name, type, typeAfter, ctx);
    if (suffixError !== undefined) {
      errors.push(suffixError);
      continue;
    }
    let otherType: MetricType | undefined;
    for (const t of ctx.typesElsewhere(name)) if (t !== type) otherType = t;
    const seen = new SeriesSet();
    for (const metric of family.metrics) {
      const problem = metricProblem(family, metric, otherType, seen, ctx);
      if (problem !== undefined) errors.push(`collected metric ${JSON.stringify(name)} { ${describeMetric(metric, type)}} ${problem}`);
    }
  }
  return errors;
}

function metricProblem(family: MetricFamily, metric: Metric, otherType: MetricType | undefined, seen: SeriesSet, ctx: CheckContext): string | undefined {
  const { type } = family;
  if (otherType !== undefined) return `is not a ${goTypeName(otherType)}`;
  const kindOk = type === 'summary' ? metric.summary !== undefined : type === 'histogram' ? metric.histogram !== undefined : metric.value !== undefined;
  if (!kindOk) return `is not a ${goTypeName(type)}`;
  const labels = metric.labels;
  for (let i = 0; i < labels.size; i++) {
    const labelName = labels.nameAt(i);
    const value = labels.valueAt(i);
    if (!isValidLabelName(labelName) || labelName.startsWith('__')) return `has a label with an invalid name: ${labelName}`;
    if (type === 'summary' && labelName === 'quantile') return 'must not have an explicit "quantile" label';
    if (type === 'histogram' && labelName === 'le') return 'must not have an explicit "le" label';
    if (!isValidUtf8(value)) return `has a label named ${JSON.stringify(labelName)} whose value is not utf8: ${JSON.stringify(value)}`;
  }
  if (!seen.add(labels) || ctx.seriesElsewhere(family.name, metric)) return 'was collected before with the same name and label values';
  return undefined;
}

/**
 * Label sets seen so far within one pushed family, found by a hash of their pairs and confirmed
 * by comparison; unlike `Labels.key()` this caches no string on every pushed series.
 */
class SeriesSet {
  private readonly byHash = new Map<number, Labels[]>();

  /** Adds the label set; false when an equal one was added before. */
  add(labels: Labels): boolean {
    let h = 0x811c9dc5;
    for (let i = 0; i < labels.size; i++) {
      const name = labels.nameAt(i);
      const value = labels.valueAt(i);
      for (let c = 0; c < name.length; c++) h = Math.imul(h ^ name.charCodeAt(c), 0x01000193);
      h = Math.imul(h ^ 0xff, 0x01000193);
      for (let c = 0; c < value.length; c++) h = Math.imul(h ^ value.charCodeAt(c), 0x01000193);
      h = Math.imul(h ^ 0xfe, 0x01000193);
    }
    const bucket = this.byHash.get(h);
    if (bucket === undefined) {
      this.byHash.set(h, [labels]);
      return true;
    }
    if (bucket.some((other) => other.equals(labels))) return false;
    bucket.push(labels);
    return true;
  }
}

const SUFFIXES = ['_count', '_sum', '_bucket'] as const;

function suffixCollision(name: string, type: MetricType, typeAfter: (n: string) => MetricType | undefined, ctx: CheckContext): string | undefined {
  for (const suffix of SUFFIXES) {
    if (!name.endsWith(suffix)) continue;
    const base = name.slice(0, -suffix.length);
    const baseType = typeAfter(base);
    if (baseType === 'summary' && suffix !== '_bucket') return `collected metric named ${JSON.stringify(name)} collides with previously collected summary named ${JSON.stringify(base)}`;
    if (baseType === 'histogram') return `collected metric named ${JSON.stringify(name)} collides with previously collected histogram named ${JSON.stringify(base)}`;
  }
  if (type === 'summary' || type === 'histogram') {
    for (const suffix of type === 'histogram' ? SUFFIXES : SUFFIXES.slice(0, 2)) {
      if (ctx.existsAfter(name + suffix)) {
        const what = suffix === '_bucket' ? 'histogram' : 'histogram or summary';
        return `collected ${what} named ${JSON.stringify(name)} collides with previously collected metric named ${JSON.stringify(name + suffix)}`;
      }
    }
  }
  return undefined;
}
