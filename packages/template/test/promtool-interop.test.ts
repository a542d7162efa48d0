import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { peer, tempDir } from '@pyrometer/testkit';
import { AlertTemplateExpander, checkAlertTemplate, type QuerySample } from '@pyrometer/template';
import { describe, expect, it } from 'vitest';

// Interop with Prometheus itself: the alert templates below are expanded by our
// AlertTemplateExpander, and the results become the expected annotations of a `promtool test
// rules` unit test, which Debian's Prometheus 2.42 then evaluates with its own template engine.
// The test passes only if Prometheus expands every template (and its failure) to the same text.
// (Functions added after 2.42 — toDuration, now, urlQueryEscape — are covered by upstream's
// template_test.go expectations in src/prometheus/functions.test.ts.)

const promtool = peer('promtool', 'prometheus');

const METRIC = 'flink_taskmanager_Status_JVM_CPU_Load';
const SERIES = [
  { labels: { __name__: METRIC, instance: 'tm-1.flink.example.com:9249', job: 'flink' }, value: 0.734567 },
  { labels: { __name__: METRIC, instance: 'tm-2.flink.example.com:9249', job: 'flink' }, value: 0.9 },
];
const EXTERNAL_URL = 'http://prometheus.example.com:9090/prom';
const EXTERNAL_LABELS = { cluster: 'prod-eu', region: 'eu-west-1' };
const EVAL_SECONDS = 300;

const LABELS = { severity: '{{ if gt $value 0.8 }}critical{{ else }}warning{{ end }}' };
const ANNOTATIONS: Record<string, string> = {
  summary: 'CPU load on {{ $labels.instance | stripPort }} ({{ $labels.instance | stripDomain }}) is {{ $value | humanizePercentage }}',
  values: '{{ $value }} {{ printf "%.3f|%5.1f|%e|%g|%d" $value $value $value 1e6 42 }} {{ humanize $value }} {{ humanize 1234567 }} {{ humanize1024 1048576 }} {{ humanize 0.000012 }}',
  durations: '{{ humanizeDuration 93784.5 }} {{ humanizeDuration 0.0123 }} {{ humanizeDuration "3600" }} {{ "1h30m" | parseDuration }} {{ humanizeDuration 1.2345 }}',
  times: '{{ humanizeTimestamp 1710071130.25 }} {{ (1710071130 | toTime).Format "2006-01-02T15:04:05Z07:00 Mon Jan 2" }}',
  strings: '{{ $labels.job | toUpper }} {{ "flink task manager" | title }} {{ reReplaceAll "tm-(\\\\d+)\\\\..*" "taskmanager $1" $labels.instance }} {{ if match "^tm-" $labels.instance }}matched{{ end }}',
  // externalURL and pathPrefix are left out: promtool 2.42 runs rule tests with a nil URL and panics on them.
  links: '{{ graphLink "rate(x[5m]) > 0" }} {{ tableLink "up == 0" }} {{ $externalURL }} {{ $externalLabels.cluster }}',
  query: '{{ with query "sum(flink_taskmanager_Status_JVM_CPU_Load)" }}{{ . | first | value | humanize }}{{ end }} {{ range query "flink_taskmanager_Status_JVM_CPU_Load" | sortByLabel "instance" }}{{ .Labels.instance }}={{ .Value }};{{ end }}',
  maps: '[{{ $labels.missing }}]{{ index $labels "job" }}|{{ len $labels }}|{{ range $k, $v := $externalLabels }}{{ $k }}:{{ $v }} {{ end }}|{{ $labels }}',
  control: '{{ range $i, $e := query "flink_taskmanager_Status_JVM_CPU_Load" }}{{ if $i }}, {{ end }}{{ $i }}{{ end }} {{ with $x := 5 }}{{ $x }}{{ end }} {{ and 1 0 }} {{ or 0 "" "z" }} {{ eq $labels.job "flink" "spark" }}',
  failure: '{{ humanize "not a number" }}',
};

/** The two instant vectors the annotations query, as Prometheus computes them from the input series. */
async function query(q: string): Promise<readonly QuerySample[]> {
  if (q === `sum(${METRIC})`) return [{ metric: {}, f: SERIES[0]!.value + SERIES[1]!.value }];
  if (q === METRIC) return SERIES.map((s) => ({ metric: s.labels, f: s.value }));
  throw new Error(`unexpected query ${q}`);
}

describe.skipIf(promtool.path === undefined)(`alert templates expand as Prometheus 2.42 expands them${promtool.missingReason ? ` — skipped: ${promtool.missingReason}` : ''}`, () => {
  it('promtool test rules accepts our expansions as the expected annotations', async () => {
    const expander = new AlertTemplateExpander({ externalURL: EXTERNAL_URL, externalLabels: EXTERNAL_LABELS, query });
    const expAlerts = [];
    for (const s of SERIES) {
      const alert = { ruleName: 'FlinkHighCpu', labels: s.labels, value: s.value, timeMs: EVAL_SECONDS * 1000 };
      const annotations: Record<string, string> = {};
      for (const [name, text] of Object.entries(ANNOTATIONS)) annotations[name] = await expander.expand(text, alert);
      const { __name__: _name, ...seriesLabels } = s.labels;
      expAlerts.push({ exp_labels: { ...seriesLabels, severity: await expander.expand(LABELS.severity, alert) }, exp_annotations: annotations });
    }
    expect(expAlerts[0]!.exp_annotations['failure']).toMatch(/^<error expanding template: error executing template __alert_FlinkHighCpu: template: __alert_FlinkHighCpu:1:\d+: executing/);

    const dir = tempDir();
    const rules = { groups: [{ name: 'flink', rules: [{ alert: 'FlinkHighCpu', expr: `${METRIC} > 0.5`, labels: LABELS, annotations: ANNOTATIONS }] }] };
    writeFileSync(join(dir, 'rules.yml'), JSON.stringify(rules));
    const unitTest = {
      rule_files: ['rules.yml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          external_labels: EXTERNAL_LABELS,
          external_url: EXTERNAL_URL,
          input_series: SERIES.map((s) => ({ series: `${METRIC}{instance="${s.labels.instance}",job="flink"}`, values: `${s.value}x10` })),
          alert_rule_test: [{ eval_time: `${EVAL_SECONDS}s`, alertname: 'FlinkHighCpu', exp_alerts: expAlerts }],
        },
      ],
    };
    writeFileSync(join(dir, 'test.yml'), JSON.stringify(unitTest));
    const run = spawnSync(promtool.path!, ['test', 'rules', 'test.yml'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
    expect({ status: run.status, output: run.stdout + run.stderr }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  });

  it.each(['{{ if }}', '{{ $labels.job | nosuchfunction }}', '{{ range $i, $j, $k := . }}{{ end }}', 'ok {{ "unterminated }}'])('promtool check rules rejects %j with the message checkAlertTemplate gives', (text) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'rules.yml'), JSON.stringify({ groups: [{ name: 'g', rules: [{ alert: 'Broken', expr: 'up == 0', annotations: { summary: text } }] }] }));
    const run = spawnSync(promtool.path!, ['check', 'rules', 'rules.yml'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
    const ours = checkAlertTemplate('Broken', text);
    expect(ours).toBeDefined();
    expect(run.status).toBe(1);
    expect(run.stdout + run.stderr).toContain(`annotation "summary": ${ours!.message}`);
  });
});
