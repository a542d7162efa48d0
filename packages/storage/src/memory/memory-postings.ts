import { MatchType, type Labels, type Matcher } from '@pyrometer/model';

/** Ascending series ids. */
type Postings = readonly number[];

const NONE: Postings = [];

/**
 * The inverted index of a {@link MemoryStorage}: for every label name and value, the ids of the
 * series carrying that pair, ascending (ids are handed out in increasing order, so adding keeps
 * every list sorted). Selecting reads the lists of the matched values only, and a regex matcher
 * is tested once per distinct value of its label, never once per series.
 */
export class MemoryPostings {
  private readonly byName = new Map<string, Map<string, number[]>>();
  private count = 0;

  /** Indexes series `id`, which must be greater than every id added before. */
  add(id: number, labels: Labels): void {
    labels.forEach((name, value) => {
      let values = this.byName.get(name);
      if (values === undefined) this.byName.set(name, (values = new Map()));
      const list = values.get(value);
      if (list === undefined) values.set(value, [id]);
      else list.push(id);
    });
    this.count = id + 1;
  }

  /**
   * Ids (ascending, all below the largest id added plus one) of the series that satisfy every
   * matcher, where an absent label counts as the empty value.
   */
  select(matchers: readonly Matcher[]): Postings {
    const include: Postings[] = [];
    const exclude: Postings[] = [];
    for (const m of matchers) {
      // A matcher that accepts '' also selects series without the label, so it is applied as
      // "drop the series whose value it rejects"; any other one as "keep those whose value it accepts".
      if (m.matchesEmpty()) exclude.push(this.valuesWhere(m, false));
      else include.push(this.valuesWhere(m, true));
    }
    let out: Postings;
    if (include.length === 0) out = allIds(this.count);
    else {
      include.sort((a, b) => a.length - b.length);
      out = include[0]!;
      for (let i = 1; i < include.length && out.length > 0; i++) out = intersect(out, include[i]!);
    }
    for (const ex of exclude) if (out.length > 0 && ex.length > 0) out = subtract(out, ex);
    return out;
  }

  /** The union of the lists of `m`'s label whose value `m` accepts (`accepted`) or rejects. */
  private valuesWhere(m: Matcher, accepted: boolean): Postings {
    const values = this.byName.get(m.name);
    if (values === undefined) return NONE;
    if (accepted && m.type === MatchType.Equal) return values.get(m.value) ?? NONE;
    if (!accepted && m.type === MatchType.NotEqual) return values.get(m.value) ?? NONE;
    const literals = accepted ? m.setMatches() : undefined;
    const lists: Postings[] = [];
    if (literals !== undefined) {
      for (const v of literals) {
        const list = values.get(v);
        if (list !== undefined) lists.push(list);
      }
    } else {
      for (const [v, list] of values) if (m.matches(v) === accepted) lists.push(list);
    }
    return union(lists);
  }
}

function allIds(count: number): Postings {
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) out[i] = i;
  return out;
}

function intersect(a: Postings, b: Postings): Postings {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out;
}

function subtract(a: Postings, b: Postings): Postings {
  const out: number[] = [];
  let j = 0;
  for (const x of a) {
    while (j < b.length && b[j]! < x) j++;
    if (j >= b.length || b[j] !== x) out.push(x);
  }
  return out;
}

function union(lists: readonly Postings[]): Postings {
  if (lists.length === 0) return NONE;
  if (lists.length === 1) return lists[0]!;
  let total = 0;
  for (const l of lists) total += l.length;
  const merged = new Float64Array(total);
  let k = 0;
  for (const l of lists) for (const id of l) merged[k++] = id;
  // Lists of one label's values are disjoint (a series has one value per label), so sorting suffices.
  return Array.from(merged.sort());
}
