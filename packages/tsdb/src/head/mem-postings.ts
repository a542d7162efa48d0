import type { Labels, Matcher } from '@pyrometer/model';
import { MatchType } from '@pyrometer/model';
import { insertSorted, intersect, refListOf, refsOf, subtract, unionDisjoint, type Postings, type RefList } from './postings.js';

/**
 * The head's inverted index: label name → value → sorted refs of the series carrying that pair,
 * plus the sorted list of every indexed ref. Owned by the head; mutated only by `add`/`delete`
 * (on the event loop, between queries' synchronous sections).
 */
export class MemPostings {
  private readonly byName = new Map<string, Map<string, RefList>>();
  private all: RefList = [];

  add(ref: number, labels: Labels): void {
    this.all = insertSorted(this.all, ref);
    labels.forEach((name, value) => {
      let values = this.byName.get(name);
      if (values === undefined) {
        values = new Map();
        this.byName.set(name, values);
      }
      const list = values.get(value);
      if (list === undefined) values.set(value, [ref]);
      else {
        const grown = insertSorted(list, ref);
        if (grown !== list) values.set(value, grown);
      }
    });
  }

  /** Removes a set of refs (series garbage-collected by head truncation) in one pass per list. */
  delete(refs: ReadonlySet<number>, labelsOf: (ref: number) => Labels | undefined): void {
    if (refs.size === 0) return;
    const touched = new Set<string>();
    for (const ref of refs) labelsOf(ref)?.forEach((name, value) => touched.add(name + '\xff' + value));
    for (const pair of touched) {
      const cut = pair.indexOf('\xff');
      const name = pair.slice(0, cut);
      const values = this.byName.get(name);
      const list = values?.get(pair.slice(cut + 1));
      if (values === undefined || list === undefined) continue;
      const kept = without(list, refs);
      if (kept.length === 0) {
        values.delete(pair.slice(cut + 1));
        if (values.size === 0) this.byName.delete(name);
      } else values.set(pair.slice(cut + 1), refListOf(kept));
    }
    this.all = refListOf(without(this.all, refs));
  }

  /** Every indexed ref, sorted. */
  allPostings(): Postings {
    return refsOf(this.all);
  }

  get(name: string, value: string): Postings {
    const list = this.byName.get(name)?.get(value);
    return list === undefined ? [] : refsOf(list);
  }

  /** Label names present, unsorted. */
  names(): IterableIterator<string> {
    return this.byName.keys();
  }

  /** Values present for `name`, unsorted. */
  values(name: string): IterableIterator<string> {
    return (this.byName.get(name) ?? new Map<string, RefList>()).keys();
  }

  /** Number of distinct name/value pairs. */
  pairCount(): number {
    let n = 0;
    for (const v of this.byName.values()) n += v.size;
    return n;
  }

  /**
   * Refs of series matching every matcher, sorted. Matchers that accept the empty string (and so
   * also select series lacking the label) are applied by subtracting the series whose present
   * value they reject; the others intersect the union of the values they accept. With only
   * subtractive matchers the start set is every series.
   */
  forMatchers(matchers: readonly Matcher[]): Postings {
    const positive: Postings[] = [];
    const negative: Postings[] = [];
    for (const m of matchers) {
      if (m.matchesEmpty()) negative.push(this.valuesPostings(m, false));
      else positive.push(this.valuesPostings(m, true));
    }
    positive.sort((a, b) => a.length - b.length);
    let result: Postings = positive.length === 0 ? refsOf(this.all) : positive[0]!;
    for (let i = 1; i < positive.length && result.length > 0; i++) result = intersect(result, positive[i]!);
    for (const n of negative) {
      if (result.length === 0) break;
      result = subtract(result, n);
    }
    return result;
  }

  /** Union of the postings of the values of `m.name` for which `m.matches(value) === want`. */
  private valuesPostings(m: Matcher, want: boolean): Postings {
    const values = this.byName.get(m.name);
    if (values === undefined) return [];
    if ((want && m.type === MatchType.Equal) || (!want && m.type === MatchType.NotEqual)) {
      const list = values.get(m.value);
      return list === undefined ? [] : refsOf(list);
    }
    const lists: Postings[] = [];
    const set = want ? m.setMatches() : undefined;
    if (set !== undefined) {
      for (const v of new Set(set)) {
        const l = values.get(v);
        if (l !== undefined) lists.push(refsOf(l));
      }
    } else {
      for (const [v, l] of values) if (m.matches(v) === want) lists.push(refsOf(l));
    }
    return unionDisjoint(lists);
  }
}

/** The refs of `list` not in `refs`, as a new array. */
function without(list: RefList, refs: ReadonlySet<number>): number[] {
  const kept: number[] = [];
  for (const r of refsOf(list)) if (!refs.has(r)) kept.push(r);
  return kept;
}
