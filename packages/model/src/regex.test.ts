import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnchoredRegex, quoteMeta } from './regex.js';

// Each fast-path pattern beside an equivalent spelling that the fast paths do not recognise, so
// the RE2 automaton answers it: both must agree on every input.
const pairs = [
  { fast: 'foo', slow: '(?:foo)' },
  { fast: 'a|bc|', slow: '(?:a|bc|)' },
  { fast: 'a\\.b|c\\|o|\\\\', slow: '(?:a\\.b|c\\|o|\\\\)' },
  { fast: '.*', slow: '(?:.*)' },
  { fast: '.+', slow: '(?:.+)' },
  { fast: 'fo.*', slow: '(?:fo).*' },
  { fast: '.*oo', slow: '.*(?:oo)' },
  { fast: '.*o\nb.*', slow: '.*(?:o\nb).*' },
  { fast: 'foo(.*)', slow: '(?:foo)(.*)' },
  { fast: 'foo(.+)', slow: '(?:foo)(.+)' },
  { fast: '(.*)', slow: '(?:)(.*)' },
];

describe('AnchoredRegex fast paths agree with the RE2 automaton', () => {
  const input = fc.string({ unit: fc.constantFrom('f', 'o', 'a', 'b', 'c', '\n', 'é'), maxLength: 8 });
  it.each(pairs)('$fast', ({ fast, slow }) => {
    const f = new AnchoredRegex(fast);
    const s = new AnchoredRegex(slow);
    fc.assert(
      fc.property(input, (v) => {
        expect(f.matches(v)).toBe(s.matches(v));
        expect(f.exec(v)?.groups).toEqual(s.exec(v)?.groups);
      }),
      { numRuns: 300 },
    );
  });

  it('quoteMeta makes a pattern that matches exactly the text, answered as a literal', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '.', '*', '|', '\\', '(', ']', '$', 'é') }), fc.string({ maxLength: 4 }), (text, other) => {
        const re = new AnchoredRegex(quoteMeta(text));
        expect(re.literalAlternatives()).toEqual([text]);
        expect(re.matches(text)).toBe(true);
        expect(re.matches(other)).toBe(other === text);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    { source: 'a|b\\.c', compiles: false },
    { source: '.*', compiles: false },
    { source: 'foo.*', compiles: false },
    { source: 'foo(.+)', compiles: false },
    { source: 'a.b', compiles: true },
    { source: '(a|b)*', compiles: true },
  ])('knows whether $source needs an automaton ($compiles)', ({ source, compiles }) => {
    expect(AnchoredRegex.needsCompiling(source)).toBe(compiles);
  });

  it('reports named groups', () => {
    const m = new AnchoredRegex('(?P<key>[a-z]+)=(?P<value>.*)').exec('a=b=c');
    expect(m?.groups).toEqual(['a=b=c', 'a', 'b=c']);
    expect(m?.named.get('value')).toBe(2);
  });
});
