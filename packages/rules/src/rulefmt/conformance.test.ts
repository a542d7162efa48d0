import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { checkRuleFile, checkRulesExitCode, checkRuleText, duplicateRulesMessage, type RuleCheckOptions } from './check.js';
import { loadRuleFile, type RuleFileOptions } from './rule-file.js';

const rulefmtDir = conformanceDir('rulefmt');
const files = readdirSync(rulefmtDir);

// What upstream's rulefmt_test.go asserts for each bad file (a substring of the first error), and
// the name validation it runs the file under.
const BAD: Record<string, { error: string; options?: RuleFileOptions }> = {
  'duplicate_grp.bad.yaml': { error: 'groupname: "yolo" is repeated in the same file' },
  'bad_expr.bad.yaml': { error: 'parse error' },
  'record_and_alert.bad.yaml': { error: "only one of 'record' and 'alert' must be set" },
  'no_rec_alert.bad.yaml': { error: "one of 'record' or 'alert' must be set" },
  'noexpr.bad.yaml': { error: "field 'expr' must be set in rule" },
  'invalid_record_name.bad.yaml': { error: 'braces present in the recording rule name; should it be in expr?: strawberry{flavor="sweet"}' },
  'bad_field.bad.yaml': { error: 'field annotation not found' },
  'invalid_label_name.bad.yaml': { error: 'invalid label name' },
  'record_and_for.bad.yaml': { error: "invalid field 'for' in recording rule" },
  'record_and_keep_firing_for.bad.yaml': { error: "invalid field 'keep_firing_for' in recording rule" },
  'legacy_validation_annotation.bad.yaml': { error: 'invalid annotation name: ins-tance', options: { nameValidation: 'legacy' } },
};

describe('shared/conformance/rulefmt', () => {
  it('has an expectation for every bad file', () => {
    expect(files.filter((f) => f.endsWith('.bad.yaml')).sort()).toEqual(Object.keys(BAD).sort());
  });

  it.each(files.filter((f) => f.endsWith('.good.yaml') || f.startsWith('test')))('%s loads', async (file) => {
    const parsed = await loadRuleFile(join(rulefmtDir, file), file.startsWith('legacy') ? { nameValidation: 'legacy' } : {});
    expect(parsed.errors.map((e) => e.message)).toEqual([]);
    expect(parsed.groups.length).toBeGreaterThan(0);
  });

  it.each(Object.entries(BAD))('%s is rejected naming the problem, file, line and rule', async (file, { error, options }) => {
    const path = join(rulefmtDir, file);
    const parsed = await loadRuleFile(path, options);
    expect(parsed.groups).toEqual([]);
    const first = parsed.errors[0]!;
    expect(first.message).toContain(error);
    expect(first.message.startsWith(`${path}: `)).toBe(true);
    expect(first.location.line).toBeGreaterThan(0);
  });

  it('the legacy annotation name is fine under UTF-8 validation', async () => {
    expect((await loadRuleFile(join(rulefmtDir, 'legacy_validation_annotation.bad.yaml'))).errors).toEqual([]);
  });

  it('aliases and merge keys resolve as upstream reads test_aliases.yaml', async () => {
    const { groups } = await loadRuleFile(join(rulefmtDir, 'test_aliases.yaml'));
    const expr = 'sum without(instance) (rate(errors_total[5m]))\n/\nsum without(instance) (rate(requests_total[5m]))\n';
    for (const g of groups) {
      expect(g.rules.map((r) => r.alert || r.record)).toEqual(['HighAlert', 'new_metric', 'HighAlert', 'HighAlert2']);
      expect(g.rules[3]!.labels).toEqual({ severity: 'critical' });
      for (const r of g.rules) expect(r.expr).toBe(expr);
    }
    expect(groups[0]!.rules[0]!.annotations).toEqual({ description: "stuff's happening with {{ $.labels.service }}" });
  });

  it('reads every field of test.yaml', async () => {
    const { groups } = await loadRuleFile(join(rulefmtDir, 'test.yaml'));
    expect(groups.map((g) => [g.name, g.interval, g.rules.length])).toEqual([
      ['my-group-name', 30_000, 3],
      ['my-another-name', 30_000, 3],
    ]);
    expect(groups[0]!.rules[0]).toMatchObject({ alert: 'HighErrors', record: '', for: 300_000, keepFiringFor: 0, labels: { severity: 'critical' } });
    expect(groups[0]!.rules[1]).toMatchObject({ record: 'new_metric', alert: '', labels: { abc: 'edf', uvw: 'xyz' } });
  });
});

