import type { Labels } from '@pyrometer/model';

/**
 * Removes `__name__` and the metadata labels `__type__` and `__unit__` (upstream's
 * `DropReserved(schema.IsMetadataLabel)`), which every name-dropping operation removes together.
 */
export function dropMetricName(metric: Labels): Labels {
  if (!metric.has('__name__') && !metric.has('__type__') && !metric.has('__unit__')) return metric;
  return metric.without('__name__', '__type__', '__unit__');
}

/** The signature string used to match series on (`on`) or ignoring (`!on`) the given label names. */
export function signature(metric: Labels, names: readonly string[], on: boolean): string {
  let out = '';
  metric.forEach((name, value) => {
    const listed = names.includes(name);
    if (on ? listed : !listed && name !== '__name__') out += name + '\xff' + value + '\xff';
  });
  return out;
}
