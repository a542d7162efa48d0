import { Labels } from '@pyrometer/model';
import { describe, expect, it } from 'vitest';
import { ParseError } from './errors.js';
import { parseSeriesDescription, type SequenceValue } from './series.js';

const v = (value: number): SequenceValue => ({ value, stale: false, omitted: false });
const none: SequenceValue = { value: 0, stale: false, omitted: true };
const stale: SequenceValue = { value: NaN, stale: true, omitted: false };

const good: { name: string; input: string; labels: Record<string, string>; values: SequenceValue[] }[] = [
  { name: 'empty label set', input: '{} 1 2 3', labels: {}, values: [v(1), v(2), v(3)] },
  { name: 'name only', input: 'up 1', labels: { __name__: 'up' }, values: [v(1)] },
  { name: 'no values', input: 'up{job="a"}', labels: { __name__: 'up', job: 'a' }, values: [] },
  { name: 'quoted names', input: '{"http.requests", "service.name"="api"} 0', labels: { __name__: 'http.requests', 'service.name': 'api' }, values: [v(0)] },
  { name: 'increasing run', input: 'm{a="b"} 1+2x3', labels: { __name__: 'm', a: 'b' }, values: [v(1), v(3), v(5), v(7)] },
  { name: 'decreasing run', input: 'm 3-10x2', labels: { __name__: 'm' }, values: [v(3), v(-7), v(-17)] },
  { name: 'negative start', input: 'm -3-1x1 +5', labels: { __name__: 'm' }, values: [v(-3), v(-4), v(5)] },
  { name: 'repeat', input: 'm 7x2', labels: { __name__: 'm' }, values: [v(7), v(7), v(7)] },
  { name: 'zero repetitions', input: 'm 1+1x0', labels: { __name__: 'm' }, values: [v(1)] },
  { name: 'omitted', input: 'm 1 _ _x3 2', labels: { __name__: 'm' }, values: [v(1), none, none, none, none, v(2)] },
  { name: 'stale', input: 'm 1 stale 2', labels: { __name__: 'm' }, values: [v(1), stale, v(2)] },
  { name: 'special floats and exponents', input: 'm Inf -Inf 1e3 .5', labels: { __name__: 'm' }, values: [v(Infinity), v(-Infinity), v(1000), v(0.5)] },
  { name: 'tabs and trailing space', input: 'm\t1\t2   ', labels: { __name__: 'm' }, values: [v(1), v(2)] },
];

describe('parseSeriesDescription', () => {
  it.each(good)('$name', ({ input, labels, values }) => {
    const d = parseSeriesDescription(input);
    expect(d.labels.equals(Labels.from(labels))).toBe(true);
    expect(d.values).toEqual(values);
  });

  it('reads native histograms with their expansions', () => {
    const d = parseSeriesDescription('m {{schema:1 sum:-2.5 count:4 z_bucket:1 z_bucket_w:0.001 buckets:[1 -0 2] offset:-1 n_buckets:[+1] n_offset:2 counter_reset_hint:gauge}} _ {{}}x1 {{count:1 buckets:[1]}}+{{count:2 buckets:[1 1]}}x2 3');
    const [h, blank, e1, e2, a, b, c, f] = d.values;
    expect(h?.histogram?.testExpression()).toBe('{{schema:1 count:4 sum:-2.5 z_bucket:1 z_bucket_w:0.001 counter_reset_hint:gauge offset:-1 buckets:[1 0 2] n_offset:2 n_buckets:[1]}}');
    expect(blank?.omitted).toBe(true);
    expect([e1?.histogram?.testExpression(), e2?.histogram]).toEqual(['{{}}', e1?.histogram]);
    expect([a, b, c].map((x) => x?.histogram?.testExpression())).toEqual(['{{count:1 buckets:[1]}}', '{{count:3 buckets:[2 1]}}', '{{count:5 buckets:[3 2]}}']);
    expect(f).toEqual(v(3));
    expect(parseSeriesDescription('m {{schema:-53 custom_values:[1 2.5] buckets:[1 2 3] count:6}}').values[0]?.histogram?.customValues).toEqual([1, 2.5]);
  });

  it('reads NaN as a plain value, distinct from stale', () => {
    const [nan] = parseSeriesDescription('m NaN').values;
    expect(nan?.stale).toBe(false);
    expect(Number.isNaN(nan?.value)).toBe(true);
  });

  const bad: { name: string; input: string; message: string; code?: string }[] = [
    { name: 'increment without repetitions', input: '{} 1+1', message: 'unexpected end of input in series values, expected "x"' },
    { name: 'junk after identifier', input: '{"a"xx} 1', message: 'unexpected identifier "xx" in label set, expected "," or "}"' },
    { name: 'missing label value', input: '{"a"=, x="y"} 1', message: 'unexpected "," in label set, expected string' },
    { name: 'regex matcher in label set', input: 'm{a=~"b"} 1', message: 'unexpected <op:=~> in label set, expected "="' },
    { name: 'unknown word', input: 'm 1 foo', message: 'unexpected identifier "foo" in series values, expected number or "stale"' },
    { name: 'blank with junk', input: 'm 1 _a4', message: 'unexpected identifier "a4" in series values' },
    { name: 'two runs glued', input: 'm 3+3x4-4', message: 'unexpected <op:-> in series values' },
    { name: 'unknown histogram key', input: 'm {{schema:0 foo:1}}', message: 'bad histogram descriptor found: "foo"' },
    { name: 'repeated histogram key', input: 'm {{sum:1 sum:2}}', message: 'duplicate key "sum" in histogram' },
    { name: 'unclosed histogram', input: 'm {{sum:1', message: 'unexpected end of input in histogram description, expected "}}"' },
    { name: 'bad bucket list', input: 'm {{buckets:[1 a]}}', message: 'invalid character in buckets description: "a"' },
    { name: 'increment of a coarser schema', input: 'm {{schema:1}}+{{schema:0}}x2', message: 'error combining histograms: cannot merge from schema 0 to 1' },
    { name: 'bad hint', input: 'm {{counter_reset_hint:maybe}}', message: 'bad counter_reset_hint: "maybe"' },
  ];

  it.each(bad)('rejects $name', ({ input, message, code }) => {
    let caught: unknown;
    try {
      parseSeriesDescription(input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ParseError);
    expect((caught as ParseError).reason).toBe(message);
    if (code !== undefined) expect((caught as ParseError).code).toBe(code);
  });
});
