import type { Labels } from '@pyrometer/model';

/**
 * Removes `__name__` and the metadata labels `__type__` and `__unit__` (upstream's
 * `DropReserved(schema.IsMetadataLabel)`), which every name-dropping operation removes together.
 */
export function dropMetricName(metric: Labels): Labels {
  if (!metric.has('__name__') && !metric.has('__type__') && !metric.has('__unit__')) return metric;
  return metric.without('__name__', '__type__', '__unit__');
}

/**
 * Whether `a` and `b` have the same `__name__`, `__type__` and `__unit__` (absent counts as ''):
 * then {@link dropMetricName} keeps distinct sets distinct.
 */
export function sameReservedLabels(a: Labels, b: Labels): boolean {
  return a === b || (a.get('__name__') === b.get('__name__') && a.get('__type__') === b.get('__type__') && a.get('__unit__') === b.get('__unit__'));
}

/** Whether every series of `mat` has the same reserved labels ({@link sameReservedLabels}). */
export function reservedLabelsAlike(mat: readonly { readonly metric: Labels }[]): boolean {
  for (let i = 1; i < mat.length; i++) if (!sameReservedLabels(mat[0]!.metric, mat[i]!.metric)) return false;
  return true;
}

/** The signature string used to match series on (`on`) or ignoring (`!on`) the given label names. */
export function signature(metric: Labels, names: readonly string[], on: boolean): string {
  let out = '';
  for (let i = 0; i < metric.size; i++) {
    const name = metric.nameAt(i);
    const listed = names.includes(name);
    if (on ? listed : !listed && name !== '__name__') out += name + '\xff' + metric.valueAt(i) + '\xff';
  }
  return out;
}
