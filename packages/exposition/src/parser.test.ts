import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { ExpositionError } from './exposition-error.js';
import { EntryType, ExpositionParser } from './parser.js';

interface Sample {
  series: string;
  labels: string;
  value: number;
  ts: number | undefined;
  family: string;
  type: string;
  suffix: string;
}

function samples(body: string | Uint8Array, format: 'text' | 'openmetrics' = 'text'): Sample[] {
  const p = new ExpositionParser(body, format);
  const out: Sample[] = [];
  for (let e = p.next(); e !== null; e = p.next()) {
    if (e !== EntryType.Series) continue;
    out.push({ series: p.seriesText(), labels: p.labels().toString(), value: p.value(), ts: p.timestampMs(), family: p.familyName(), type: p.familyType(), suffix: p.suffix() });
  }
  return out;
}

function errorOf(body: string, format: 'text' | 'openmetrics' = 'text'): ExpositionError {
  try {
    samples(body, format);
  } catch (err) {
    if (err instanceof ExpositionError) return err;
    throw err;
  }
  throw new Error('expected a parse error');
}

describe('text format', () => {
  it.each([
    { name: 'plain sample', body: 'up 1\n', labels: '{__name__="up"}', value: 1 },
    { name: 'labels with blanks and tabs', body: ' up { a = "1" ,\tb="2" } \t 3  \n', labels: '{__name__="up", a="1", b="2"}', value: 3 },
    { name: 'Flink trailing comma', body: 'm{host="h",tm_id="t",} 0.0213\n', labels: '{__name__="m", host="h", tm_id="t"}', value: 0.0213 },
    { name: 'Java exponent form', body: 'm 1.2345E9\n', labels: '{__name__="m"}', value: 1.2345e9 },
    { name: 'Java small exponent', body: 'm 1.0E-4\n', labels: '{__name__="m"}', value: 1e-4 },
    { name: 'escapes in label values', body: 'm{a="x\\\\y\\"z\\nw"} 1\n', labels: '{__name__="m", a="x\\\\y\\"z\\nw"}', value: 1 },
    { name: 'unknown escape kept literally', body: 'm{a="x\\ty"} 1\n', labels: '{__name__="m", a="x\\\\ty"}', value: 1 },
    { name: 'empty label value dropped', body: 'm{a="",b="1"} 1\n', labels: '{__name__="m", b="1"}', value: 1 },
    { name: 'quoted UTF-8 name', body: '{"my.metric","label.x"="v"} 2\n', labels: '{__name__="my.metric", "label.x"="v"}', value: 2 },
    { name: '+Inf', body: 'm +Inf\n', labels: '{__name__="m"}', value: Infinity },
    { name: 'lower-case inf', body: 'm -inf\n', labels: '{__name__="m"}', value: -Infinity },
    { name: 'NaN', body: 'm NaN\n', labels: '{__name__="m"}', value: NaN },
    { name: 'no final newline', body: 'm 4', labels: '{__name__="m"}', value: 4 },
    { name: 'no blank after the label set (as expfmt)', body: 'm{a="b"}6\n', labels: '{__name__="m", a="b"}', value: 6 },
    { name: 'CR-free blank lines', body: '\n\n  \nm 5\n\n', labels: '{__name__="m"}', value: 5 },
  ])('$name', ({ body, labels, value }) => {
    const [s] = samples(body);
    expect(s?.labels).toBe(labels);
    expect(s?.value).toBe(value);
  });

  it('reports the raw series text for caching, and the timestamp in ms', () => {
    const [s] = samples('m{b="2", a="1",} 7 1700000000123\n');
    expect(s).toMatchObject({ series: 'm{b="2", a="1",}', ts: 1700000000123 });
  });

  it('assigns histogram and summary parts to their family and normalises le and quantile', () => {
    const body = ['# TYPE h histogram', 'h_bucket{le="1"} 1', 'h_bucket{le="+Inf"} 2', 'h_sum 3', 'h_count 2', '# TYPE s summary', 's_count 60.0', 's{quantile="0.5"} 1', 's{quantile="1"} 2', 'other 1', ''].join('\n');
    expect(samples(body).map((s) => [s.labels, s.family, s.type, s.suffix])).toEqual([
      ['{__name__="h_bucket", le="1.0"}', 'h', 'histogram', '_bucket'],
      ['{__name__="h_bucket", le="+Inf"}', 'h', 'histogram', '_bucket'],
      ['{__name__="h_sum"}', 'h', 'histogram', '_sum'],
      ['{__name__="h_count"}', 'h', 'histogram', '_count'],
      ['{__name__="s_count"}', 's', 'summary', '_count'],
      ['{__name__="s", quantile="0.5"}', 's', 'summary', ''],
      ['{__name__="s", quantile="1.0"}', 's', 'summary', ''],
      ['{__name__="other"}', 'other', 'untyped', ''],
    ]);
  });

  it('returns HELP, TYPE and comment entries', () => {
    const p = new ExpositionParser('# HELP m Some \\\\ help\\n here\n# TYPE m counter\n# just a comment\nm 1\n');
    expect(p.next()).toBe('help');
    expect([p.metadataName(), p.help()]).toEqual(['m', 'Some \\ help\n here']);
    expect(p.next()).toBe('type');
    expect(p.type()).toBe('counter');
    expect(p.next()).toBe('comment');
    expect(p.comment()).toBe('# just a comment');
    expect(p.next()).toBe('series');
    expect(p.next()).toBeNull();
  });

  it.each([
    { name: 'missing label name', body: 'm{=', message: '1:3: expected label name, got "="' },
    { name: 'bad label name', body: 'up 1\nm{1a="x"} 1\n', message: '2:3: expected label name, got "1a"' },
    { name: 'missing equals', body: 'm{a "x"} 1\n', message: '1:5: expected "=" after label name, got "\\""' },
    { name: 'unquoted label value', body: 'm{a=x} 1\n', message: '1:5: expected quoted label value, got "x"' },
    { name: 'unterminated value', body: 'm{a="x', message: '1:7: expected closing \'"\' of label value, got end of input' },
    { name: 'newline in label value', body: 'm{a="x\n"} 1\n', message: '1:7: label value contains an unescaped new-line' },
    { name: 'hex float', body: 'm 0x1p3\n', message: '1:3: expected float value, got "0x1p3"' },
    { name: 'underscore in number', body: 'm 1_000\n', message: '1:3: expected float value, got "1_000"' },
    { name: 'P exponent', body: 'm 1P3\n', message: '1:3: expected float value, got "1P3"' },
    { name: 'signed nan', body: 'm +NaN\n', message: '1:3: expected float value, got "+NaN"' },
    { name: 'out of range', body: 'm 1e400\n', message: '1:3: expected float value, got "1e400"' },
    { name: 'missing value', body: 'm\n', message: '1:2: expected value after the metric, got end of line' },
    { name: 'float timestamp', body: 'm 1 1.5\n', message: '1:5: expected integer timestamp in ms, got "1.5"' },
    { name: 'junk after timestamp', body: 'm 1 2 3\n', message: '1:7: expected end of line, got "3"' },
    { name: 'invalid type', body: '# TYPE m gaugehistogram\n', message: '1:10: invalid metric type "gaugehistogram"' },
    { name: 'invalid UTF-8', body: 'm{a="\xff"} 1\n', message: '1:6: invalid UTF-8 in the exposition' },
  ])('rejects $name', ({ body, message }) => {
    const bytes = Buffer.from(body, body.includes('\xff') ? 'latin1' : 'utf8');
    let err: unknown;
    try {
      samples(bytes);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ExpositionError);
    expect((err as ExpositionError).message).toBe(message);
    expect((err as ExpositionError).code).toBe('syntax');
  });

  it('rejects duplicate label names when labels are built', () => {
    expect(errorOf('m{a="1",a="2"} 1\n').message).toBe('1:1: label name "a" is not unique');
  });
});

