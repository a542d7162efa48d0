import { CounterResetHint, FloatHistogram, goQuote } from '@pyrometer/model';
import type { PositionRange } from './ast.js';
import { convertNumber } from './literals.js';

/** Throws the parse error of the series notation at `pos` (a ParseError from the caller's stream). */
export type Fail = (pos: PositionRange, reason: string) => never;

const HINTS: Readonly<Record<string, CounterResetHint>> = {
  unknown: CounterResetHint.Unknown,
  reset: CounterResetHint.CounterReset,
  not_reset: CounterResetHint.NotCounterReset,
  gauge: CounterResetHint.Gauge,
};

const KEYS = new Set(['schema', 'sum', 'count', 'z_bucket', 'z_bucket_w', 'custom_values', 'buckets', 'offset', 'n_buckets', 'n_offset', 'counter_reset_hint']);

const NUMBER = /^(?:[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN]|0[xX][0-9a-fA-F_]+|\d[\d_]*(?:\.[\d_]*)?(?:[eE][+-]?\d[\d_]*)?|\.\d[\d_]*(?:[eE][+-]?\d[\d_]*)?)/;

/**
 * A scanner for the native histogram values of a series description, from `{{` on:
 * `{{schema:1 sum:5 count:4 z_bucket:1 z_bucket_w:0.001 buckets:[1 2] offset:-1 n_buckets:[1]
 * n_offset:0 custom_values:[…] counter_reset_hint:gauge}}`, optionally followed by `xN`
 * (N+1 copies) or `+{{…}}xN` / `-{{…}}xN` (N+1 values, each the previous one plus or minus the
 * increment, as Prometheus's parser builds them). Every key is optional and defaults to zero.
 */
class HistogramScanner {
  constructor(
    private readonly input: string,
    public pos: number,
    private readonly fail: Fail,
  ) {}

  private error(reason: string, start = this.pos): never {
    this.fail({ start, end: Math.max(start + 1, this.pos) }, reason);
  }

  private peek(offset = 0): string {
    return this.input.charAt(this.pos + offset);
  }

  private skipSpaces(): boolean {
    const start = this.pos;
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
    return this.pos > start;
  }

  /** Whether the last literal read spelled out its counter_reset_hint. */
  hintSet = false;

  /** One `{{…}}` literal. */
  literal(): FloatHistogram {
    const start = this.pos;
    if (!this.input.startsWith('{{', this.pos)) this.error('unexpected character in series values, expected "{{"');
    this.pos += 2;
    const fields = new Map<string, unknown>();
    this.skipSpaces();
    while (!this.input.startsWith('}}', this.pos)) {
      if (this.pos >= this.input.length) this.error('unexpected end of input in histogram description, expected "}}"', start);
      const keyStart = this.pos;
      while (/[a-zA-Z_]/.test(this.peek())) this.pos++;
      const key = this.input.slice(keyStart, this.pos).toLowerCase();
      if (key === '') this.error(`histogram description incomplete unexpected: ${JSON.stringify(this.peek())}`);
      if (!KEYS.has(key)) this.error(`bad histogram descriptor found: ${goQuote(key)}`, keyStart);
      if (this.peek() !== ':') this.error('missing `:` for histogram descriptor');
      this.pos++;
      if (fields.has(key)) this.error(`duplicate key ${goQuote(key)} in histogram`, keyStart);
      fields.set(key, this.value(key));
      if (!this.skipSpaces() && !this.input.startsWith('}}', this.pos) && this.pos < this.input.length) {
        this.error('unexpected character in histogram description, expected histogram description key, e.g. buckets:[5 10 7]');
      }
    }
    this.pos += 2;
    this.hintSet = fields.has('counter_reset_hint');
    return build(fields);
  }

  private value(key: string): unknown {
    switch (key) {
      case 'schema':
      case 'offset':
      case 'n_offset':
        return this.integer();
      case 'z_bucket_w':
        return this.number(false);
      case 'sum':
      case 'count':
      case 'z_bucket':
        return this.number(true);
      case 'counter_reset_hint': {
        const start = this.pos;
        while (/[a-z_]/.test(this.peek())) this.pos++;
        const hint = HINTS[this.input.slice(start, this.pos)];
        if (hint === undefined) this.error(`bad counter_reset_hint: ${goQuote(this.input.slice(start, this.pos))}`, start);
        return hint;
      }
      default:
        return this.bucketList();
    }
  }

