import { describe, expect, it } from 'vitest';
import { GoDuration } from '../gotime/duration.js';
import { GoTime } from '../gotime/time.js';
import { fixedZone } from '../gotime/zone.js';
import { buildTemplateData, KV, TemplateData, Alerts } from './data.js';
import { NotificationTemplates } from './templates.js';

// Alertmanager's template_test.go (TestTemplateExpansion, TestTemplateExpansionWithOptions,
// TestTemplateFuncs; v0.28.1 plus the later functions we carry), restated.

const NOW = Date.parse('2024-01-01T09:15:30Z');
const templates = () => new NotificationTemplates({ builtins: false, now: () => NOW, zoneLoader: (n) => (n === 'Europe/Paris' ? fixedZone('CET', 3600) : undefined) });
const data = (groupLabels: Record<string, string>) => new TemplateData('', 'firing', new Alerts(), new KV(groupLabels), new KV(), new KV(), '');

interface Case {
  title: string;
  text: string;
  data?: unknown;
  html?: boolean;
  exp?: string;
  err?: string;
}

const cases: Case[] = [
  { title: 'without action', text: 'abc', exp: 'abc' },
  { title: 'simple action', text: '{{ "abc" }}', exp: 'abc' },
  { title: 'invalid syntax', text: '{{ ', err: 'template: :1: unclosed action' },
  { title: 'toUpper', text: '{{ "abc" | toUpper }}', exp: 'ABC' },
  { title: 'toLower', text: '{{ "ABC" | toLower }}', exp: 'abc' },
  { title: 'title', text: '{{ "abc" | title }}', exp: 'Abc' },
  { title: 'title lowers the rest', text: '{{ "aBC dEF" | title }}', exp: 'Abc Def' },
  { title: 'trimSpace', text: '{{ " a b c " | trimSpace }}', exp: 'a b c' },
  { title: 'positive match', text: '{{ if match "^a" "abc"}}abc{{ end }}', exp: 'abc' },
  { title: 'negative match', text: '{{ if match "abcd" "abc" }}abc{{ end }}', exp: '' },
  { title: 'match result', text: '{{ match "[a-z]+" "abc" }}', exp: 'true' },
  { title: 'join', text: '{{ . | join "," }}', data: ['a', 'b', 'c'], exp: 'a,b,c' },
  { title: 'text without HTML escaping', text: '{{ "<b>" }}', exp: '<b>' },
  { title: 'HTML with escaping', text: '{{ "<b>" }}', html: true, exp: '&lt;b&gt;' },
  { title: 'HTML with safeHtml', text: '{{ "<b>" | safeHtml }}', html: true, exp: '<b>' },
  { title: 'URL with escaping', text: '<a href="/search?{{ "q=test%20foo" }}"></a>', html: true, exp: '<a href="/search?q%3dtest%2520foo"></a>' },
  { title: 'URL with safeUrl', text: '<a href="/search?{{ "q=test%20foo" | safeUrl }}"></a>', html: true, exp: '<a href="/search?q=test%20foo"></a>' },
  { title: 'reReplaceAll', text: '{{ reReplaceAll "ab" "AB" "abcdabcda"}}', exp: 'ABcdABcda' },
  { title: 'urlUnescape', text: '{{ "search?q=test%20foo" | urlUnescape }}', exp: 'search?q=test foo' },
  { title: 'urlUnescape bad escape', text: '{{ "a%zz" | urlUnescape }}', err: 'error calling urlUnescape: invalid URL escape "%zz"' },
  {
    title: 'stringSlice',
    text: '{{ with .GroupLabels }}{{ with .Remove (stringSlice "key1" "key3") }}{{ .SortedPairs.Values }}{{ end }}{{ end }}',
    data: data({ key1: 'key1', key2: 'key2', key3: 'key3', key4: 'key4' }),
    exp: '[key2 key4]',
  },
  { title: 'toJson string', text: '{{ "test" | toJson }}', exp: '"test"' },
  { title: 'toJson number', text: '{{ 42 | toJson }}', exp: '42' },
  { title: 'toJson boolean', text: '{{ true | toJson }}', exp: 'true' },
  { title: 'toJson map', text: '{{ . | toJson }}', data: { key: 'value', number: 123n }, exp: '{"key":"value","number":123}' },
  { title: 'toJson slice', text: '{{ . | toJson }}', data: ['a', 'b', 'c'], exp: '["a","b","c"]' },
  { title: 'toJson KV', text: '{{ .CommonLabels | toJson }}', data: new TemplateData('', 'firing', new Alerts(), new KV(), new KV({ severity: 'critical', job: 'foo' }), new KV(), ''), exp: '{"job":"foo","severity":"critical"}' },
  { title: 'toJson escapes HTML characters and floats as Go does', text: '{{ toJson (list "<&>" 0.0000001 1e21 1.5) }}', exp: '["\\u003c\\u0026\\u003e",1e-7,1e+21,1.5]' },
  { title: 'empty dict', text: '{{- $test := dict -}}{{ $test }}', exp: 'map[]' },
  { title: 'dict with args', text: '{{- $test := dict "a" 1 "b" 2 "c" 3 -}}{{ $test }}', exp: 'map[a:1 b:2 c:3]' },
  { title: 'dict odd arguments', text: '{{ dict "a" }}', err: 'dict requires an even number of arguments' },
  { title: 'dict non-string key', text: '{{ dict 1 "value" }}', err: 'dict keys must be strings' },
  { title: 'empty list', text: '{{- $test := list -}}{{ $test }}', exp: '[]' },
  { title: 'list with args', text: '{{- $test := list "a" "b" "c" -}}{{ $test }}', exp: '[a b c]' },
  { title: 'append', text: '{{- $test := list "a" "b" -}}{{ $test = append $test "c" "d" -}}{{ $test }}', exp: '[a b c d]' },
  { title: 'date', text: '{{ . | date "2006-01-02" }}', data: GoTime.fromMillis(Date.parse('2024-01-01T08:15:30Z')), exp: '2024-01-01' },
  { title: 'tz', text: '{{ . | tz "Europe/Paris" }}', data: GoTime.fromMillis(Date.parse('2024-01-01T08:15:30Z')), exp: '2024-01-01 09:15:30 +0100 CET' },
  {
    title: 'invalid tz',
    text: '{{ . | tz "Invalid/Timezone" }}',
    data: GoTime.fromMillis(Date.parse('2024-01-01T08:15:30Z')),
    err: 'template: :1:7: executing "" at <tz "Invalid/Timezone">: error calling tz: unknown time zone Invalid/Timezone',
  },
  {
    title: 'humanizeDuration seconds',
    text: '{{ range . }}{{ humanizeDuration . }}:{{ end }}',
    data: [0, 1, 60, 3600, 86400, 86400 + 3600, -(86400 * 2 + 3600 * 3 + 60 * 4 + 5), 899.99],
    exp: '0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:1d 1h 0m 0s:-2d 3h 4m 5s:14m 59s:',
  },
  { title: 'humanizeDuration strings', text: '{{ range . }}{{ humanizeDuration . }}:{{ end }}', data: ['0', '1', '60', '3600', '86400'], exp: '0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:' },
  { title: 'humanizeDuration fractions', text: '{{ range . }}{{ humanizeDuration . }}:{{ end }}', data: [0.1, 0.0001, 0.12345, 60.1, 60.5, 1.2345, 12.345], exp: '100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:' },
  { title: 'humanizeDuration error', text: '{{ humanizeDuration "one" }}', err: 'template: :1:3: executing "" at <humanizeDuration "one">: error calling humanizeDuration: strconv.ParseFloat: parsing "one": invalid syntax' },
  { title: 'humanizeDuration ints', text: '{{ range . }}{{ humanizeDuration . }}:{{ end }}', data: [0n, -1n, 1n, 1234567n], exp: '0s:-1s:1s:14d 6h 56m 7s:' },
  { title: 'since', text: '{{ . | since | humanizeDuration }}', data: GoTime.fromMillis(NOW - 3_600_000), exp: '1h 0m 0s' },
  { title: 'since is a duration', text: '{{ since . }}', data: GoTime.fromMillis(NOW - 90_500), exp: '1m30.5s' },
];

