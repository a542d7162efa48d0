import { describe, expect, it } from 'vitest';
import { TypedString } from '../values.js';
import { expandPrometheusTemplate } from './expander.js';
import type { QuerySample } from './query-result.js';

// The expectations of Prometheus's template/template_test.go (v3.9.1), restated: same template
// text, same input, same output or error text. Go's int64/uint64 inputs are bigints here, float64
// inputs are numbers.

const MAX_INT64 = 2n ** 63n - 1n;
const MIN_INT64 = -(2n ** 63n);
const MAX_UINT64 = 2n ** 64n - 1n;

interface Case {
  name: string;
  text: string;
  input?: unknown;
  queryResult?: QuerySample[];
  output?: string;
  error?: string;
  missingKey?: 'default' | 'error';
}

const metric = (labels: Record<string, string>, f: number): QuerySample => ({ metric: labels, f });

const cases: Case[] = [
  { name: 'no template', text: 'plain text', output: 'plain text' },
  { name: 'simple value', text: '{{ 1 }}', output: '1' },
  { name: 'non-ASCII space', text: '{{\u00a0}}', error: 'error parsing template test: template: test:1: unrecognized character in action: U+00A0' },
  { name: 'safeHtml in text mode', text: '{{ "<b>" | safeHtml }}', output: '<b>' },
  { name: 'no HTML escaping in text mode', text: '{{ "<b>" }}', output: '<b>' },
  { name: 'args', text: '{{define "x"}}{{.arg0}} {{.arg1}}{{end}}{{template "x" (args 1 "2")}}', output: '1 2' },
  { name: 'query first value', text: '{{ query "1.5" | first | value }}', output: '1.5', queryResult: [metric({}, 1.5)] },
  { name: 'value from query', text: '{{ query "metric{instance=\'a\'}" | first | value }}', queryResult: [metric({ __name__: 'metric', instance: 'a' }, 11)], output: '11' },
  { name: 'label from query', text: '{{ query "metric{instance=\'a\'}" | first | label "instance" }}', queryResult: [metric({ __name__: 'metric', instance: 'a' }, 11)], output: 'a' },
  { name: 'strvalue', text: '{{ query "metric{__value__=\'a\'}" | first | strvalue }}', queryResult: [metric({ __name__: 'metric', __value__: 'a' }, 11)], output: 'a' },
  { name: 'missing label via label', text: '{{ query "metric{instance=\'a\'}" | first | label "foo" }}', queryResult: [metric({ __name__: 'metric', instance: 'a' }, 11)], output: '' },
  { name: 'missing label via field', text: '{{ $x := query "metric" | first }}{{ $x.Labels.foo }}', queryResult: [metric({ __name__: 'metric', instance: 'a' }, 11)], output: '' },
  {
    name: 'range over query sorted by label',
    text: '{{ range query "metric" | sortByLabel "instance" }}{{.Labels.instance}}:{{.Value}}: {{end}}',
    queryResult: [metric({ __name__: 'metric', instance: 'b' }, 21), metric({ __name__: 'metric', instance: 'a' }, 11)],
    output: 'a:11: b:21: ',
  },
  { name: 'stripPort hostname', text: '{{ "foo.example.com" | stripPort }}', output: 'foo.example.com' },
  { name: 'stripPort hostname with port', text: '{{ "foo.example.com:12345" | stripPort }}', output: 'foo.example.com' },
  { name: 'stripPort IPv4', text: '{{ "192.0.2.1" | stripPort }}', output: '192.0.2.1' },
  { name: 'stripPort IPv4 with port', text: '{{ "192.0.2.1:12345" | stripPort }}', output: '192.0.2.1' },
  { name: 'stripPort IPv6', text: '{{ "2001:0DB8::1" | stripPort }}', output: '2001:0DB8::1' },
  { name: 'stripPort IPv6 with port', text: '{{ "[2001:0DB8::1]:12345" | stripPort }}', output: '2001:0DB8::1' },
  { name: 'stripPort unsplittable', text: '{{ "[2001:0DB8::1]::12345" | stripPort }}', output: '[2001:0DB8::1]::12345' },
  { name: 'missing value is <no value>', text: '{{ .Foo }}', output: '<no value>' },
  { name: 'missingkey=error', text: '{{ .Foo }}', missingKey: 'error', error: 'error executing template test: template: test:1:3: executing "test" at <.Foo>: nil data; no entry for key "Foo"' },
  { name: 'unparsable', text: '{{', error: 'error parsing template test: template: test:1: unclosed action' },
  { name: 'error in function', text: '{{ query "missing" | first }}', queryResult: [], error: 'error executing template test: template: test:1:21: executing "test" at <first>: error calling first: first() called on vector with no elements' },
  {
    name: 'field of a query result',
    text: '{{ (query "missing").banana }}',
    queryResult: [],
    error: 'error executing template test: template: test:1:10: executing "test" at <"missing">: can\'t evaluate field banana in type template.queryResult',
  },
  { name: 'reReplaceAll', text: '{{ reReplaceAll "(a)b" "x$1" "ab" }}', output: 'xa' },
  { name: 'humanize float64', text: '{{ range . }}{{ humanize . }}:{{ end }}', input: [0.0, 1.0, 1234567.0, 0.12], output: '0:1:1.235M:120m:' },
  { name: 'humanize string', text: '{{ range . }}{{ humanize . }}:{{ end }}', input: ['0.0', '1.0', '1234567.0', '.12'], output: '0:1:1.235M:120m:' },
  {
    name: 'humanize bad string',
    text: '{{ humanize "one" }}',
    error: 'error executing template test: template: test:1:3: executing "test" at <humanize "one">: error calling humanize: strconv.ParseFloat: parsing "one": invalid syntax',
  },
  { name: 'humanize int', text: '{{ range . }}{{ humanize . }}:{{ end }}', input: [0n, -1n, 1n, 1234567n, MAX_INT64], output: '0:-1:1:1.235M:9.223E:' },
  { name: 'humanize uint', text: '{{ range . }}{{ humanize . }}:{{ end }}', input: [0n, 1n, 1234567n, MAX_UINT64], output: '0:1:1.235M:18.45E:' },
  { name: 'humanize1024 float64', text: '{{ range . }}{{ humanize1024 . }}:{{ end }}', input: [0.0, 1.0, 1048576.0, 0.12], output: '0:1:1Mi:0.12:' },
  { name: 'humanize1024 string', text: '{{ range . }}{{ humanize1024 . }}:{{ end }}', input: ['0.0', '1.0', '1048576.0', '.12'], output: '0:1:1Mi:0.12:' },
  {
    name: 'humanize1024 bad string',
    text: '{{ humanize1024 "one" }}',
    error: 'error executing template test: template: test:1:3: executing "test" at <humanize1024 "one">: error calling humanize1024: strconv.ParseFloat: parsing "one": invalid syntax',
  },
  { name: 'humanize1024 int', text: '{{ range . }}{{ humanize1024 . }}:{{ end }}', input: [0n, -1n, 1n, 1234567n, MAX_INT64], output: '0:-1:1:1.177Mi:8Ei:' },
  { name: 'humanize1024 uint', text: '{{ range . }}{{ humanize1024 . }}:{{ end }}', input: [0n, 1n, 1234567n, MAX_UINT64], output: '0:1:1.177Mi:16Ei:' },
  {
    name: 'humanizeDuration float64',
    text: '{{ range . }}{{ humanizeDuration . }}:{{ end }}',
    input: [0, 1, 60, 3600, 86400, 86400 + 3600, -(86400 * 2 + 3600 * 3 + 60 * 4 + 5), 899.99],
    output: '0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:1d 1h 0m 0s:-2d 3h 4m 5s:14m 59s:',
  },
  { name: 'humanizeDuration string', text: '{{ range . }}{{ humanizeDuration . }}:{{ end }}', input: ['0', '1', '60', '3600', '86400'], output: '0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:' },
  {
    name: 'humanizeDuration fractions',
    text: '{{ range . }}{{ humanizeDuration . }}:{{ end }}',
    input: [0.1, 0.0001, 0.12345, 60.1, 60.5, 1.2345, 12.345],
    output: '100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:',
  },
  {
    name: 'humanizeDuration fraction strings',
    text: '{{ range . }}{{ humanizeDuration . }}:{{ end }}',
    input: ['.1', '.0001', '.12345', '60.1', '60.5', '1.2345', '12.345'],
    output: '100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:',
  },
  {
    name: 'humanizeDuration bad string',
    text: '{{ humanizeDuration "one" }}',
    error: 'error executing template test: template: test:1:3: executing "test" at <humanizeDuration "one">: error calling humanizeDuration: strconv.ParseFloat: parsing "one": invalid syntax',
  },
  { name: 'humanizeDuration int', text: '{{ range . }}{{ humanizeDuration . }}:{{ end }}', input: [0n, -1n, 1n, 1234567n], output: '0s:-1s:1s:14d 6h 56m 7s:' },
  { name: 'humanizeDuration MaxInt64 (amd64)', text: '{{ humanizeDuration . }}', input: MAX_INT64, output: '-106751991167300d -15h -30m -8s' },
  {
    name: 'humanize* of Inf and NaN',
    text: '{{ range . }}{{ humanize . }}:{{ humanize1024 . }}:{{ humanizeDuration . }}:{{humanizeTimestamp .}}:{{ end }}',
    input: [Infinity, -Infinity, NaN],
    output: '+Inf:+Inf:+Inf:+Inf:-Inf:-Inf:-Inf:-Inf:NaN:NaN:NaN:NaN:',
  },
  {
    name: 'humanize* of Inf and NaN strings',
    text: '{{ range . }}{{ humanize . }}:{{ humanize1024 . }}:{{ humanizeDuration . }}:{{humanizeTimestamp .}}:{{ end }}',
    input: ['+Inf', '-Inf', 'NaN'],
    output: '+Inf:+Inf:+Inf:+Inf:-Inf:-Inf:-Inf:-Inf:NaN:NaN:NaN:NaN:',
  },
  {
    name: 'humanizePercentage literals',
    text: '{{ -0.22222 | humanizePercentage }}:{{ 0.0 | humanizePercentage }}:{{ 0.1234567 | humanizePercentage }}:{{ 1.23456 | humanizePercentage }}',
    output: '-22.22%:0%:12.35%:123.5%',
  },
  { name: 'humanizePercentage int', text: '{{ range . }}{{ humanizePercentage . }}:{{ end }}', input: [0n, -1n, 1n, 1234567n, MAX_INT64], output: '0%:-100%:100%:1.235e+08%:9.223e+20%:' },
  { name: 'humanizePercentage uint', text: '{{ range . }}{{ humanizePercentage . }}:{{ end }}', input: [0n, 1n, 1234567n, MAX_UINT64], output: '0%:100%:1.235e+08%:1.845e+21%:' },
  {
    name: 'humanizePercentage strings',
    text: '{{ "-0.22222" | humanizePercentage }}:{{ "0.0" | humanizePercentage }}:{{ "0.1234567" | humanizePercentage }}:{{ "1.23456" | humanizePercentage }}',
    output: '-22.22%:0%:12.35%:123.5%',
  },
  {
    name: 'humanizePercentage bad string',
    text: '{{ "one" | humanizePercentage }}',
    error: 'error executing template test: template: test:1:11: executing "test" at <humanizePercentage>: error calling humanizePercentage: strconv.ParseFloat: parsing "one": invalid syntax',
  },
  {
    name: 'humanizeTimestamp int',
    text: '{{ range . }}{{ humanizeTimestamp . }}:{{ end }}',
    input: [0n, -1n, 1n, 1234567n, 9223372036n],
    output: '1970-01-01 00:00:00 +0000 UTC:1969-12-31 23:59:59 +0000 UTC:1970-01-01 00:00:01 +0000 UTC:1970-01-15 06:56:07 +0000 UTC:2262-04-11 23:47:16 +0000 UTC:',
  },
  {
    name: 'humanizeTimestamp int overflow',
    text: '{{ range . }}{{ humanizeTimestamp . }}:{{ end }}',
    input: [MIN_INT64, MAX_INT64],
    error: 'error executing template test: template: test:1:16: executing "test" at <humanizeTimestamp .>: error calling humanizeTimestamp: -9.223372036854776e+18 cannot be represented as a nanoseconds timestamp since it overflows int64',
  },
  {
    name: 'humanizeTimestamp uint overflow',
    text: '{{ range . }}{{ humanizeTimestamp . }}:{{ end }}',
    input: [MAX_UINT64],
    error: 'error executing template test: template: test:1:16: executing "test" at <humanizeTimestamp .>: error calling humanizeTimestamp: 1.8446744073709552e+19 cannot be represented as a nanoseconds timestamp since it overflows int64',
  },
  { name: 'humanizeTimestamp float', text: '{{ 1435065584.128 | humanizeTimestamp }}', output: '2015-06-23 13:19:44.128 +0000 UTC' },
  { name: 'humanizeTimestamp string', text: '{{ "1435065584.128" | humanizeTimestamp }}', output: '2015-06-23 13:19:44.128 +0000 UTC' },
  { name: 'toTime float', text: '{{ (1435065584.128 | toTime).Format "2006" }}', output: '2015' },
  { name: 'toTime string', text: '{{ ("1435065584.128" | toTime).Format "2006" }}', output: '2015' },
  { name: 'toDuration float', text: '{{ (1800 | toDuration).String }}', output: '30m0s' },
  { name: 'toDuration string', text: '{{ ("1800" | toDuration).String }}', output: '30m0s' },
  { name: 'now', text: '{{ now }}', output: '1.353755652e+09' },
  { name: 'now formatted', text: '{{ (now | toTime).Format "Mon Jan 2 15:04:05 2006" }}', output: 'Sat Nov 24 11:14:12 2012' },
  { name: 'time arithmetic', text: '{{ ("-30m" | parseDuration | toDuration | (now | toTime).Add).UnixMilli }}', output: '1353753852000' },
  { name: 'title', text: '{{ "aa bb CC" | title }}', output: 'Aa Bb CC' },
  { name: 'toUpper', text: '{{ "aa bb CC" | toUpper }}', output: 'AA BB CC' },
  { name: 'toLower', text: '{{ "aA bB CC" | toLower }}', output: 'aa bb cc' },
  { name: 'match', text: '{{ match "a+" "aa" }} {{ match "a+" "b" }}', output: 'true false' },
  { name: 'graphLink', text: '{{ graphLink "up" }}', output: '/graph?g0.expr=up&g0.tab=0' },
  { name: 'tableLink', text: '{{ tableLink "up" }}', output: '/graph?g0.expr=up&g0.tab=1' },
  { name: 'pathPrefix', text: '{{ pathPrefix }}', output: '/path/prefix' },
  { name: 'externalURL', text: '{{ externalURL }}', output: 'http://testhost:9090/path/prefix' },
  { name: 'parseDuration', text: '{{ printf "%0.2f" (parseDuration "1h2m10ms") }}', output: '3720.01' },
  { name: 'parseDuration negative', text: '{{ printf "%0.2f" (parseDuration "-1h2m10ms") }}', output: '-3720.01' },
  { name: 'stripDomain hostname', text: '{{ "foo.example.com" | stripDomain }}', output: 'foo' },
  { name: 'stripDomain hostname with port', text: '{{ "foo.example.com:12345" | stripDomain }}', output: 'foo:12345' },
  { name: 'stripDomain IPv4', text: '{{ "192.0.2.1" | stripDomain }}', output: '192.0.2.1' },
  { name: 'stripDomain IPv4 with port', text: '{{ "192.0.2.1:12345" | stripDomain }}', output: '192.0.2.1:12345' },
  { name: 'stripDomain IPv6', text: '{{ "2001:0DB8::1" | stripDomain }}', output: '2001:0DB8::1' },
  { name: 'stripDomain IPv6 with port', text: '{{ "[2001:0DB8::1]:12345" | stripDomain }}', output: '[2001:0DB8::1]:12345' },
  { name: 'stripDomain unsplittable', text: '{{ "[2001:0DB8::1]::12345" | stripDomain }}', output: '[2001:0DB8::1]::12345' },
];

