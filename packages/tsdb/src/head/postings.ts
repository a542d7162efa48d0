/**
 * Sorted lists of series refs and the set operations the index needs. Lists are ascending,
 * duplicate-free arrays of positive integers; every function returns a new array (or one of its
 * inputs unchanged) and never mutates its inputs.
 */
export type Postings = readonly number[] | Uint32Array;

/** Refs present in both lists. */
export function intersect(a: Postings, b: Postings): Postings {
  if (a.length > b.length) [a, b] = [b, a];
  if (a.length === 0) return a;
  const out: number[] = [];
  // Galloping over the longer list keeps a small ∩ large intersection near O(small · log large).
  let j = 0;
  for (let i = 0; i < a.length && j < b.length; i++) {
    const x = a[i]!;
    if (b[j]! < x) j = gallop(b, j, x);
    if (b[j] === x) out.push(x);
  }
  return out;
}

/** Refs of `a` that are not in `b`. */
export function subtract(a: Postings, b: Postings): Postings {
  if (a.length === 0 || b.length === 0) return a;
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    if (j < b.length && b[j]! < x) j = gallop(b, j, x);
    if (b[j] !== x) out.push(x);
  }
  return out;
}

/**
 * Union of lists known to be pairwise disjoint (the lists of one label name's different values:
 * a series has one value per name). Concatenates and sorts numerically.
 */
export function unionDisjoint(lists: readonly Postings[]): Postings {
  if (lists.length === 0) return [];
  if (lists.length === 1) return lists[0]!;
  let n = 0;
  for (const l of lists) n += l.length;
  const all = new Float64Array(n);
  let k = 0;
  for (const l of lists) for (let i = 0; i < l.length; i++) all[k++] = l[i]!;
  all.sort();
  return Array.from(all);
}

/** Index of the first element ≥ x in `list`, searching from `from`. */
function gallop(list: Postings, from: number, x: number): number {
  let step = 1;
  let lo = from;
  let hi = from + 1;
  while (hi < list.length && list[hi]! < x) {
    lo = hi;
    step *= 2;
    hi = from + step;
  }
  if (hi > list.length) hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Inserts `ref` into a sorted mutable list (appending when it is the largest, the common case). */
export function insertSorted(list: number[], ref: number): void {
  const n = list.length;
  if (n === 0 || list[n - 1]! < ref) {
    list.push(ref);
    return;
  }
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < ref) lo = mid + 1;
    else hi = mid;
  }
  if (list[lo] !== ref) list.splice(lo, 0, ref);
}
