import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareUtf8 } from './compare.js';
import { Labels } from './labels.js';

const L = (o: Record<string, string>) => Labels.from(o);

describe('Labels construction', () => {
  it.each([
    { name: 'sorts names', input: [['b', '2'], ['a', '1'], ['__name__', 'up']], want: ['__name__', 'up', 'a', '1', 'b', '2'] },
    { name: 'drops empty values', input: [['a', ''], ['b', '2']], want: ['b', '2'] },
    { name: 'last duplicate wins', input: [['a', '1'], ['a', '2']], want: ['a', '2'] },
    { name: 'a later empty duplicate deletes', input: [['a', '1'], ['a', '']], want: [] },
    { name: 'upper case sorts before lower case (byte order)', input: [['b', '1'], ['B', '2'], ['_', '3']], want: ['B', '2', '_', '3', 'b', '1'] },
    { name: 'empty', input: [], want: [] },
  ] as { name: string; input: [string, string][]; want: string[] }[])('$name', ({ input, want }) => {
    expect(Labels.from(input).toFlat()).toEqual(want);
  });

  it('accepts records and iterables alike', () => {
    expect(L({ b: '2', a: '1' }).equals(Labels.from(new Map([['a', '1'], ['b', '2']])))).toBe(true);
  });

  it('is immutable: copies handed out do not write through', () => {
    const ls = L({ a: '1', b: '2' });
    const flat = ls.toFlat();
    flat[1] = 'changed';
    const rec = ls.toRecord();
    rec['a'] = 'changed';
    ls.builder().set('a', 'changed').labels();
    expect(ls.get('a')).toBe('1');
    expect(ls.toString()).toBe('{a="1", b="2"}');
  });

  it('sorts names in Go byte order even for characters beyond U+FFFF', () => {
    // U+1F600 (a surrogate pair in UTF-16) comes after U+FFFD in UTF-8 byte order.
    const ls = Labels.from([['\u{1F600}', 'x'], ['\uFFFD', 'y']]);
    expect(ls.names()).toEqual(['\uFFFD', '\u{1F600}']);
  });

  it('returns the empty set singleton for nothing', () => {
    expect(L({})).toBe(Labels.EMPTY);
    expect(L({ a: '' }).size).toBe(0);
  });
});

describe('Labels access', () => {
  const ls = L({ __name__: 'up', job: 'node', instance: 'a:9100' });

  it('gets values, treating absent labels as empty', () => {
    expect(ls.get('job')).toBe('node');
    expect(ls.get('nope')).toBe('');
    expect(ls.has('job')).toBe(true);
    expect(ls.has('nope')).toBe(false);
    expect(ls.metricName).toBe('up');
    expect(ls.size).toBe(3);
    expect([ls.nameAt(1), ls.valueAt(1)]).toEqual(['instance', 'a:9100']);
    expect([...ls]).toEqual([['__name__', 'up'], ['instance', 'a:9100'], ['job', 'node']]);
    expect(ls.toRecord()).toEqual({ __name__: 'up', instance: 'a:9100', job: 'node' });
  });

  it('derives subsets', () => {
    expect(ls.without('instance').toFlat()).toEqual(['__name__', 'up', 'job', 'node']);
    expect(ls.keep('job').toFlat()).toEqual(['job', 'node']);
    expect(ls.without('nope')).toBe(ls);
  });
});