  private integer(): number {
    const start = this.pos;
    if (this.peek() === '-') this.pos++;
    const digits = this.pos;
    while (/\d/.test(this.peek())) this.pos++;
    if (this.pos === digits) this.error('expected an integer in histogram description', start);
    return Number(this.input.slice(start, this.pos));
  }

  private number(signed: boolean): number {
    const start = this.pos;
    let sign = 1;
    if (signed && (this.peek() === '+' || this.peek() === '-')) sign = this.input.charAt(this.pos++) === '-' ? -1 : 1;
    const m = NUMBER.exec(this.input.slice(this.pos));
    if (m === null || m[0] === '') this.error('expected a number in histogram description', start);
    this.pos += m[0].length;
    const n = convertNumber(m[0]);
    if (!n.ok) this.error(n.error, start);
    return sign * n.value;
  }

  private bucketList(): number[] {
    if (this.peek() !== '[') this.error('expected "[" in histogram description');
    this.pos++;
    const out: number[] = [];
    for (;;) {
      this.skipSpaces();
      if (this.peek() === ']') {
        this.pos++;
        return out;
      }
      if (this.pos >= this.input.length) this.error('unexpected end of input in buckets description');
      if (!/[-+\d.iInN]/.test(this.peek())) this.error(`invalid character in buckets description: ${JSON.stringify(this.peek())}`);
      out.push(this.number(true));
    }
  }

  /** The digits of a repetition count after `x`. */
  repetitions(): number {
    const start = this.pos;
    while (/\d/.test(this.peek())) this.pos++;
    if (this.pos === start) this.error('expected the number of repetitions after "x"');
    return Number(this.input.slice(start, this.pos));
  }

  /** A whole series item starting with a histogram: the values it expands to. */
  item(): FloatHistogram[] {
    const base = this.literal();
    const baseHintSet = this.hintSet;
    const next = this.peek();
    if (next === 'x') {
      this.pos++;
      const n = this.repetitions();
      return Array.from({ length: n + 1 }, () => base);
    }
    if (next !== '+' && next !== '-') return [base];
    this.pos++;
    const inc = this.literal();
    if (this.peek() !== 'x') this.error('expected "x" and the number of repetitions after a histogram increment');
    this.pos++;
    const n = this.repetitions();
    const out = [base];
    let cur = base;
    for (let i = 1; i <= n; i++) {
      if (cur.schema > inc.schema) this.error(`error combining histograms: cannot merge from schema ${inc.schema} to ${cur.schema}`);
      cur = cur.copy();
      try {
        if (next === '+') cur.add(inc);
        else cur.sub(inc);
      } catch (err) {
        this.error(`error combining histograms: ${err instanceof Error ? err.message : String(err)}`);
      }
      out.push(cur);
    }
    this.hintSet = baseHintSet;
    return out;
  }
}

function build(fields: ReadonlyMap<string, unknown>): FloatHistogram {
  const num = (k: string): number => (fields.get(k) as number | undefined) ?? 0;
  const side = (bucketsKey: string, offsetKey: string): { spans: { offset: number; length: number }[]; buckets: number[] } => {
    const buckets = (fields.get(bucketsKey) as number[] | undefined) ?? [];
    return { spans: buckets.length > 0 ? [{ offset: num(offsetKey), length: buckets.length }] : [], buckets };
  };
  const pos = side('buckets', 'offset');
  const neg = side('n_buckets', 'n_offset');
  return new FloatHistogram({
    schema: num('schema'),
    sum: num('sum'),
    count: num('count'),
    zeroCount: num('z_bucket'),
    zeroThreshold: num('z_bucket_w'),
    customValues: fields.get('custom_values') as number[] | undefined,
    counterResetHint: (fields.get('counter_reset_hint') as CounterResetHint | undefined) ?? CounterResetHint.Unknown,
    positiveSpans: pos.spans,
    positiveBuckets: pos.buckets,
    negativeSpans: neg.spans,
    negativeBuckets: neg.buckets,
  });
}

/**
 * Scans the histogram series item that starts at `pos` (at `{{`); returns its values, whether
 * its first literal spelled out a counter_reset_hint, and the offset just after it. Malformed input is reported through `fail`.
 */
export function scanHistogramItem(input: string, pos: number, fail: Fail): { values: FloatHistogram[]; hintSet: boolean; end: number } {
  const s = new HistogramScanner(input, pos, fail);
  const values = s.item();
  return { values, hintSet: s.hintSet, end: s.pos };
}
