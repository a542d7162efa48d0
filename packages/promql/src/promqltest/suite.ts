import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTestFile, type RunOptions } from './runner.js';
import { NATIVE_HISTOGRAM_CASES } from './native-histogram-cases.js';
import { readScript } from './script.js';
import { skipMapFor } from './skip-list.js';

/** One case of a script file: a `load` or an `eval`, identified by the 1-based line of its command. */
export interface ScriptCase {
  readonly id: number;
  /** e.g. `line 12: eval instant at 5m sum(x)` or `line 3: load 5m`. */
  readonly title: string;
  /** The skip list's reason when the case does not run. */
  readonly skip: string | undefined;
}

/** What running one case did (`message` says why it failed). */
export interface ScriptOutcome {
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly message: string | undefined;
}

/**
 * Upstream's PromQL script files in `dir` as a conformance suite: each case of each `*.test` file,
 * with the skip list applied (shaped for `@pyrometer/testkit`'s `describeConformance`). `run`
 * executes a file's cases that are not skipped against storages from `storageFactory`.
 */
export function promqlConformanceSuite(
  title: string,
  dir: string,
  storageFactory: RunOptions['storageFactory'],
  /** Set for a storage that cannot hold native histograms: the cases that need them (NATIVE_HISTOGRAM_CASES) are skipped with this reason. */
  nativeHistogramSkip?: string,
): {
  title: string;
  files: string[];
  cases(file: string): ScriptCase[];
  run(file: string): Promise<Map<number, ScriptOutcome>>;
} {
  return {
    title,
    files: readdirSync(dir)
      .filter((f) => f.endsWith('.test'))
      .sort(),
    cases: (file) => scriptCases(readFileSync(join(dir, file), 'utf8'), file, nativeHistogramSkip),
    run: async (file) => {
      const skip = new Map<number, string>();
      for (const c of scriptCases(readFileSync(join(dir, file), 'utf8'), file, nativeHistogramSkip)) if (c.skip !== undefined) skip.set(c.id, c.skip);
      const results = await runTestFile(join(dir, file), { storageFactory, skip });
      return new Map(results.map((r) => [r.line, { status: r.status, message: r.message }]));
    },
  };
}

/**
 * The cases of one script (`file` names it in the skip list), in file order; with
 * `nativeHistogramSkip`, the cases that need native histograms in storage are skipped for that
 * reason too.
 */
export function scriptCases(text: string, file: string, nativeHistogramSkip?: string): ScriptCase[] {
  const skip = skipMapFor(file);
  const lines = text.split('\n');
  const cases: ScriptCase[] = [];
  const histogramFile = NATIVE_HISTOGRAM_CASES.all.includes(file);
  const histogramLines = new Set(NATIVE_HISTOGRAM_CASES.lines[file] ?? []);
  for (const cmd of readScript(text)) {
    if (cmd.kind === 'clear') continue;
    const histograms = histogramFile || histogramLines.has(cmd.line);
    const reason = skip.all ?? skip.lines.get(cmd.line) ?? (histograms ? nativeHistogramSkip : undefined);
    cases.push({ id: cmd.line, title: `line ${cmd.line}: ${lines[cmd.line - 1]!.trim()}`, skip: reason });
  }
  return cases;
}
