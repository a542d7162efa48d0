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
    { name: 'native histogram', input: 'm {{schema:0 sum:1 count:1}}', message: 'native histograms are not supported yet', code: 'unsupported' },
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
