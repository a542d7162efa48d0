import { compareUtf8, Labels } from '@pyrometer/model';
import type { RulesError } from '../errors.js';
import { loadRuleFile, parseRuleFile, type ParsedRuleFile, type RuleFileOptions, type RuleGroupConfig } from './rule-file.js';

/** promtool's `--lint` choices for rule files. */
export type RulesLint = 'all' | 'duplicate-rules' | 'none';

/** How {@link checkRuleFile} checks: how the file is read, plus which lints run. */
export interface RuleCheckOptions extends RuleFileOptions {
  /** Default `duplicate-rules`, as promtool. */
  lint?: RulesLint;
}

/** Two or more rules of a file that write the same series: the same name and the same labels. */
export interface DuplicateRule {
  /** The `record` or `alert` name. */
  readonly metric: string;
  /** The rule's labels merged over its group's. */
  readonly labels: Labels;
}

/** What `promtool check rules` learns about one file. */
export interface RuleFileCheck {
  readonly file: string;
  /** Rules found, 0 when the file has errors. */
  readonly ruleCount: number;
  /** Problems that make the file unusable (read, YAML, validation). */
  readonly errors: readonly RulesError[];
  /** Lint findings (only when the file has no errors); they fail the check only when lints are fatal. */
  readonly duplicates: readonly DuplicateRule[];
}

/**
 * Checks one rule file as `promtool check rules` does: parse and validate, then (when the file is
 * good and the lint asks for it) look for duplicate rules. Never throws for bad input.
 */
export async function checkRuleFile(path: string, options: RuleCheckOptions = {}): Promise<RuleFileCheck> {
  return checkParsed(path, await loadRuleFile(path, options), options);
}

/** {@link checkRuleFile} for rules given as text (promtool reads them from standard input); `name` names them in messages. */
export function checkRuleText(text: string, name: string, options: RuleCheckOptions = {}): RuleFileCheck {
  return checkParsed(name, parseRuleFile(text, name, options), options);
}

function checkParsed(file: string, parsed: ParsedRuleFile, options: RuleCheckOptions): RuleFileCheck {
  if (parsed.errors.length > 0) return { file, ruleCount: 0, errors: parsed.errors, duplicates: [] };
  const lint = options.lint ?? 'duplicate-rules';
  const duplicates = lint === 'none' ? [] : findDuplicateRules(parsed.groups);
  const ruleCount = parsed.groups.reduce((n, g) => n + g.rules.length, 0);
  return { file, ruleCount, errors: [], duplicates };
}

/**
 * promtool's exit code for a set of checks: 1 when a file has errors, 3 when only lints failed and
 * they are fatal (`--lint-fatal`), 0 otherwise.
 */
export function checkRulesExitCode(checks: readonly RuleFileCheck[], lintFatal: boolean): 0 | 1 | 3 {
  if (checks.some((c) => c.errors.length > 0)) return 1;
  if (lintFatal && checks.some((c) => c.duplicates.length > 0)) return 3;
  return 0;
}

/**
 * Rules that write the same series, each reported once however often it repeats, within a group
 * or across the file's groups, sorted by name then labels (upstream's `checkDuplicates`).
 */
export function findDuplicateRules(groups: readonly RuleGroupConfig[]): DuplicateRule[] {
  const all = groups.flatMap((g) => g.rules.map((r) => ({ metric: r.alert || r.record, labels: Labels.from({ ...g.labels, ...r.labels }) })));
  all.sort(compareRules);
  const out: DuplicateRule[] = [];
  for (let i = 1; i < all.length; i++) {
    if (compareRules(all[i - 1]!, all[i]!) !== 0) continue;
    const last = out[out.length - 1];
    if (last === undefined || compareRules(last, all[i]!) !== 0) out.push(all[i]!);
  }
  return out;
}

/** The text promtool prints for duplicate rules. */
export function duplicateRulesMessage(duplicates: readonly DuplicateRule[]): string {
  let out = `${duplicates.length} duplicate rule(s) found.\n`;
  for (const d of duplicates) {
    out += `Metric: ${d.metric}\nLabel(s):\n`;
    d.labels.forEach((name, value) => (out += `\t${name}: ${value}\n`));
  }
  return out + 'Might cause inconsistency while recording expressions';
}

function compareRules(a: DuplicateRule, b: DuplicateRule): number {
  const byName = compareUtf8(a.metric, b.metric);
  if (byName !== 0) return byName;
  return Labels.compare(a.labels, b.labels);
}
