import { LabelsBuilder, type Labels } from '@pyrometer/model';

/**
 * Merges a scraped series' labels with its target's labels, as upstream's `mutateSampleLabels`:
 * with `honor`, exposed labels win and target labels fill only names the series lacks
 * (`exposedNames` lists names exposed even with an empty value, which count as present);
 * otherwise target labels win and each conflicting exposed label with a non-empty value moves to
 * `exported_<name>` (prefix repeated until free; shorter names first).
 */
export function mergeTargetLabels(exposed: Labels, target: Labels, honor: boolean, exposedNames?: ReadonlySet<string>): Labels {
  const b = new LabelsBuilder(exposed);
  if (honor) {
    target.forEach((name, value) => {
      if (!exposed.has(name) && !exposedNames?.has(name)) b.set(name, value);
    });
    return b.labels();
  }
  let conflicts: [string, string][] | undefined;
  target.forEach((name, value) => {
    const existing = exposed.get(name);
    if (existing !== '') (conflicts ??= []).push([name, existing]);
    b.set(name, value);
  });
  if (conflicts) {
    conflicts.sort((x, y) => x[0].length - y[0].length);
    for (const [name, value] of conflicts) {
      let candidate = name;
      for (;;) {
        candidate = 'exported_' + candidate;
        if (b.get(candidate) === '') {
          b.set(candidate, value);
          break;
        }
      }
    }
  }
  return b.labels();
}

/** Label limits of a scrape config (0 = unlimited). */
export interface LabelLimits {
  labelLimit: number;
  labelNameLengthLimit: number;
  labelValueLengthLimit: number;
}

/** Upstream's `verifyLabelLimits`: the message for the first limit `lset` breaks, or undefined. */
export function checkLabelLimits(lset: Labels, limits: LabelLimits): string | undefined {
  const metric = lset.metricName.slice(0, 50);
  if (limits.labelLimit > 0 && lset.size > limits.labelLimit) {
    return `label_limit exceeded (metric: ${metric}, number of labels: ${lset.size}, limit: ${limits.labelLimit})`;
  }
  if (limits.labelNameLengthLimit === 0 && limits.labelValueLengthLimit === 0) return undefined;
  let problem: string | undefined;
  lset.forEach((name, value) => {
    if (problem) return;
    if (limits.labelNameLengthLimit > 0 && name.length > limits.labelNameLengthLimit) {
      problem = `label_name_length_limit exceeded (metric: ${metric}, label name: ${name.slice(0, 50)}, length: ${name.length}, limit: ${limits.labelNameLengthLimit})`;
    } else if (limits.labelValueLengthLimit > 0 && value.length > limits.labelValueLengthLimit) {
      problem = `label_value_length_limit exceeded (metric: ${metric}, label name: ${name.slice(0, 50)}, value: ${JSON.stringify(value.slice(0, 50))}, length: ${value.length}, limit: ${limits.labelValueLengthLimit})`;
    }
  });
  return problem;
}
