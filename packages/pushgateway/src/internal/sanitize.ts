import type { Metric, MetricFamily } from '@pyrometer/exposition';
import { compareUtf8, Labels } from '@pyrometer/model';
import type { GroupingLabels } from '../grouping-key.js';

/**
 * Returns the family with upstream's `sanitizeLabels` applied to every metric: each grouping label
 * overrides or is added to the metric's labels, and `instance=""` is added when the metric has no
 * instance. Label sets keep empty values here (a Labels built from a sorted flat array), because
 * the Pushgateway exposes `instance=""` and empty grouping values literally.
 */
export function sanitizeFamily(family: MetricFamily, grouping: GroupingLabels, groupingNames: readonly string[]): MetricFamily {
  const metrics: Metric[] = new Array<Metric>(family.metrics.length);
  for (let i = 0; i < family.metrics.length; i++) {
    const metric = family.metrics[i]!;
    metrics[i] = { ...metric, labels: withGrouping(metric.labels, grouping, groupingNames) };
  }
  return { ...family, metrics };
}

/**
 * The labels of one pushed metric after grouping overrides; `groupingNames` is sorted. Merges the
 * two sorted lists directly (this runs once per pushed series, so it avoids temporary arrays).
 */
export function withGrouping(labels: Labels, grouping: GroupingLabels, groupingNames: readonly string[]): Labels {
  const flat: string[] = [];
  const n = labels.size;
  let i = 0;
  let j = 0;
  let instanceDone = false;
  const emit = (name: string, value: string) => {
    if (!instanceDone && compareUtf8(name, 'instance') >= 0) {
      if (name !== 'instance') flat.push('instance', '');
      instanceDone = true;
    }
    flat.push(name, value);
  };
  while (i < n || j < groupingNames.length) {
    const a = i < n ? labels.nameAt(i) : undefined;
    const b = groupingNames[j];
    if (b === undefined || (a !== undefined && compareUtf8(a, b) < 0)) {
      emit(a!, labels.valueAt(i));
      i++;
    } else {
      emit(b, grouping[b]!);
      if (a === b) i++;
      j++;
    }
  }
  if (!instanceDone) flat.push('instance', '');
  return Labels.fromSortedFlat(flat);
}

/** A one-metric gauge family carrying the group's labels, as upstream's push timestamp gauges. */
export function timestampFamily(name: string, help: string, seconds: number, grouping: GroupingLabels, groupingNames: readonly string[]): MetricFamily {
  return { name, help, type: 'gauge', metrics: [{ labels: withGrouping(Labels.EMPTY, grouping, groupingNames), value: seconds }] };
}
