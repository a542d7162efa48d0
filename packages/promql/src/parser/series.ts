import { type FloatHistogram, Labels, METRIC_NAME_LABEL } from '@pyrometer/model';
import { convertNumber, unquote } from './literals.js';
import type { Token } from './tokens.js';
import { isMetricNameToken } from './selectors.js';
import { scanHistogramItem } from './series-histogram.js';
import { defaultParserOptions, tokenRange, TokenStream } from './stream.js';

/**
 * One point of a series description: a float `value`, a native `histogram` (value 0), a stale
 * marker (`stale`, value NaN), or an omitted step (`_`, value 0). Histograms may be shared
 * between points (`{{…}}x3`): treat them as read-only.
 */
export interface SequenceValue {
  readonly value: number;
  readonly stale: boolean;
  readonly omitted: boolean;
  readonly histogram?: FloatHistogram;
  /** True when the histogram's `counter_reset_hint` was written out (tests compare the hint only then). */
  readonly counterResetHintSet?: boolean;
}

/** A parsed series description: the series labels and one entry per step. */
export interface SeriesDescription {
  readonly labels: Labels;
  readonly values: SequenceValue[];
}

/**
 * Parses the series notation of promqltest `load` blocks and rule unit tests:
 * `metric{l="v"} 1 2+3x4 _ _x3 stale -1-1x2`. `a+bxN` expands to N+1 values starting at a, `_xN`
 * to N omitted steps; native histograms are written `{{…}}` (see series-histogram.ts) with the same
 * `xN`, `+`/`-` expansions. Throws ParseError for anything malformed.
 */
export function parseSeriesDescription(input: string): SeriesDescription {
  const s = new TokenStream(input, defaultParserOptions(), true);
  const labels = parseMetric(s);
  const values: SequenceValue[] = [];
  for (;;) {
    const t = s.peek();
    if (t.kind === 'EOF') return { labels, values };
    if (t.kind !== 'SPACE') s.unexpected('series values', '');
    s.next();
    const k = s.peek().kind;
    if (k === 'EOF' || k === 'SPACE') continue;
    parseItem(s, values);
  }
}

/** Parses `name`, `name{…}` or `{…}` (label values with `=` only) into labels. */
export function parseMetric(s: TokenStream): Labels {
  const pairs: [string, string][] = [];
  const first = s.peek();
  if (isMetricNameToken(first.kind)) pairs.push([METRIC_NAME_LABEL, s.next().text]);
  if (s.accept('{') !== undefined) {
    for (;;) {
      const t = s.peek();
      if (t.kind === '}') break;
      if (t.kind !== 'IDENTIFIER' && t.kind !== 'STRING') s.unexpected('label set', 'identifier or "}"');
      s.next();
      const name = t.kind === 'STRING' ? unquote(t.text) : t.text;
      if (s.peek().kind === '=') {
        s.next();
        pairs.push([name, unquote(s.expect('STRING', 'label set', 'string').text)]);
      } else if (t.kind === 'STRING') {
        pairs.push([METRIC_NAME_LABEL, name]);
      } else {
        s.unexpected('label set', '"="');
      }
      if (s.accept(',') === undefined && s.peek().kind !== '}') s.unexpected('label set', '"," or "}"');
    }
    s.next();
  }
  return Labels.from(pairs);
}

function parseItem(s: TokenStream, out: SequenceValue[]): void {
  const t = s.peek();
  if (t.kind === 'OPEN_HIST') {
    const { values, hintSet, end } = scanHistogramItem(s.input, t.pos, (pos, reason) => s.fail(pos, reason));
    for (const histogram of values) out.push({ value: 0, stale: false, omitted: false, histogram, counterResetHintSet: hintSet });
    s.resumeValuesAt(end);
    return;
  }
  if (t.kind === 'BLANK') {
    s.next();
    const n = s.accept('TIMES') !== undefined ? repetitions(s) : 1;
    for (let i = 0; i < n; i++) out.push({ value: 0, stale: false, omitted: true });
    return;
  }
  if (t.kind === 'IDENTIFIER') {
    if (t.text !== 'stale') s.unexpected('series values', 'number or "stale"');
    s.next();
    out.push({ value: NaN, stale: true, omitted: false });
    return;
  }
  const start = signedNumber(s);
  const next = s.peek().kind;
  if (next === 'TIMES') {
    s.next();
    const n = repetitions(s);
    for (let i = 0; i <= n; i++) out.push({ value: start, stale: false, omitted: false });
    return;
  }
  if (next === '+' || next === '-') {
    const delta = signedNumber(s);
    s.expect('TIMES', 'series values', '"x"');
    const n = repetitions(s);
    let v = start;
    for (let i = 0; i <= n; i++) {
      out.push({ value: v, stale: false, omitted: false });
      v += delta;
    }
    return;
  }
  out.push({ value: start, stale: false, omitted: false });
}

function signedNumber(s: TokenStream): number {
  const sign = s.peek().kind === '+' || s.peek().kind === '-' ? s.next() : undefined;
  const t = s.peek();
  if (t.kind !== 'NUMBER') s.unexpected('series values', sign === undefined ? 'number or "stale"' : 'number');
  s.next();
  const v = number(s, t);
  return sign?.kind === '-' ? -v : v;
}

function number(s: TokenStream, t: Token): number {
  const n = convertNumber(t.text);
  if (!n.ok) s.fail(tokenRange(t, s.input), n.error);
  return n.value;
}

function repetitions(s: TokenStream): number {
  const t = s.expect('NUMBER', 'series values', 'number of repetitions');
  if (!/^\d+$/.test(t.text)) s.fail(tokenRange(t, s.input), `invalid repetition in series values: strconv.ParseUint: parsing ${JSON.stringify(t.text)}: invalid syntax`);
  return Number(t.text);
}