describe('OpenMetrics', () => {
  it('reads float-second timestamps as ms, exemplars, counters and UNIT', () => {
    const body = ['# TYPE c counter', '# UNIT c_seconds seconds', '# HELP c A "quoted" help', 'c_total{a="b"} 3 1.5 # {trace_id="x"} 1.0 2.25', 'c_created{a="b"} 1.7e9', '# EOF', ''].join('\n');
    const p = new ExpositionParser(body, 'openmetrics');
    const seen: string[] = [];
    for (let e = p.next(); e !== null; e = p.next()) {
      seen.push(e);
      if (e === 'unit') expect(p.unit()).toBe('seconds');
      if (e === 'help') expect(p.help()).toBe('A "quoted" help');
      if (e === 'series' && p.suffix() === '_total') {
        expect([p.familyName(), p.familyType(), p.value(), p.timestampMs()]).toEqual(['c', 'counter', 3, 1500]);
        const ex = p.exemplar();
        expect([ex?.labels.toString(), ex?.value, ex?.timestampMs]).toEqual(['{trace_id="x"}', 1, 2250]);
      }
    }
    expect(seen).toEqual(['type', 'unit', 'help', 'series', 'series', 'eof']);
  });

  it.each([
    { name: 'missing EOF', body: 'm 1\n', message: '2:1: data does not end with # EOF' },
    { name: 'data after EOF', body: '# EOF\nm 1\n', message: '2:1: unexpected data after # EOF' },
    { name: 'two spaces', body: 'm  1\n# EOF\n', message: '1:3: expected float value, got " "' },
    { name: 'blank line', body: 'm 1\n\n# EOF\n', message: '2:1: expected a sample or a "#" line (OpenMetrics has no blank lines), got end of line' },
    { name: 'free comment', body: '# hello\n# EOF\n', message: '1:3: expected HELP, TYPE, UNIT or EOF, got "hello"' },
    { name: 'unit not a suffix', body: '# UNIT m seconds\n# EOF\n', message: '1:10: unit "seconds" is not a suffix of metric "m"' },
    { name: 'NaN timestamp', body: 'm 1 NaN\n# EOF\n', message: '1:5: invalid timestamp NaN' },
    { name: 'trailing comma', body: 'm{a="1",} 1\n# EOF\n', message: '1:9: expected label name after ",", got "}"' },
  ])('rejects $name', ({ body, message }) => {
    const err = errorOf(body, 'openmetrics');
    expect(err.message).toBe(message);
  });
});