describe('shared/conformance/rules', () => {
  const dir = conformanceDir('rules');
  it.each(readdirSync(dir).filter((f) => f !== 'invalid_rules.yaml'))('%s loads', async (file) => {
    expect((await loadRuleFile(join(dir, file))).errors).toEqual([]);
  });

  it('invalid_rules.yaml is rejected for its unknown field', async () => {
    const { errors } = await loadRuleFile(join(dir, 'invalid_rules.yaml'));
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('field unexpected_field not found in type rulefmt.Rule')]);
    expect(errors[0]!.location).toMatchObject({ line: 6, col: 9 });
  });
});

interface Row {
  file: string;
  command: string;
  options: string;
  expected: string;
  exit: number;
  reason: string;
}

/** The `check rules` rows of promtool-rules-unittest/expected.tsv. */
function checkRows(): Row[] {
  const [, ...lines] = readFileSync(join(conformanceDir('promtool-rules-unittest'), 'expected.tsv'), 'utf8').trim().split('\n');
  return lines
    .map((line) => {
      const [file, command, options, expected, exit, reason] = line.split('\t');
      return { file: file!, command: command!, options: options!, expected: expected!, exit: Number(exit), reason: reason! };
    })
    .filter((r) => r.command === 'check rules');
}

/** The promtool flags a row uses, as check options. */
function optionsOf(row: Row): { check: RuleCheckOptions; lintFatal: boolean } {
  const flags = row.options === '-' ? [] : row.options.split(' ');
  const check: RuleCheckOptions = {};
  for (const f of flags) if (f === '--enable-feature=promql-experimental-functions') check.parser = { enableExperimentalFunctions: true };
  return { check, lintFatal: flags.includes('--lint-fatal') };
}

describe('promtool check rules rows of expected.tsv', () => {
  const dir = conformanceDir('promtool-rules-unittest');
  const rows = checkRows();

  it('has the five check rows', () => {
    expect(rows.map((r) => r.file)).toEqual(['rules.yml', 'rules-bad.yml', 'prometheus-rules.lint.yml', 'features.yml', 'rules_duplicates.yml']);
  });

  it.each(rows)('$file $options → exit $exit ($reason)', async (row) => {
    const { check, lintFatal } = optionsOf(row);
    const result = await checkRuleFile(join(dir, row.file), check);
    expect(checkRulesExitCode([result], lintFatal)).toBe(row.exit);
    expect(result.errors.length > 0 || (lintFatal && result.duplicates.length > 0)).toBe(row.expected === 'fail');
  });

  it('rules-bad.yml: the annotation template that does not parse is named, with its line', async () => {
    const result = await checkRuleFile(join(dir, 'rules-bad.yml'));
    expect(result.errors.map((e) => e.message)).toEqual([`${join(dir, 'rules-bad.yml')}: 12:11: group "alerts", rule 1, "InstanceDown": annotation "summary": template: __alert_InstanceDown:1: undefined variable "$label"`]);
  });

  it('rules_duplicates.yml: exactly one duplicate, with no labels, and upstream’s message', async () => {
    const result = await checkRuleFile(join(dir, 'rules_duplicates.yml'));
    expect(result.duplicates.map((d) => [d.metric, d.labels.size])).toEqual([['job:test:count_over_time1m', 0]]);
    expect(duplicateRulesMessage(result.duplicates)).toBe('1 duplicate rule(s) found.\nMetric: job:test:count_over_time1m\nLabel(s):\nMight cause inconsistency while recording expressions');
  });

  it('prometheus-rules.lint.yml: the duplicate alert carries its labels', async () => {
    const result = await checkRuleFile(join(dir, 'prometheus-rules.lint.yml'));
    expect(duplicateRulesMessage(result.duplicates)).toContain('Metric: HighRequestLatency\nLabel(s):\n\tseverity: page\n');
    expect((await checkRuleFile(join(dir, 'prometheus-rules.lint.yml'), { lint: 'none' })).duplicates).toEqual([]);
  });

  it('checkRuleText checks text (promtool reads it from standard input) as checkRuleFile checks the file', async () => {
    for (const file of ['rules.yml', 'rules-bad.yml', 'rules_duplicates.yml']) {
      const fromFile = await checkRuleFile(join(dir, file));
      const fromText = checkRuleText(readFileSync(join(dir, file), 'utf8'), join(dir, file));
      expect({ ...fromText, errors: fromText.errors.map((e) => e.message) }).toEqual({ ...fromFile, errors: fromFile.errors.map((e) => e.message) });
    }
  });

  it('--ignore-unknown-fields lets rules_extrafields.yml through', async () => {
    expect((await checkRuleFile(join(dir, 'rules_extrafields.yml'))).errors[0]?.message).toContain('field namespace not found in type rulefmt.RuleGroup');
    expect((await checkRuleFile(join(dir, 'rules_extrafields.yml'), { ignoreUnknownFields: true })).ruleCount).toBe(5);
  });
});