describe('Labels identity', () => {
  it('swaps in canonical copies of its strings without changing its content', () => {
    const table = new Map<string, string>();
    const canonical = (s: string) => table.get(s) ?? (table.set(s, s), s);
    const first = L({ job: 'node', instance: 'a' }).shareStrings(canonical);
    const second = L({ job: 'no' + 'de'.repeat(1), instance: 'b' });
    const before = [second.key(), second.hash(), second.toString()];
    expect(second.shareStrings(canonical)).toBe(second);
    expect([second.key(), second.hash(), second.toString()]).toEqual(before);
    expect(second.get('job')).toBe(first.get('job'));
    expect(table.size).toBe(5);
  });

  it('gives equal sets equal keys and hashes, and different sets different ones', () => {
    const a = L({ a: '1', b: '2' });
    const b = Labels.from([['b', '2'], ['a', '1']]);
    expect(a.key()).toBe(b.key());
    expect(a.hash()).toBe(b.hash());
    expect(a.equals(b)).toBe(true);
    const c = L({ a: '1', b: '3' });
    expect(a.key()).not.toBe(c.key());
    expect(a.hash()).not.toBe(c.hash());
    expect(a.equals(c)).toBe(false);
  });

  it('does not confuse a name/value boundary with a value containing the separator-like text', () => {
    expect(L({ a: 'b', c: 'd' }).key()).not.toBe(L({ a: 'b\xffc\xffd' }).key());
    expect(L({ a: 'b:1', c: 'd' }).key()).not.toBe(L({ a: 'b', '1:c': 'd' }).key());
    expect(L({ ab: 'c' }).key()).not.toBe(L({ a: 'bc' }).key());
  });

  it('hashes stably across runs (pinned values)', () => {
    // These numbers are part of the contract: anything persisted or sharded by hash relies on them.
    expect(L({}).hash()).toBe(3338908027751811);
    expect(L({ __name__: 'up', job: 'node' }).hash()).toBe(3976271075014694);
  });

  it('hashes the same whether or not the key was built first (the hash is computed from the strings)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 120 }), fc.string({ maxLength: 1200 })), (rec) => {
        const withKey = Labels.from(rec);
        withKey.key();
        expect(Labels.from(rec).hash()).toBe(withKey.hash());
      }),
    );
    const long = { __name__: 'x'.repeat(10), a: 'y'.repeat(99), b: 'z'.repeat(100), c: 'w'.repeat(1000) };
    const withKey = L(long);
    withKey.key();
    expect(L(long).hash()).toBe(withKey.hash());
  });

  it('hashes are 53-bit non-negative integers', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string()), (rec) => {
        const h = Labels.from(rec).hash();
        expect(Number.isSafeInteger(h) && h >= 0).toBe(true);
      }),
    );
  });
});

describe('Labels.compare (Prometheus labels.Compare)', () => {
  it.each([
    { name: 'equal', a: { a: '1' }, b: { a: '1' }, want: 0 },
    { name: 'by first differing name', a: { a: '1' }, b: { b: '1' }, want: -1 },
    { name: 'name before value', a: { a: '2', c: '1' }, b: { b: '1' }, want: -1 },
    { name: 'by value', a: { a: '1' }, b: { a: '2' }, want: -1 },
    { name: 'value is byte order, not numeric', a: { a: '10' }, b: { a: '9' }, want: -1 },
    { name: 'prefix set first', a: { a: '1' }, b: { a: '1', b: '1' }, want: -1 },
    { name: 'greater', a: { b: '1' }, b: { a: '1', c: '1' }, want: 1 },
  ])('$name', ({ a, b, want }) => {
    expect(Math.sign(Labels.compare(L(a), L(b)))).toBe(want);
    expect(Math.sign(Labels.compare(L(b), L(a)))).toBe(-want || 0);
  });

  it('is a total order consistent with equals', () => {
    const labels = fc.dictionary(fc.constantFrom('a', 'b', 'c', '__name__'), fc.string({ maxLength: 3 }));
    fc.assert(
      fc.property(labels, labels, (x, y) => {
        const a = Labels.from(x);
        const b = Labels.from(y);
        expect(Labels.compare(a, b) === 0).toBe(a.equals(b));
        expect(Math.sign(Labels.compare(a, b))).toBe(-Math.sign(Labels.compare(b, a)) || 0);
      }),
    );
  });
});

