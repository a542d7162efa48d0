import { describe, expect, it } from 'vitest';
import { MatchType } from './matcher.js';
import { parseClassicMatcher, parseClassicMatchers } from './parse-classic.js';
import { parseUtf8Matcher, parseUtf8Matchers } from './parse-utf8.js';
import { matcherParser } from './parse.js';

const text = (ms: { toString(): string }[]) => ms.map(String).join(',');

// Cases restated from upstream's matcher/parse and pkg/labels tests (inputs, results and the exact
// error texts, whose `a:b` prefixes are code point columns).
describe('UTF-8 matcher parser', () => {
  it.each([
    { input: '', want: '' },
    { input: '{}', want: '' },
    { input: '{foo=bar}', want: 'foo="bar"' },
    { input: '{foo=bar,}', want: 'foo="bar"' },
    { input: 'foo!~[a-z]+', want: 'foo!~"[a-z]+"' },
    { input: '{foo=🙂bar}', want: 'foo="🙂bar"' },
    { input: '{"foo"=~"\\\\d+"}', want: 'foo=~"\\\\d+"' },
    { input: '{"foo"="\\xf0\\x9f\\x99\\x82"}', want: 'foo="🙂"' },
    { input: '{"foo"="\\U0001f642"}', want: 'foo="🙂"' },
    { input: '{"foo"="bar\\n"}', want: 'foo="bar\\n"' },
    { input: '{"foo"="\\"bar\\""}', want: 'foo="\\"bar\\""' },
    { input: 'foo="bar",bar!="baz"', want: 'foo="bar",bar!="baz"' },
    { input: '{"foo bar"="x"}', want: '"foo bar"="x"' },
  ])('parses $input', ({ input, want }) => {
    expect(text(parseUtf8Matchers(input))).toBe(want);
  });

  it.each([
    { input: ',', error: '0:1: unexpected ,: expected label name' },
    { input: '{,}', error: '1:2: unexpected ,: expected label name' },
    { input: '{', error: '0:1: end of input: expected close brace' },
    { input: '}', error: '0:1: }: expected opening brace' },
    { input: 'foo=bar}', error: '0:8: }: expected opening brace' },
    { input: '{foo=bar', error: '0:8: end of input: expected close brace' },
    { input: '{foo=:"bar"}', error: '6:11: unexpected "bar": expected a comma or close brace' },
    { input: '{foo="bar\\w"}', error: '5:12: "bar\\w": invalid input' },
    { input: '{"foo"=~"\\d+"}', error: '8:13: "\\d+": invalid input' },
    { input: '{foo=bar\\n}', error: '8:9: \\: invalid input: expected a comma or close brace' },
    { input: '{"foo"="\\xf0\\x9f"}', error: '7:17: "\\xf0\\x9f": invalid input' },
    { input: 'foo="bar', error: '4:8: "bar: missing end ": expected label value' },
    { input: 'foo!bar', error: '3:4: !: expected one of \'=~\': expected an operator such as \'=\', \'!=\', \'=~\' or \'!~\'' },
    { input: 'foo=~"("', error: 'failed to create matcher: error parsing regexp: missing closing ): `^(?:()$`' },
  ])('rejects $input', ({ input, error }) => {
    expect(() => parseUtf8Matchers(input)).toThrow(error);
  });

  it.each([
    { input: '', error: 'no matchers' },
    { input: '{}', error: 'no matchers' },
    { input: 'foo=bar,bar=baz', error: 'expected 1 matcher, found 2' },
    { input: 'foo="\\xf0\\x9f"', error: '4:14: "\\xf0\\x9f": invalid input' },
  ])('one matcher: rejects $input', ({ input, error }) => {
    expect(() => parseUtf8Matcher(input)).toThrow(error);
  });
});

describe('classic matcher parser', () => {
  it.each([
    { input: '{foo="bar"}', want: 'foo="bar"' },
    { input: 'foo=bar', want: 'foo="bar"' },
    { input: 'foo = bar ', want: 'foo="bar"' },
    { input: 'foo=~bar.*', want: 'foo=~"bar.*"' },
    { input: 'foo="bar,baz",x!=y', want: 'foo="bar,baz",x!="y"' },
    { input: 'foo=\\d+', want: 'foo="\\\\d+"' },
    { input: 'foo="a\\"b"', want: 'foo="a\\"b"' },
    { input: 'foo=bar\\', want: 'foo="bar\\\\"' },
  ])('parses $input', ({ input, want }) => {
    expect(text(parseClassicMatchers(input))).toBe(want);
  });

  it.each([
    { input: 'foo', error: 'bad matcher format: foo' },
    { input: 'foo="bar', error: 'matcher value contains unescaped double quote: "bar' },
    { input: 'foo=b"ar', error: 'matcher value contains unescaped double quote: b"ar' },
  ])('rejects $input', ({ input, error }) => {
    expect(() => parseClassicMatcher(input)).toThrow(error);
  });
});

describe('fallback mode (the default)', () => {
  it('uses the UTF-8 result when both parsers agree', () => {
    const m = matcherParser('fallback').matcher('foo="bar"', 'api');
    expect([m.type, m.name, m.value]).toEqual([MatchType.Equal, 'foo', 'bar']);
  });

  it('falls back to the classic parser and reports it', () => {
    const seen: string[] = [];
    const m = matcherParser('fallback', (_input, _origin, suggestion) => seen.push(suggestion)).matcher('foo=\\d+', 'api');
    expect(m.value).toBe('\\d+');
    expect(seen).toEqual(['foo="\\\\d+"']);
  });

  it('refuses braces around a single matcher', () => {
    expect(() => matcherParser().matcher('{foo="bar"}', 'api')).toThrow('unexpected open or close brace: {foo="bar"}');
  });

  it('reports the classic error when both fail', () => {
    expect(() => matcherParser().matcher('foo', 'api')).toThrow('bad matcher format: foo');
  });

  it('checks label names by mode', () => {
    expect(matcherParser('fallback').isValidLabelName('qux🙂')).toBe(true);
    expect(matcherParser('classic').isValidLabelName('qux🙂')).toBe(false);
    expect(matcherParser('utf8-strict').isValidLabelName('')).toBe(false);
  });
});
