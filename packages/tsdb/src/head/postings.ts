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

/**
 * A sorted list of refs the head's index grows in place: a plain array while short, then a
 * `Uint32Array` holding its length at [0] and the refs after it, with room to grow. V8 keeps an
 * array's small integers in 8 bytes each (plus up to half again as room), the typed array in 4; a
 * typed array's own objects (~150 bytes) pay off from {@link TYPED_FROM} refs on. Read it through
 * {@link refsOf}; refs from 2^32 on keep a list a plain array.
 */
export type RefList = number[] | Uint32Array;

/** Refs from which a list becomes typed. */
const TYPED_FROM = 128;
const MAX_U32 = 0xffffffff;

/** The refs of `list` (a live view: it sees later inserts that fit its length). */
export function refsOf(list: RefList): Postings {
  return Array.isArray(list) ? list : list.subarray(1, 1 + list[0]!);
}

/** A list of exactly `refs` (sorted, duplicate-free; the array is taken over). */
export function refListOf(refs: number[]): RefList {
  if (refs.length < TYPED_FROM || refs[refs.length - 1]! > MAX_U32) return refs;
  const typed = new Uint32Array(1 + refs.length + (refs.length >>> 3));
  typed[0] = refs.length;
  typed.set(refs, 1);
  return typed;
}

/**
 * Inserts `ref` into a sorted list (appending when it is the largest, the common case); returns
 * the list, which is a new one when it had to grow or change form.
 */
export function insertSorted(list: RefList, ref: number): RefList {
  if (Array.isArray(list)) {
    const at = insertionPoint(list, list.length, ref, 0);
    if (at >= 0) {
      if (at === list.length) list.push(ref);
      else list.splice(at, 0, ref);
    }
    return list.length === TYPED_FROM ? refListOf(list) : list;
  }
  const n = list[0]!;
  if (ref > MAX_U32) return insertSorted(Array.from(refsOf(list)), ref);
  const at = insertionPoint(list, n, ref, 1);
  if (at < 0) return list;
  let out = list;
  if (n + 1 >= list.length) {
    out = new Uint32Array(list.length + (list.length >>> 1));
    out.set(list);
  }
  out.copyWithin(at + 2, at + 1, n + 1);
  out[at + 1] = ref;
  out[0] = n + 1;
  return out;
}

/** Where `ref` goes among the `n` sorted refs of `list` from `offset` on (relative), or -1 when present. */
function insertionPoint(list: ArrayLike<number>, n: number, ref: number, offset: number): number {
  if (n === 0 || list[offset + n - 1]! < ref) return n;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[offset + mid]! < ref) lo = mid + 1;
    else hi = mid;
  }
  return list[offset + lo] === ref ? -1 : lo;
}