describe('compareUtf8', () => {
  it('agrees with UTF-8 byte comparison', () => {
    const enc = new TextEncoder();
    const bytesCmp = (a: string, b: string) => {
      const x = enc.encode(a);
      const y = enc.encode(b);
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
      return x.length - y.length;
    };
    const s = fc.string({ unit: fc.constantFrom('a', 'Z', '\u00e9', '\ue000', '\uffff', '\u{10000}', '\u{1F600}'), maxLength: 4 });
    fc.assert(
      fc.property(s, s, (a, b) => {
        expect(Math.sign(compareUtf8(a, b))).toBe(Math.sign(bytesCmp(a, b)));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('Labels.toString', () => {
  it.each([
    { name: 'empty', labels: {}, want: '{}' },
    { name: 'sorted with a space after commas', labels: { b: '2', a: '1' }, want: '{a="1", b="2"}' },
    { name: 'values Go-quoted', labels: { a: 'x"y\\z\n' }, want: '{a="x\\"y\\\\z\\n"}' },
    { name: 'UTF-8 names quoted', labels: { 'service.name': 'x' }, want: '{"service.name"="x"}' },
    { name: 'metric name', labels: { __name__: 'up', job: 'n' }, want: '{__name__="up", job="n"}' },
  ])('$name', ({ labels, want }) => {
    expect(L(labels).toString()).toBe(want);
  });
});

describe('Labels.validate', () => {
  it.each([
    { name: 'valid legacy', labels: { __name__: 'up', job: 'x' }, legacy: true, want: undefined },
    { name: 'legacy rejects dotted name', labels: { 'a.b': 'x' }, legacy: true, want: 'invalid label name "a.b"' },
    { name: 'UTF-8 accepts dotted name', labels: { 'a.b': 'x' }, legacy: false, want: undefined },
    { name: 'legacy rejects metric name with dot', labels: { __name__: 'a.b' }, legacy: true, want: 'invalid metric name "a.b"' },
    { name: 'legacy accepts colons in metric names', labels: { __name__: 'a:b' }, legacy: true, want: undefined },
    { name: 'legacy rejects colons in label names', labels: { 'a:b': 'x' }, legacy: true, want: 'invalid label name "a:b"' },
    { name: 'legacy rejects leading digit', labels: { '1a': 'x' }, legacy: true, want: 'invalid label name "1a"' },
    { name: 'UTF-8 rejects lone surrogate in name', labels: { ['a\ud800']: 'x' }, legacy: false, want: 'invalid label name "a\\ufffd"' },
    { name: 'rejects lone surrogate in value', labels: { a: 'x\udc00' }, legacy: false, want: 'invalid label value "x\\ufffd" for label "a"' },
  ])('$name', ({ labels, legacy, want }) => {
    expect(L(labels).validate({ legacy })).toBe(want);
  });
});

describe('LabelsBuilder', () => {
  const base = L({ a: '1', b: '2' });

  it.each([
    { name: 'no changes returns the base', edit: () => base.builder(), want: base.toFlat() },
    { name: 'set adds', edit: () => base.builder().set('c', '3'), want: ['a', '1', 'b', '2', 'c', '3'] },
    { name: 'set overrides', edit: () => base.builder().set('a', 'x'), want: ['a', 'x', 'b', '2'] },
    { name: 'set empty deletes', edit: () => base.builder().set('a', ''), want: ['b', '2'] },
    { name: 'delete', edit: () => base.builder().delete('b', 'zz'), want: ['a', '1'] },
    { name: 'delete then set', edit: () => base.builder().delete('a').set('a', 'y'), want: ['a', 'y', 'b', '2'] },
    { name: 'filter', edit: () => base.builder().set('c', '3').filter((n) => n !== 'a'), want: ['b', '2', 'c', '3'] },
    { name: 'reset', edit: () => base.builder().set('z', '1').reset(L({ q: '1' })), want: ['q', '1'] },
  ])('$name', ({ edit, want }) => {
    expect(edit().labels().toFlat()).toEqual(want);
  });

  it('agrees with building the set from scratch, for any base and edits', () => {
    const name = fc.constantFrom('a', 'b', 'c', 'Z', '__name__', '\u{1F600}', '\uFFFD');
    const value = fc.constantFrom('', '1', '2');
    fc.assert(
      fc.property(fc.dictionary(name, value), fc.array(fc.tuple(name, value)), (start, edits) => {
        const base = Labels.from(start);
        const builder = base.builder();
        const record: Record<string, string> = { ...start };
        for (const [n, v] of edits) {
          builder.set(n, v);
          record[n] = v;
        }
        const got = builder.labels();
        expect(got.equals(Labels.from(record))).toBe(true);
        if (got.equals(base)) expect(got).toBe(base); // no copy when nothing changed
      }),
    );
  });

  it('reads through changes and leaves earlier results alone', () => {
    const b = base.builder().set('a', 'x');
    expect(b.get('a')).toBe('x');
    expect(b.get('b')).toBe('2');
    const first = b.labels();
    b.set('b', 'y');
    expect(first.get('b')).toBe('2');
    expect(b.labels().get('b')).toBe('y');
    expect(base.get('a')).toBe('1');
  });
});
