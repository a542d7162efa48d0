import { describe, expect, it } from 'vitest';
import type { BinaryExpr, Call, Expr, MatrixSelector, SubqueryExpr, VectorSelector } from './ast.js';
import { parseExpr } from './parser.js';
import { exprToString } from './printer.js';
import type { ParserOptions } from './stream.js';

const ALL: Partial<ParserOptions> = {
  enableExperimentalFunctions: true,
  enableExperimentalDurationExpr: true,
  enableExtendedRangeSelectors: true,
};

// Each query parses, prints as `printed`, and the printed text parses back to the same text.
const roundTrips: { name: string; query: string; printed: string }[] = [
  { name: 'integer', query: '1', printed: '1' },
  { name: 'float', query: '1.5e3', printed: '1500' },
  { name: 'leading dot', query: '.5', printed: '0.5' },
  { name: 'hex', query: '0x1F', printed: '31' },
  { name: 'leading-zero octal', query: '010', printed: '8' },
  { name: 'underscores', query: '1_000', printed: '1000' },
  { name: 'inf and nan', query: 'Inf + -inf + NaN', printed: 'Inf + -Inf + NaN' },
  { name: 'negative number folds', query: '- 1', printed: '-1' },
  { name: 'duration as number', query: '5m', printed: '5m' },
  { name: 'negative duration', query: '-1h30m', printed: '-1h30m' },
  { name: 'double-quoted string', query: '"a\\"b\\n"', printed: '"a\\"b\\n"' },
  { name: 'single-quoted string', query: "'it\\'s'", printed: '"it\'s"' },
  { name: 'raw string', query: '`a\\b`', printed: '"a\\\\b"' },
  { name: 'go escapes', query: '"\\x41\\101\\u00e9\\U0001F600"', printed: '"AAé😀"' },
  { name: 'utf-8 bytes by \\x', query: '"\\xc3\\xa9"', printed: '"é"' },
  { name: 'invalid utf-8 bytes', query: '"\\xff"', printed: '"\ufffd"' },
  { name: 'metric name', query: 'up', printed: 'up' },
  { name: 'colon metric name', query: 'job:rate5m:sum', printed: 'job:rate5m:sum' },
  { name: 'keyword as metric name', query: 'sum + offset', printed: 'sum + offset' },
  { name: 'matchers sorted', query: 'up{job="a", instance=~"b.*", x!="", y!~"z"}', printed: 'up{instance=~"b.*",job="a",x!="",y!~"z"}' },
  { name: 'trailing comma in braces', query: 'up{job="a",}', printed: 'up{job="a"}' },
  { name: 'quoted metric name', query: '{"my.metric"}', printed: '{__name__="my.metric"}' },
  { name: 'quoted label name', query: 'up{"my.label"="v"}', printed: 'up{"my.label"="v"}' },
  { name: 'name matcher only', query: '{__name__=~"up|down"}', printed: '{__name__=~"up|down"}' },
  { name: 'range', query: 'rate(http_requests_total[5m])', printed: 'rate(http_requests_total[5m])' },
  { name: 'range as number', query: 'foo[90]', printed: 'foo[1m30s]' },
  { name: 'offset', query: 'foo offset 5m', printed: 'foo offset 5m' },
  { name: 'negative offset', query: 'foo offset -1w', printed: 'foo offset -1w' },
  { name: 'offset after range', query: 'foo[5m] offset 1h', printed: 'foo[5m] offset 1h' },
  { name: 'at timestamp', query: 'foo @ 1609746000', printed: 'foo @ 1609746000.000' },
  { name: 'at negative', query: 'foo @ -100.5', printed: 'foo @ -100.500' },
  { name: 'at start and offset', query: 'foo offset 1m @ start()', printed: 'foo @ start() offset 1m' },
  { name: 'at end on range', query: 'foo[1m] @ end()', printed: 'foo[1m] @ end()' },
  { name: 'subquery', query: 'max_over_time(rate(x[1m])[1h:5m])', printed: 'max_over_time(rate(x[1m])[1h:5m])' },
  { name: 'subquery default step', query: 'x[5m:]', printed: 'x[5m:]' },
  { name: 'subquery modifiers', query: 'x[5m:1m] offset 10m @ 100', printed: 'x[5m:1m] @ 100.000 offset 10m' },
  { name: 'nested subquery', query: 'max_over_time(sum_over_time((x + y)[10m:1m])[1h:10m])', printed: 'max_over_time(sum_over_time((x + y)[10m:1m])[1h:10m])' },
  { name: 'precedence', query: '1 + 2 * 3 ^ 4 ^ 5', printed: '1 + 2 * 3 ^ 4 ^ 5' },
  { name: 'parens kept', query: '(1 + 2) * 3', printed: '(1 + 2) * 3' },
  { name: 'bool', query: 'a > bool 1', printed: 'a > bool 1' },
  { name: 'on group_left', query: 'a * on(job) group_left(version) b', printed: 'a * on (job) group_left (version) b' },
  { name: 'ignoring group_right no labels', query: 'a / ignoring(x) group_right b', printed: 'a / ignoring (x) group_right () b' },
  { name: 'empty on', query: 'a + on() b', printed: 'a + on () b' },
  { name: 'quoted matching labels', query: 'a * on("a.b") group_left("c.d", e) b', printed: 'a * on ("a.b") group_left ("c.d", e) b' },
  { name: 'set operators', query: 'a and b or c unless d', printed: 'a and b or c unless d' },
  { name: 'atan2', query: 'a atan2 b', printed: 'a atan2 b' },
  { name: 'by before', query: 'sum by (job) (x)', printed: 'sum by (job) (x)' },
  { name: 'by after', query: 'sum(x) by (job, "a.b")', printed: 'sum by (job, "a.b") (x)' },
  { name: 'without', query: 'avg without(instance)(x)', printed: 'avg without (instance) (x)' },
  { name: 'keyword labels', query: 'sum by (on, by, offset) (x)', printed: 'sum by (on, by, offset) (x)' },
  { name: 'topk', query: 'topk(3, x)', printed: 'topk(3, x)' },
  { name: 'count_values', query: 'count_values("v", x)', printed: 'count_values("v", x)' },
  { name: 'quantile', query: 'quantile(0.9, x)', printed: 'quantile(0.9, x)' },
  { name: 'limitk', query: 'limitk(2, x)', printed: 'limitk(2, x)' },
  { name: 'limit_ratio', query: 'limit_ratio(0.5, x)', printed: 'limit_ratio(0.5, x)' },
  { name: 'upper-case keywords', query: 'SUM BY (a) (X OFFSET 1m) AND ON() Y', printed: 'sum by (a) (X offset 1m) and on () Y' },
  { name: 'unary on vector', query: '-x', printed: '-x' },
  { name: 'label_replace', query: 'label_replace(up, "a", "$1", "b", "(.*)")', printed: 'label_replace(up, "a", "$1", "b", "(.*)")' },
  { name: 'variadic label_join', query: 'label_join(up, "a", ",", "b", "c", "d")', printed: 'label_join(up, "a", ",", "b", "c", "d")' },
  { name: 'optional arg omitted', query: 'round(x)', printed: 'round(x)' },
  { name: 'no-arg function', query: 'time()', printed: 'time()' },
  { name: 'comments', query: '# leading\nsum(x) # trailing', printed: 'sum(x)' },
  { name: 'duration arithmetic', query: 'foo[5m + 1m]', printed: 'foo[5m + 1m]' },
  { name: 'duration step()', query: 'foo[step() * 2:step()]', printed: 'foo[step() * 2:step()]' },
  { name: 'duration min/max', query: 'foo[max(1m, step())]', printed: 'foo[max(1m, step())]' },
  { name: 'offset duration expression', query: 'foo offset (1m + 30s)', printed: 'foo offset (1m + 30s)' },
  { name: 'offset binds tighter than ^', query: 'foo offset -2 ^ 2', printed: 'foo offset -2s ^ 2' },
  { name: 'anchored', query: 'increase(foo[5m] anchored)', printed: 'increase(foo[5m] anchored)' },
  { name: 'smoothed', query: 'rate(foo[5m] smoothed)', printed: 'rate(foo[5m] smoothed)' },
  { name: 'info', query: 'info(up, {k8s_cluster_name=~".+"})', printed: 'info(up, {k8s_cluster_name=~".+"})' },
];

