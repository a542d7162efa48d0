import { describe, expect, it } from 'vitest';
import { Labels } from './labels.js';
import { Matcher, MatchType } from './matcher.js';
import { RegexSyntaxError } from './regex.js';

describe('Matcher', () => {
  it.each([
    { name: 'equal', type: MatchType.Equal, value: 'a', input: 'a', want: true },
    { name: 'equal absent', type: MatchType.Equal, value: '', input: '', want: true },
    { name: 'not equal', type: MatchType.NotEqual, value: 'a', input: 'b', want: true },
    { name: 'regex is anchored', type: MatchType.Regexp, value: 'a', input: 'ba', want: false },
    { name: 'regex alternation', type: MatchType.Regexp, value: 'a|b', input: 'b', want: true },
    { name: 'dot matches newline', type: MatchType.Regexp, value: 'a.b', input: 'a\nb', want: true },
    { name: 'prefix', type: MatchType.Regexp, value: 'foo.*', input: 'foobar', want: true },
    { name: 'suffix', type: MatchType.Regexp, value: '.*bar', input: 'foobar', want: true },
    { name: 'contains', type: MatchType.Regexp, value: '.*ob.*', input: 'foobar', want: true },
    { name: 'RE2 class', type: MatchType.Regexp, value: '[[:digit:]]+', input: '123', want: true },
    { name: 'case-insensitive flag', type: MatchType.Regexp, value: '(?i)FOO', input: 'foo', want: true },
    { name: 'not regex', type: MatchType.NotRegexp, value: 'a.*', input: 'abc', want: false },
    { name: 'not regex matches empty', type: MatchType.NotRegexp, value: 'a.*', input: '', want: true },
  ])('$name', ({ type, value, input, want }) => {
    expect(new Matcher(type, 'l', value).matches(input)).toBe(want);
  });

  it('matches label sets, treating absent labels as empty', () => {
    const labels = Labels.from({ __name__: 'up', job: 'node' });
    expect(new Matcher(MatchType.Equal, 'job', 'node').matchesLabels(labels)).toBe(true);
    expect(new Matcher(MatchType.Equal, 'instance', '').matchesLabels(labels)).toBe(true);
  });

  it('rejects invalid RE2 syntax with a typed error naming the pattern', () => {
    expect(() => new Matcher(MatchType.Regexp, 'l', '(a')).toThrow(RegexSyntaxError);
    expect(() => new Matcher(MatchType.Regexp, 'l', '(a')).toThrow(/"\(a"/);
    // Backreferences and lookarounds are not RE2.
    expect(() => new Matcher(MatchType.Regexp, 'l', '(a)\\1')).toThrow(RegexSyntaxError);
  });

  it('matches a catastrophic-backtracking pattern in linear time', () => {
    const m = new Matcher(MatchType.Regexp, 'l', '(a+)+$');
    const input = 'a'.repeat(100_000) + 'b';
    const started = performance.now();
    expect(m.matches(input)).toBe(false);
    // A backtracking engine needs astronomically long here; RE2 answers in milliseconds.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