describe("Prometheus's template functions (upstream template_test.go)", () => {
  it.each(cases)('$name', async (c) => {
    const run = expandPrometheusTemplate(c.text, 'test', c.input, {
      timeMs: 1353755652000,
      externalURL: 'http://testhost:9090/path/prefix',
      query: async () => c.queryResult ?? [],
      ...(c.missingKey === undefined ? {} : { missingKey: c.missingKey }),
    });
    if (c.error !== undefined) await expect(run).rejects.toThrow(c.error);
    else expect(await run).toBe(c.output);
  });
});

describe('beyond upstream’s table', () => {
  it('query receives the query text and the evaluation time', async () => {
    const seen: [string, number][] = [];
    const out = await expandPrometheusTemplate('{{ with query "up{job=\\"x\\"}" }}{{ len . }}{{ end }}', 't', undefined, {
      timeMs: 42_000,
      externalURL: '',
      query: async (q, t) => {
        seen.push([q, t]);
        return [{ metric: { job: 'x' }, f: 1 }];
      },
    });
    expect(out).toBe('1');
    expect(seen).toEqual([['up{job="x"}', 42_000]]);
  });

  it('a rejected query fails the template with its message', async () => {
    const run = expandPrometheusTemplate('{{ query "bad(" }}', 't', undefined, {
      timeMs: 0,
      externalURL: '',
      query: async () => {
        throw new Error('1:5: parse error: unclosed left parenthesis');
      },
    });
    await expect(run).rejects.toThrow('error executing template t: template: t:1:3: executing "t" at <query "bad(">: error calling query: 1:5: parse error: unclosed left parenthesis');
  });

  it('reReplaceAll follows Go: named groups, $1x as a group name, empty matches after a match skipped', async () => {
    const out = await expandPrometheusTemplate(
      '{{ reReplaceAll "(?P<host>[a-z]+):(\\\\d+)" "${host}-$2" "web:80 db:5432" }}|{{ reReplaceAll "(a)" "$1x" "a" }}|{{ reReplaceAll "a*" "X" "baaac" }}',
      't',
      undefined,
      { timeMs: 0, externalURL: '' },
    );
    expect(out).toBe('web-80 db-5432||XbXcX');
  });

  it('a bad reReplaceAll pattern reports the compile panic as Go does', async () => {
    const run = expandPrometheusTemplate('{{ reReplaceAll "(" "" "x" }}', 't', undefined, { timeMs: 0, externalURL: '' });
    await expect(run).rejects.toThrow('error calling reReplaceAll: regexp: Compile(`(`): error parsing regexp: missing closing ): `(`');
  });

  it('safeHtml returns a template.HTML string', async () => {
    const out = await expandPrometheusTemplate('{{ printf "%T" (safeHtml "x") }}', 't', undefined, { timeMs: 0, externalURL: '' });
    expect(out).toBe('template.HTML');
    expect(new TypedString('a', 'template.HTML').toString()).toBe('a');
  });
});