describe('conformance files', () => {
  const dir = conformanceDir('exposition');
  const files = readdirSync(dir).sort();

  it('has the upstream test data', () => {
    expect(files).toEqual(['1histogram.om.txt', 'alltypes.237mfs.nometa.prom.txt', 'alltypes.237mfs.prom.txt', 'alltypes.5mfs.om.txt']);
  });

  it.each(files.map((name) => ({ name })))('parses $name', ({ name }) => {
    const format = name.includes('.om.') ? 'openmetrics' : 'text';
    const all = samples(readFileSync(join(dir, name)), format);
    const expected: Record<string, number> = { '1histogram.om.txt': 42, 'alltypes.5mfs.om.txt': 53, 'alltypes.237mfs.prom.txt': 1857, 'alltypes.237mfs.nometa.prom.txt': 1857 };
    expect(all.length).toBe(expected[name]);
  });

  it('spot-checks values in alltypes.237mfs.prom.txt', () => {
    const all = samples(readFileSync(join(dir, 'alltypes.237mfs.prom.txt')));
    const find = (labels: string) => all.find((s) => s.labels === labels);
    expect(find('{__name__="go_gc_duration_seconds", quantile="0.25"}')).toMatchObject({ value: 0.00010188, family: 'go_gc_duration_seconds', type: 'summary' });
    expect(find('{__name__="go_gc_heap_allocs_by_size_bytes_bucket", le="8.999999999999998"}')?.value).toBe(2.279966416e9);
    expect(find('{__name__="go_gc_gomemlimit_bytes"}')?.value).toBe(9.03676723e8);
  });

  it('spot-checks exemplars and created lines in alltypes.5mfs.om.txt', () => {
    const p = new ExpositionParser(readFileSync(join(dir, 'alltypes.5mfs.om.txt')), 'openmetrics');
    let exemplars = 0;
    let created = 0;
    for (let e = p.next(); e !== null; e = p.next()) {
      if (e !== 'series') continue;
      if (p.exemplar() !== undefined) exemplars++;
      if (p.suffix() === '_created') created++;
      if (p.seriesText() === 'rpc_durations_histogram_seconds_bucket{le="-0.0002899999999999998"}') {
        expect(p.exemplar()).toMatchObject({ value: -0.0003825067330956884, timestampMs: 1726839814223 });
      }
    }
    expect([exemplars, created]).toEqual([6, 9]);
  });
});