describe('parseExpr round trips', () => {
  it.each(roundTrips)('$name', ({ query, printed }) => {
    const e = parseExpr(query, ALL);
    expect(exprToString(e)).toBe(printed);
    expect(exprToString(parseExpr(printed, ALL))).toBe(printed);
  });
});

describe('parseExpr tree shape', () => {
  it('places the implicit name matcher last and covers the whole selector', () => {
    const e = parseExpr('foo{a="b"}') as VectorSelector;
    expect(e.type).toBe('VectorSelector');
    expect(e.matchers.map((m) => m.toString())).toEqual(['a="b"', '__name__="foo"']);
    expect(e.pos).toEqual({ start: 0, end: 10 });
  });

  it('records offsets and @ in ms, with positions extended over the modifiers', () => {
    const e = parseExpr('foo[5m] offset 1m @ 10.5') as MatrixSelector;
    expect(e.range).toBe(300_000);
    expect(e.vectorSelector.offset).toBe(60_000);
    expect(e.vectorSelector.timestamp).toBe(10_500);
    expect(e.pos).toEqual({ start: 0, end: 24 });
  });

  it('keeps duration expressions for the engine to evaluate', () => {
    const e = parseExpr('foo[5m:step()] offset step()', ALL) as SubqueryExpr;
    expect(e.range).toBe(300_000);
    expect(e.step).toBe(0);
    expect(e.stepExpr?.op).toBe('step');
    expect(e.offsetExpr?.op).toBe('step');
  });

  it('makes ^ right-associative and unary minus bind looser than ^', () => {
    const e = parseExpr('-a ^ b ^ c');
    expect(e.type).toBe('UnaryExpr');
    const pow = (e as { expr: Expr }).expr as BinaryExpr;
    expect(pow.op).toBe('^');
    expect(pow.lhs.type).toBe('VectorSelector');
    expect((pow.rhs as BinaryExpr).op).toBe('^');
  });

  it('sets many-to-many matching for set operators and none for scalar operands', () => {
    expect((parseExpr('a and b') as BinaryExpr).vectorMatching?.card).toBe('many-to-many');
    expect((parseExpr('a + on(x) group_left(y) b') as BinaryExpr).vectorMatching).toEqual({
      card: 'many-to-one', matchingLabels: ['x'], on: true, include: ['y'],
    });
    expect((parseExpr('a + 1') as BinaryExpr).vectorMatching).toBeUndefined();
  });

  it('resolves functions to their table entry and positions calls', () => {
    const e = parseExpr('histogram_quantile(0.9, rate(x[5m]))') as Call;
    expect(e.func.name).toBe('histogram_quantile');
    expect(e.func.returnType).toBe('vector');
    expect(e.pos).toEqual({ start: 0, end: 36 });
    expect((e.args[1] as Call).pos).toEqual({ start: 24, end: 35 });
  });

  it('folds a sign into a number literal, starting at the sign', () => {
    expect(parseExpr('  -5')).toMatchObject({ type: 'NumberLiteral', value: -5, pos: { start: 2, end: 4 } });
  });
});
