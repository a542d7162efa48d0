// Upstream's bad prometheus.yml examples that concern a single relabel rule must be rejected by
// validateRelabelConfig with upstream's message (from expected-errors.tsv). The YAML is read here
// only to pull out the rule; loading prometheus.yml as a whole is packages/config's job.
// This file lives in test/ rather than src/ because it reads files (node:fs), which src/ of this
// browser-safe package may not import.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defaultRelabelConfig, validateRelabelConfig, type RelabelConfig } from '../src/index.js';

const dir = conformanceDir('prometheus-config');
const expected = new Map(
  readFileSync(join(dir, 'expected-errors.tsv'), 'utf8')
    .split('\n')
    .filter((line) => line.includes('\t'))
    .map((line) => line.split('\t') as [string, string]),
);

// labelmap.bad.yml fails in the YAML decoder (invalid !!binary), before any relabel rule exists.
const YAML_LEVEL_FAILURES = new Set(['labelmap.bad.yml']);

interface RuleCase {
  name: string;
  rule: Record<string, unknown>;
  legacy: boolean;
  want: string;
}

function ruleCases(): RuleCase[] {
  const out: RuleCase[] = [];
  for (const name of readdirSync(dir).sort()) {
    const want = expected.get(name);
    if (!name.endsWith('.bad.yml') || want === undefined || YAML_LEVEL_FAILURES.has(name)) continue;
    // Files that are not even well-formed YAML maps (duplicate keys) are about other things.
    const doc = parse(readFileSync(join(dir, name), 'utf8'), { uniqueKeys: false }) as { global?: Record<string, unknown>; scrape_configs?: { relabel_configs?: unknown[] }[] };
    const rules = doc.scrape_configs?.[0]?.relabel_configs;
    if (!Array.isArray(rules) || rules.length !== 1 || rules[0] === null) continue;
    out.push({ name, rule: rules[0] as Record<string, unknown>, legacy: doc.global?.['metric_name_validation_scheme'] === 'legacy', want });
  }
  return out;
}

function toConfig(rule: Record<string, unknown>): RelabelConfig {
  const d = defaultRelabelConfig();
  const str = (key: string, fallback: string) => (rule[key] === undefined ? fallback : rule[key] === null ? '' : String(rule[key]));
  return {
    sourceLabels: Array.isArray(rule['source_labels']) ? rule['source_labels'].map(String) : d.sourceLabels,
    separator: str('separator', d.separator),
    regex: str('regex', d.regex),
    modulus: typeof rule['modulus'] === 'number' ? rule['modulus'] : d.modulus,
    targetLabel: str('target_label', d.targetLabel),
    replacement: str('replacement', d.replacement),
    action: str('action', d.action),
  };
}

const cases = ruleCases();

describe('upstream relabel rules that must be rejected', () => {
  it('finds the relabel cases in the conformance data', () => {
    // 23 files in the v3 test data hold exactly one bad relabel rule; fewer means the data moved.
    expect(cases.length).toBeGreaterThanOrEqual(23);
  });

  it.each(cases)('$name', ({ rule, legacy, want }) => {
    const message = validateRelabelConfig(toConfig(rule), { legacy });
    expect(message).toBeDefined();
    expect(message).toContain(want);
  });
});
