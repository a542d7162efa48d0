import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { debian, debianPromtool, folderWith, ours } from './helpers.js';

// `test rules` on unit-test files written here: the input notation, templates with external labels
// and URL, group_eval_order, failures worded as upstream (compared with Debian's promtool where
// 2.42 has the feature), JUnit and debug output, and malformed input.

const RULES = `groups:
  - name: first
    rules:
      - record: a_rec
        expr: sum(input)
      - alert: HighInput
        expr: input > 5
        for: 2m
        labels:
          severity: warning
        annotations:
          summary: "{{ $labels.instance }} at {{ $value }} in {{ $externalLabels.cluster }}"
          runbook: "{{ $externalURL }}/runbook"
  - name: second
    rules:
      - record: b_rec
        expr: a_rec * 2
`;

/** A test of the notation and the templates that passes; `overrides` turn it into failing variants. */
function unitTest(overrides: { alertSeverity?: string; bRec?: number } = {}): string {
  // b_rec (group second) reads a_rec (group first); promtool runs groups in random order unless told.
  return `rule_files: [rules.yml]
evaluation_interval: 1m
group_eval_order: [first, second]
tests:
  - interval: 1m
    external_labels: {cluster: eu1}
    external_url: http://prom.example
    input_series:
      - series: 'input{instance="a"}'
        values: '1+2x10'
      - series: 'input{instance="b"}'
        values: '_ _ 7 stale 3 _x3 9'
    promql_expr_test:
      - expr: input
        eval_time: 2m
        exp_samples:
          - labels: 'input{instance="a"}'
            value: 5
          - labels: 'input{instance="b"}'
            value: 7
      - expr: input{instance="b"}
        eval_time: 3m
        exp_samples: []
      - expr: b_rec
        eval_time: 3m
        exp_samples:
          - labels: b_rec
            value: ${overrides.bRec ?? 14}
    alert_rule_test:
      - eval_time: 3m
        alertname: HighInput
        exp_alerts: []
      - eval_time: 5m
        alertname: HighInput
        exp_alerts:
          - exp_labels: {instance: a, severity: ${overrides.alertSeverity ?? 'warning'}}
            exp_annotations: {summary: "a at 11 in eu1", runbook: "http://prom.example/runbook"}
`;
}

