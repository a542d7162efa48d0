import { describe, expect, it } from 'vitest';
import { ParseError, positionString } from './errors.js';
import { parseExpr } from './parser.js';
import type { ParserOptions } from './stream.js';

interface Case {
  name: string;
  query: string;
  start: number;
  end: number;
  reason: string;
  code?: string;
  options?: Partial<ParserOptions>;
}

const DURATION_EXPR: Partial<ParserOptions> = { enableExperimentalDurationExpr: true };

// Exact reason and range for each bad query (upstream's wording and positions).
const cases: Case[] = [
  // Lexing.
  { name: 'empty', query: '', start: 0, end: 0, reason: 'no expression found in input' },
  { name: 'only a comment', query: '# nothing\n', start: 0, end: 0, reason: 'no expression found in input' },
  { name: 'stray dot', query: '.', start: 0, end: 1, reason: "unexpected character: '.'" },
  { name: 'two dots', query: '1.2.3', start: 0, end: 5, reason: 'bad number or duration syntax: "1.2."' },
  { name: 'letters after digits', query: '0xyz', start: 0, end: 4, reason: 'bad number or duration syntax: "0xyz"' },
  { name: 'unclosed paren', query: 'sum(rate(x[5m])', start: 15, end: 15, reason: 'unclosed left parenthesis' },
  { name: 'extra paren', query: '(1))', start: 4, end: 4, reason: "unexpected right parenthesis ')'" },
  { name: 'unclosed brace', query: 'up{job="a"', start: 10, end: 10, reason: 'unexpected end of input inside braces' },
  { name: 'regex op outside braces', query: 'a =~ b', start: 2, end: 6, reason: "unexpected character after '=': '~'" },
  { name: 'bang outside braces', query: 'a ! b', start: 2, end: 5, reason: "unexpected character after '!': ' '" },
  { name: 'bad char in braces', query: 'up{a>"b"}', start: 4, end: 9, reason: "unexpected character inside braces: '>'" },
  { name: 'unterminated string', query: 'up{a="b}', start: 5, end: 8, reason: 'unterminated quoted string' },
  { name: 'newline in string', query: '"a\nb"', start: 0, end: 5, reason: 'unterminated quoted string' },
  { name: 'unterminated raw string', query: 'x + `abc', start: 4, end: 8, reason: 'unterminated raw string' },
  { name: 'unknown escape', query: '"\\q"', start: 0, end: 4, reason: "unknown escape sequence U+0071 'q'" },
  { name: 'bad hex escape', query: '"\\xZZ"', start: 0, end: 6, reason: "illegal character U+005A 'Z' in escape sequence" },
  { name: 'surrogate escape', query: '"\\ud800"', start: 0, end: 8, reason: 'escape sequence is an invalid Unicode code point' },
  { name: 'duration unit order', query: 'x[5m1h]', start: 2, end: 6, reason: 'not a valid duration string: "5m1h"' },
  { name: 'duration unknown unit', query: 'x[1hs]', start: 2, end: 5, reason: 'unknown unit "hs" in duration "1hs"' },
  { name: 'junk in range', query: 'x[5m y]', start: 5, end: 7, reason: "unexpected character: 'y', expected ':'" },
  { name: 'string in range', query: 'x["5m"]', start: 2, end: 7, reason: "unexpected character in duration expression: '\"'" },
  { name: 'unclosed bracket', query: 'x[', start: 2, end: 2, reason: 'unexpected end of input in duration expression' },
  // Grammar.
  { name: 'dangling operator', query: 'a +', start: 3, end: 3, reason: 'unexpected end of input' },
  { name: 'leading operator', query: '* a', start: 0, end: 1, reason: 'unexpected <op:*>' },
  { name: 'two selectors', query: 'a b', start: 2, end: 3, reason: 'unexpected identifier "b"' },
  { name: 'label without operator', query: 'up{job}', start: 6, end: 7, reason: 'unexpected "}" in label matching, expected label matching operator' },
  { name: 'label value not a string', query: 'up{job=a}', start: 7, end: 8, reason: 'unexpected identifier "a" in label matching, expected string' },
  { name: 'missing comma between matchers', query: 'up{a="1" b="2"}', start: 9, end: 10, reason: 'unexpected identifier "b" in label matching, expected "," or "}"' },
  { name: 'leading comma in braces', query: 'up{,}', start: 3, end: 4, reason: 'unexpected "," in label matching, expected identifier or "}"' },
  { name: 'bad regex', query: 'up{a=~"("}', start: 3, end: 9, reason: 'error parsing regexp: missing closing ): `^(?s:()$`' },
  { name: 'regex over the length limit', query: 'up{a!~"a.b.c"}', start: 3, end: 13, reason: 'regular expression of 5 characters exceeds the limit of 4', options: { maxRegexLength: 4 } },
  { name: 'grouping without parens', query: 'sum(x) by job', start: 10, end: 13, reason: 'unexpected identifier "job" in grouping opts, expected "("' },
  { name: 'grouping with operator', query: 'sum by (+) (x)', start: 8, end: 9, reason: 'unexpected <op:+> in grouping opts, expected label' },
  { name: 'grouping missing comma', query: 'sum by (a b) (x)', start: 10, end: 11, reason: 'unexpected identifier "b" in grouping opts, expected "," or ")"' },
  { name: 'empty quoted grouping label', query: 'sum by ("") (x)', start: 8, end: 10, reason: 'invalid label name for grouping: ""' },
  { name: 'two groupings', query: 'sum by (a) (x) without (b)', start: 15, end: 22, reason: 'unexpected <without>' },
  { name: 'group_left without on', query: 'a + group_left b', start: 4, end: 14, reason: 'unexpected <group_left>' },
  { name: 'trailing comma in call', query: 'rate(x[5m],)', start: 10, end: 11, reason: 'trailing commas not allowed in function call args' },
  { name: 'empty range', query: 'x[]', start: 2, end: 3, reason: 'unexpected "]" in subquery or range selector, expected number, duration, or step()' },
  { name: 'zero range', query: 'x[0s]', start: 2, end: 4, reason: 'duration must be greater than 0' },
  { name: 'negative range', query: 'x[-5m]', start: 2, end: 5, reason: 'duration must be greater than 0' },
  { name: 'range on expression', query: 'rate(x[5m])[5m]', start: 11, end: 15, reason: 'ranges only allowed for vector selectors' },
  { name: 'offset before range', query: 'x offset 1m [5m]', start: 12, end: 16, reason: 'no offset modifiers allowed before range' },
  { name: '@ before range', query: 'x @ 100 [5m]', start: 8, end: 12, reason: 'no @ modifiers allowed before range' },
  { name: 'offset on call', query: 'rate(x[5m]) offset 1m', start: 0, end: 11, reason: 'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery' },
  { name: 'double offset', query: 'x offset 1m offset 2m', start: 0, end: 11, reason: 'offset may not be set multiple times' },
  { name: 'offset without duration', query: 'x offset', start: 8, end: 8, reason: 'unexpected end of input in offset, expected number, duration, or step()' },
  { name: '@ without timestamp', query: 'x @ foo', start: 4, end: 7, reason: 'unexpected identifier "foo" in @, expected timestamp' },
  { name: '@ on literal', query: '1 @ 100', start: 0, end: 1, reason: '@ modifier must be preceded by an instant vector selector or range vector selector or a subquery' },
  { name: 'double @', query: 'x @ 1 @ 2', start: 0, end: 5, reason: '@ <timestamp> may not be set multiple times' },
  { name: '@ infinite', query: 'x @ Inf', start: 0, end: 1, reason: 'timestamp out of bounds for @ modifier: +Inf' },
  { name: 'start() alone', query: 'start()', start: 5, end: 6, reason: 'unexpected "("' },
  { name: 'subquery bad step', query: 'x[5m:y]', start: 5, end: 7, reason: "unexpected character: 'y', expected ':'" },
  { name: 'no aggregation args', query: 'sum()', start: 0, end: 5, reason: 'no arguments for aggregate expression provided' },
  { name: 'topk one arg', query: 'topk(x)', start: 0, end: 7, reason: 'wrong number of arguments for aggregate expression provided, expected 2, got 1' },
  { name: 'sum two args', query: 'sum(1, x)', start: 0, end: 9, reason: 'wrong number of arguments for aggregate expression provided, expected 1, got 2' },
  { name: 'unknown function', query: 'foo_bar(x)', start: 0, end: 7, reason: 'unknown function with name "foo_bar"' },
  { name: 'experimental function off', query: 'sort_by_label(x, "a")', start: 0, end: 13, reason: 'function "sort_by_label" is not enabled', code: 'experimental' },
  { name: 'experimental aggregation off', query: 'limitk(1, x)', start: 0, end: 12, reason: 'limitk() is experimental and must be enabled with --enable-feature=promql-experimental-functions', code: 'experimental' },
  { name: 'duration arithmetic off', query: 'x[1m+1m]', start: 2, end: 4, reason: 'experimental duration expression is not enabled', code: 'experimental' },
  { name: 'anchored off', query: 'x[1m] anchored', start: 0, end: 5, reason: 'anchored modifier is experimental and not enabled', code: 'experimental' },
  { name: 'division by zero in range', query: 'x[1m/0]', start: 4, end: 5, reason: 'division by zero', options: DURATION_EXPR },
  { name: 'duration out of range', query: 'x offset 1e10', start: 9, end: 13, reason: 'duration out of range' },
  // Type checking.
  { name: 'instant vector to rate', query: 'rate(x)', start: 5, end: 6, reason: 'expected type range vector in call to function "rate", got instant vector', code: 'type' },
  { name: 'scalar to abs', query: 'abs(1)', start: 4, end: 5, reason: 'expected type instant vector in call to function "abs", got scalar', code: 'type' },
  { name: 'too many args', query: 'abs(x, y)', start: 0, end: 9, reason: 'expected 1 argument(s) in call to "abs", got 2', code: 'type' },
  { name: 'too few args', query: 'clamp(x, 1)', start: 0, end: 11, reason: 'expected 3 argument(s) in call to "clamp", got 2', code: 'type' },
  { name: 'too many optional args', query: 'round(x, 1, 2)', start: 0, end: 14, reason: 'expected at most 2 argument(s) in call to "round", got 3', code: 'type' },
  { name: 'too few variadic args', query: 'label_join(x, "a")', start: 0, end: 18, reason: 'expected at least 3 argument(s) in call to "label_join", got 2', code: 'type' },
  { name: 'range in binary', query: 'x[5m] + 1', start: 0, end: 5, reason: 'binary expression must contain only scalar and instant vector types', code: 'type' },
  { name: 'string in binary', query: '1 + "a"', start: 4, end: 7, reason: 'binary expression must contain only scalar and instant vector types', code: 'type' },
  { name: 'matching with scalar', query: 'x + on(a) 1', start: 0, end: 11, reason: 'vector matching only allowed between instant vectors', code: 'type' },
  { name: 'set op on scalars', query: '1 and x', start: 0, end: 7, reason: 'set operator "and" not allowed in binary scalar expression', code: 'type' },
  { name: 'grouping on set op', query: 'a or on(x) group_left b', start: 0, end: 23, reason: 'no grouping allowed for "or" operation', code: 'type' },
  { name: 'scalar comparison without bool', query: '1 == 2', start: 2, end: 3, reason: 'comparisons between scalars must use BOOL modifier', code: 'type' },
  { name: 'bool on arithmetic', query: 'a + bool b', start: 2, end: 7, reason: 'bool modifier can only be used on comparison operators', code: 'type' },
  { name: 'label in on and group', query: 'a * on(x) group_left(x) b', start: 2, end: 22, reason: 'label "x" must not occur in ON and GROUP clause at once', code: 'type' },
  { name: 'unary on string', query: '-"a"', start: 0, end: 4, reason: 'unary expression only allowed on expressions of type scalar or instant vector, got "string"', code: 'type' },
  { name: 'subquery of range', query: 'x[5m][10m:]', start: 0, end: 11, reason: 'subquery is only allowed on instant vector, got matrix instead', code: 'type' },
  { name: 'topk parameter type', query: 'topk(x, y)', start: 5, end: 6, reason: 'expected type scalar in aggregation parameter, got instant vector', code: 'type' },
  { name: 'count_values parameter type', query: 'count_values(1, y)', start: 13, end: 14, reason: 'expected type string in aggregation parameter, got scalar', code: 'type' },
  { name: 'aggregation of scalar', query: 'sum(1)', start: 4, end: 5, reason: 'expected type instant vector in aggregation expression, got scalar', code: 'type' },
  { name: 'empty selector', query: '{}', start: 0, end: 2, reason: 'vector selector must contain at least one non-empty matcher', code: 'type' },
  { name: 'only empty-matching matchers', query: '{a=~".*", b!="x"}', start: 0, end: 17, reason: 'vector selector must contain at least one non-empty matcher', code: 'type' },
  { name: 'name twice', query: 'foo{__name__="bar"}', start: 0, end: 19, reason: 'metric name must not be set twice: "foo" or "bar"', code: 'type' },
  { name: 'info with named selector', query: 'info(up, target_info)', start: 9, end: 20, reason: 'expected label selectors only, got vector selector instead', code: 'type', options: { enableExperimentalFunctions: true } },
];

describe('parse errors', () => {
  it.each(cases)('$name', ({ query, start, end, reason, code, options }) => {
    let caught: unknown;
    try {
      parseExpr(query, options);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ParseError);
    const e = caught as ParseError;
    expect({ reason: e.reason, start: e.pos.start, end: e.pos.end }).toEqual({ reason, start, end });
    if (code !== undefined) expect(e.code).toBe(code);
    expect(e.message).toBe(`${positionString(query, start)}: parse error: ${reason}`);
  });
});

describe('error message form', () => {
  it('prints line:col as the HTTP API shows it', () => {
    expect(() => parseExpr('sum(x) +')).toThrow('1:9: parse error: unexpected end of input');
    expect(() => parseExpr('sum(x)\n  + rate(y)')).toThrow('2:10: parse error: expected type range vector in call to function "rate", got instant vector');
  });

  it('names the unknown position for empty input', () => {
    expect(() => parseExpr('')).toThrow('unknown position: parse error: no expression found in input');
  });
});
