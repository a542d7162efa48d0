import { Labels, Matcher, MatchType } from '@pyrometer/model';
import { describe, expect, it } from 'vitest';
import { MemPostings } from './mem-postings.js';
import { insertSorted, refsOf, type RefList } from './postings.js';

const eq = (n: string, v: string): Matcher => new Matcher(MatchType.Equal, n, v);
const series = (i: number): Labels => Labels.from({ __name__: 'm', parity: String(i % 2), id: String(i) });

describe('MemPostings over lists long enough to be typed', () => {
  // Refs indexed out of order (as commits of concurrent batches do), with repeats.
  const refs = Array.from({ length: 1_000 }, (_, i) => ((i * 389) % 1_000) + 1);

  it('keeps every list sorted and duplicate-free as it grows past the typed threshold', () => {
    const p = new MemPostings();
    for (const ref of refs) p.add(ref, series(ref));
    for (const ref of refs.slice(0, 50)) p.add(ref, series(ref));
    const all = Array.from({ length: 1_000 }, (_, i) => i + 1);
    expect(Array.from(p.allPostings())).toEqual(all);
    expect(p.allPostings()).toBeInstanceOf(Uint32Array);
    expect(Array.from(p.get('parity', '1'))).toEqual(all.filter((r) => r % 2 === 1));
    expect(Array.from(p.forMatchers([eq('__name__', 'm'), eq('parity', '0'), new Matcher(MatchType.Regexp, 'id', '1.*')]))).toEqual(all.filter((r) => r % 2 === 0 && String(r).startsWith('1')));
    expect(Array.from(p.get('id', '7'))).toEqual([7]);
  });

  it('deletes refs from typed and plain lists, and drops emptied values', () => {
    const p = new MemPostings();
    for (const ref of refs) p.add(ref, series(ref));
    const gone = new Set(Array.from({ length: 900 }, (_, i) => i + 1));
    p.delete(gone, series);
    const left = Array.from({ length: 100 }, (_, i) => i + 901);
    expect(Array.from(p.allPostings())).toEqual(left);
    expect(Array.from(p.get('parity', '0'))).toEqual(left.filter((r) => r % 2 === 0));
    expect(Array.from(p.get('id', '5'))).toEqual([]);
    expect(p.pairCount()).toBe(1 + 2 + 100);
  });
});

describe('insertSorted', () => {
  it('turns a list typed as it grows, and plain again for a ref from 2^32 on', () => {
    let list: RefList = [];
    for (let ref = 200; ref >= 1; ref--) list = insertSorted(list, ref);
    expect(list).toBeInstanceOf(Uint32Array);
    list = insertSorted(list, 2 ** 33);
    expect(Array.isArray(list)).toBe(true);
    expect(Array.from(refsOf(list))).toEqual([...Array.from({ length: 200 }, (_, i) => i + 1), 2 ** 33]);
  });
});
