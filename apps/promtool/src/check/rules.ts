import { checkRuleFile, checkRuleText, duplicateRulesMessage, type RuleFileCheck, type RuleFileOptions, type RulesLint } from '@pyrometer/rules';
import type { PromqlFeatures } from '../features.js';
import type { PromtoolIO } from '../io.js';
import type { LintOptions } from './lint-options.js';

/** Whether some file failed, and whether any failure was an error rather than a lint finding. */
export interface RulesCheckOutcome {
  readonly failed: boolean;
  readonly hasErrors: boolean;
}

/** How rule files are checked: lints, and how they are read. */
export interface RulesCheckOptions {
  readonly lint: LintOptions;
  readonly ignoreUnknownFields: boolean;
  readonly features: PromqlFeatures;
}

/**
 * Checks rule files as upstream's `checkRules`: `Checking <file>`, then `  SUCCESS: N rules found`
 * or `  FAILED:` with every problem (errors, or the duplicate-rules lint).
 */
export async function checkRuleFiles(files: readonly string[], options: RulesCheckOptions, io: PromtoolIO): Promise<RulesCheckOutcome> {
  let failed = false;
  let hasErrors = false;
  for (const file of files) {
    io.out(`Checking ${file}\n`);
    const outcome = report(await checkRuleFile(file, { ...fileOptions(options), lint: lintOf(options) }), io);
    failed ||= outcome.failed;
    hasErrors ||= outcome.hasErrors;
  }
  return { failed, hasErrors };
}

/** Checks rules read from standard input (`check rules` without files). */
export async function checkRulesFromStdin(options: RulesCheckOptions, io: PromtoolIO): Promise<RulesCheckOutcome> {
  io.out('Checking standard input\n');
  const text = (await io.readStdin()).toString('utf8');
  return report(checkRuleText(text, 'standard input', { ...fileOptions(options), lint: lintOf(options) }), io);
}

function report(check: RuleFileCheck, io: PromtoolIO): RulesCheckOutcome {
  if (check.errors.length > 0) {
    io.err(`  FAILED:\n${check.errors.map((e) => `${e.message}\n`).join('')}`);
    return { failed: true, hasErrors: true };
  }
  let failed = false;
  if (check.duplicates.length > 0) {
    io.err(`  FAILED:\nlint error ${duplicateRulesMessage(check.duplicates)}\n`);
    failed = true;
  } else io.out(`  SUCCESS: ${check.ruleCount} rules found\n`);
  io.out('\n');
  return { failed, hasErrors: false };
}

function lintOf(options: RulesCheckOptions): RulesLint {
  return options.lint.duplicateRules ? 'duplicate-rules' : 'none';
}

function fileOptions(options: RulesCheckOptions): RuleFileOptions {
  return { ignoreUnknownFields: options.ignoreUnknownFields, parser: { enableExperimentalFunctions: options.features.experimentalFunctions } };
}

/** promtool's exit code for a check: 1 on errors, 3 on lint findings made fatal, else 0. */
export function checkExitCode(outcome: RulesCheckOutcome, lintFatal: boolean): number {
  if (outcome.failed && outcome.hasErrors) return 1;
  if (outcome.failed && lintFatal) return 3;
  return 0;
}
