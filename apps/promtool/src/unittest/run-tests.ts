import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { expandGlob } from '@pyrometer/config';
import { FlagError } from '@pyrometer/cli';
import { AnchoredRegex } from '@pyrometer/model';
import { GoDuration } from '@pyrometer/template';
import type { PromqlFeatures } from '../features.js';
import type { PromtoolIO } from '../io.js';
import { JUnitReport, type Suite } from './junit.js';
import { readUnitTestFile } from './test-file.js';
import { runTestGroup } from './test-group.js';

/** How `promtool test rules` runs. */
export interface RulesTestOptions {
  /** `--run`: regular expressions on test group names (any may match); empty runs every group. */
  readonly run: readonly string[];
  readonly ignoreUnknownFields: boolean;
  readonly debug: boolean;
  readonly features: PromqlFeatures;
}

/**
 * `promtool test rules`: runs every test file, printing `  SUCCESS` or `  FAILED:` and each
 * failure, as upstream. Returns the exit code (1 when any file fails) and the JUnit report.
 */
export async function testRules(files: readonly string[], options: RulesTestOptions, io: PromtoolIO): Promise<{ code: number; junit: JUnitReport }> {
  const junit = new JUnitReport();
  const run = runRegex(options.run);
  let failed = false;
  for (const file of files) {
    const errs = await testFile(file, run, options, io, junit.suite(file, goLocalTime(new Date())));
    if (errs.length > 0) {
      io.err('  FAILED:\n');
      for (const e of errs) {
        io.err(`${e}\n`);
        io.out('\n');
      }
      failed = true;
    } else io.out('  SUCCESS\n');
    io.out('\n');
  }
  return { code: failed ? 1 : 0, junit };
}

async function testFile(file: string, run: AnchoredRegex | undefined, options: RulesTestOptions, io: PromtoolIO, suite: Suite): Promise<string[]> {
  const abort = (message: string) => {
    suite.abort(message);
    return [message];
  };
  let unitTests;
  try {
    unitTests = await readUnitTestFile(file);
  } catch (err) {
    return abort((err as Error).message);
  }
  const ruleFiles: string[] = [];
  for (const pattern of unitTests.ruleFiles) {
    const resolved = pattern !== '' && !isAbsolute(pattern) ? join(dirname(file), pattern) : pattern;
    const matches = (await expandGlob(resolved)).filter((f) => existsSync(f));
    if (matches.length === 0) io.err(`  WARNING: no file match pattern ${resolved}\n`);
    ruleFiles.push(...matches);
  }
  const evalInterval = unitTests.evaluationInterval || 60_000;
  const groupOrder = new Map<string, number>();
  for (const [i, name] of unitTests.groupEvalOrder.entries()) {
    if (groupOrder.has(name)) return abort(`group name repeated in evaluation order: ${name}`);
    groupOrder.set(name, i);
  }
  const errs: string[] = [];
  for (const [i, test] of unitTests.tests.entries()) {
    if (run !== undefined && !run.matches(test.name)) continue;
    suite.case(test.name !== '' ? test.name : `unnamed#${i}`);
    const debug = options.debug ? (line: string) => io.out(`${line}\n`) : undefined;
    const label = test.name !== '' ? test.name : `unnamed#${i}`;
    debug?.(`DEBUG: Starting test ${label}`);
    const started = performance.now();
    const failures = await runTestGroup(
      { ...test, interval: test.interval || unitTests.evaluationInterval || 60_000 },
      { ruleFiles, evalInterval, groupOrder, fuzzyCompare: unitTests.fuzzyCompare, ignoreUnknownFields: options.ignoreUnknownFields, features: options.features, debug },
    );
    debug?.(`DEBUG: Test ${label} finished, took ${new GoDuration(BigInt(Math.round((performance.now() - started) * 1e6))).toString()}`);
    for (const f of failures) suite.fail(f);
    errs.push(...failures);
  }
  return errs;
}

/**
 * `--run`'s expressions as one RE2 regex, unanchored as Go's `MatchString` (the alternatives may
 * match anywhere in the name). A bad expression is a command-line mistake, naming the flag.
 */
function runRegex(patterns: readonly string[]): AnchoredRegex | undefined {
  if (patterns.length === 0) return undefined;
  try {
    return new AnchoredRegex(`(?s:.*)(?:${patterns.join('|')})(?s:.*)`);
  } catch (err) {
    throw new FlagError(`invalid value ${JSON.stringify(patterns.join('|'))} for flag '--run': ${(err as Error).message}`);
  }
}

/** `2006-01-02T15:04:05` in local time, as upstream stamps a suite. */
function goLocalTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