describe("Alertmanager's functions (template_test.go)", () => {
  it.each(cases)('$title', async (c) => {
    const t = templates();
    const run = c.html === true ? t.executeHtml(c.text, c.data) : t.executeText(c.text, c.data);
    if (c.err !== undefined) await expect(run).rejects.toThrow(c.err);
    else expect(await run).toBe(c.exp);
  });

  it('an empty text renders nothing, without parsing', async () => {
    expect(await templates().executeText('', undefined)).toBe('');
    expect(await templates().executeHtml('', undefined)).toBe('');
  });

  it('extra functions are available; Alertmanager’s own take precedence (TestTemplateExpansionWithOptions)', async () => {
    const t = new NotificationTemplates({ builtins: false, funcs: { printFoo: () => 'foo', toUpper: () => 'foo' } });
    expect(await t.executeText('{{ printFoo }} {{ toUpper "test" }}', undefined)).toBe('foo TEST');
  });

  it('toJson on alerts writes upstream’s field order and times', async () => {
    const d = buildTemplateData({ receiver: 'r', groupLabels: {}, externalURL: '', nowMs: 0, alerts: [{ labels: { alertname: 'test' }, annotations: {}, startsAt: 0, generatorURL: '', fingerprint: '' }] });
    expect(await templates().executeText('{{ .Alerts | toJson }}', d)).toBe(
      '[{"status":"firing","labels":{"alertname":"test"},"annotations":{},"startsAt":"1970-01-01T00:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":""}]',
    );
  });

  it('a duration literal argument is nanoseconds, a duration prints as Go prints it', async () => {
    expect(new GoDuration(1_500_000_000n).String()).toBe('1.5s');
    expect(await templates().executeText('{{ (.Add 1000) }}', GoTime.fromUnix(0))).toBe('1970-01-01 00:00:00.000001 +0000 UTC');
  });
});