describe('test rules', () => {
  it('expands 1+2x10, skips _ and _x3, ends a series at stale, and expands $labels, $value, $externalLabels and $externalURL', async () => {
    const dir = folderWith({ 'rules.yml': RULES, 'test.yml': unitTest() });
    const run = await ours(['test', 'rules', join(dir, 'test.yml')]);
    expect(run).toEqual({ code: 0, stdout: '  SUCCESS\n\n', stderr: '' });
  });

  it.runIf(debianPromtool.path !== undefined)('words failing alerts and samples exactly as promtool does', async () => {
    const dir = folderWith({ 'rules.yml': RULES, 'test.yml': unitTest({ alertSeverity: 'critical', bRec: 15 }) });
    const args = ['test', 'rules', join(dir, 'test.yml')];
    const [mine, theirs] = [await ours(args), await debian(args)];
    expect(mine.code).toBe(1);
    expect(mine.stderr).toContain('alertname: HighInput, time: 5m');
    expect(mine.stderr).toContain('exp: {__name__="b_rec"} 1.5E+01\n        got: {__name__="b_rec"} 1.4E+01');
    // 2.42 still printed a "Unit Testing:" line first, which 3.x dropped.
    expect({ ...mine, stdout: mine.stdout }).toEqual({ ...theirs, stdout: theirs.stdout.replace(/^Unit Testing: {2}.*\n/, '') });
  });

  it('evaluates groups in group_eval_order, so a later group sees an earlier one’s output of the same round', async () => {
    const test = (order: string) => `rule_files: [rules.yml]
group_eval_order: [${order}]
tests:
  - input_series:
      - series: input
        values: '3'
    promql_expr_test:
      - expr: b_rec
        eval_time: 0
        exp_samples:
          - labels: b_rec
            value: 6
`;
    const dir = folderWith({ 'rules.yml': RULES, 'in-order.yml': test('first, second'), 'reversed.yml': test('second, first'), 'repeated.yml': test('first, first') });
    expect((await ours(['test', 'rules', join(dir, 'in-order.yml')])).code).toBe(0);
    const reversed = await ours(['test', 'rules', join(dir, 'reversed.yml')]);
    expect(reversed.code).toBe(1);
    expect(reversed.stderr).toContain('exp: {__name__="b_rec"} 6E+00\n        got: nil');
    expect(await ours(['test', 'rules', join(dir, 'repeated.yml')])).toMatchObject({ code: 1, stderr: '  FAILED:\ngroup name repeated in evaluation order: first\n' });
  });

  it('loads native histograms, records them from rules, compares them in test notation with the hint the storage reports, and prints mismatches', async () => {
    const test = (expected: string) => `rule_files: [histogram-rules.yml]
tests:
  - input_series:
      - series: h
        values: '{{sum:3 count:2 buckets:[2]}}+{{sum:1 count:1 buckets:[1]}}x2 {{count:1 buckets:[1]}}'
    promql_expr_test:
      - expr: h
        eval_time: 2m
        exp_samples:
          - labels: h
            histogram: '${expected}'
      - expr: histogram_count(h)
        eval_time: 3m
        exp_samples:
          - value: 1
      - expr: h_doubled
        eval_time: 2m
        exp_samples:
          - labels: h_doubled
            histogram: '{{count:8 sum:10 counter_reset_hint:not_reset buckets:[8]}}'
`;
    const dir = folderWith({
      'histogram-rules.yml': 'groups:\n  - name: g\n    rules:\n      - record: h_doubled\n        expr: h * 2\n',
      'pass.yml': test('{{count:4 sum:5 counter_reset_hint:not_reset buckets:[4]}}'),
      'hint.yml': test('{{count:4 sum:5 buckets:[4]}}'),
      'float.yml': test('7'),
    });
    expect(await ours(['test', 'rules', join(dir, 'pass.yml')])).toEqual({ code: 0, stdout: '  SUCCESS\n\n', stderr: '' });
    // Promtool compares the whole test notation: a histogram that continues its predecessor reads back not_reset.
    const hint = await ours(['test', 'rules', join(dir, 'hint.yml')]);
    expect(hint.code).toBe(1);
    expect(hint.stderr).toContain('exp: {__name__="h"} {{count:4 sum:5 buckets:[4]}}\n        got: {__name__="h"} {{count:4 sum:5 counter_reset_hint:not_reset buckets:[4]}}');
    expect((await ours(['test', 'rules', join(dir, 'float.yml')])).stderr).toContain('err: labels "h": expected histogram, got 7');
  });

  it('writes JUnit XML with one suite per file and one case per test group', async () => {
    const dir = folderWith({ 'rules.yml': RULES, 'good.yml': unitTest(), 'bad.yml': unitTest({ bRec: 1 }).replace('  - interval: 1m', '  - name: "a <b> & c"\n    interval: 1m') });
    const junit = join(dir, 'out.xml');
    const run = await ours(['test', '--junit', junit, 'rules', join(dir, 'good.yml'), join(dir, 'bad.yml')]);
    expect(run.code).toBe(1);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/^<testsuites><testsuite name="[^"]*good\.yml" tests="1" failures="0" errors="0" skipped="0" timestamp="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d"><testcase name="unnamed#0"><\/testcase><\/testsuite>/);
    expect(xml).toContain('tests="1" failures="1" errors="0"');
    expect(xml).toContain('<testcase name="a &lt;b&gt; &amp; c"><failure>    expr: &#34;b_rec&#34;, time: 3m,&#xA;        exp: {__name__=&#34;b_rec&#34;} 1E+00&#xA;');
  });

  it('--debug prints the start, the end and a dump of every series', async () => {
    const dir = folderWith({ 'rules.yml': RULES, 'test.yml': unitTest() });
    const run = await ours(['test', 'rules', '--debug', join(dir, 'test.yml')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^DEBUG: Starting test unnamed#0\nDEBUG: Dump of all data \(input_series and rules\) at 5m1s:\n/);
    expect(run.stdout).toContain('{__name__="b_rec"} =>\n6 @[60000]\n24 @[120000]\n14 @[180000]\n24 @[240000]\n28 @[300000]\n');
    expect(run.stdout).toMatch(/DEBUG: Test unnamed#0 finished, took [\d.]+(µs|ms|s)\n {2}SUCCESS\n/);
  });

  it.each([
    { name: 'YAML that does not parse', text: 'tests: [\n', problem: /^ {2}FAILED:\n\S+test\.yml:2:1: .+\n$/ },
    { name: 'an unknown field, with upstream’s type name', text: 'tests:\n  - intervall: 1m\n', problem: /test\.yml:2:5: field intervall not found in type main\.testGroup\n$/ },
    { name: 'a bad duration', text: 'evaluation_interval: 1 minute\n', problem: /test\.yml:1:22: evaluation_interval: .*"1 minute"/ },
    { name: 'a value that is not a number', text: 'tests:\n  - promql_expr_test:\n      - expr: x\n        exp_samples:\n          - value: many\n', problem: /test\.yml:5:20: cannot unmarshal "many" into float64 \(value\)\n$/ },
    { name: 'a bad start_timestamp', text: 'tests:\n  - start_timestamp: yesterday\n', problem: /test\.yml:2:22: start_timestamp: cannot parse "yesterday" to a valid timestamp\n$/ },
    { name: 'an expression that does not parse', text: 'tests:\n  - promql_expr_test:\n      - expr: sum(\n        eval_time: 0\n', problem: /^ {2}FAILED:\n {4}expr: "sum\(", time: 0s, err: 1:5: parse error: unclosed left parenthesis\n$/ },
    { name: 'labels of an expected sample that do not parse', text: 'tests:\n  - promql_expr_test:\n      - expr: up\n        exp_samples:\n          - labels: up{\n', problem: /err: labels "up\{": 1:4: parse error: unexpected end of input inside braces\n$/ },
    { name: 'an alert test without alertname', text: 'tests:\n  - name: t\n    alert_rule_test:\n      - eval_time: 1m\n', problem: /an item under alert_rule_test misses required attribute alertname at eval_time 1m \(in TestGroup t\)\n$/ },
  ])('reports $name clearly, with exit code 1', async ({ text, problem }) => {
    const dir = folderWith({ 'test.yml': text });
    const run = await ours(['test', 'rules', join(dir, 'test.yml')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(problem);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports a test file that cannot be read, and binary content, without a stack trace', async () => {
    const dir = folderWith({ 'binary.yml': '\u0000\u0001\u0002\u00ff{{[[' });
    mkdirSync(join(dir, 'folder.yml'));
    const folder = await ours(['test', 'rules', join(dir, 'folder.yml')]);
    expect(folder).toMatchObject({ code: 1, stderr: '  FAILED:\nEISDIR: illegal operation on a directory, read\n' });
    const binary = await ours(['test', 'rules', join(dir, 'binary.yml')]);
    expect(binary.code).toBe(1);
    expect(binary.stderr).toMatch(/^ {2}FAILED:\n\S*binary\.yml:1:1: .+\n$/);
  });

  it('warns about rule_files matching nothing and still runs the tests', async () => {
    const dir = folderWith({ 'test.yml': 'rule_files: [missing.yml, "none-*.yml"]\ntests:\n  - promql_expr_test:\n      - expr: vector(1)\n        exp_samples:\n          - value: 1\n' });
    const run = await ours(['test', 'rules', join(dir, 'test.yml')]);
    expect(run).toEqual({ code: 0, stdout: '  SUCCESS\n\n', stderr: `  WARNING: no file match pattern ${join(dir, 'missing.yml')}\n  WARNING: no file match pattern ${join(dir, 'none-*.yml')}\n` });
  });

  it('rejects a --run expression that is not RE2 as a command-line mistake', async () => {
    const dir = folderWith({ 'test.yml': 'tests: []\n' });
    expect(await ours(['test', 'rules', '--run', '(unclosed', join(dir, 'test.yml')])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^pyrometer-promtool: error: invalid value "\(unclosed" for flag '--run': .+, try --help\n$/) });
  });
});
