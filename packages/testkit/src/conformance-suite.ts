import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The title prefix of every suite {@link describeConformance} defines. `scripts/quickstart.mjs`
 * finds conformance results in vitest's JSON report by it, to print the per-file summary.
 */
export const CONFORMANCE_TITLE_PREFIX = 'conformance: ';

/** One case of an upstream conformance file, known before anything runs. */
export interface ConformanceCase {
  /** Unique within its file (e.g. the 1-based line of the case's command). */
  readonly id: number;
  /** The test's name, e.g. `line 12: eval instant at 5m sum(x)`. */
  readonly title: string;
  /** Why the case does not run; the case is then reported as skipped with this reason. */
  readonly skip?: string | undefined;
}

/** What running a case did. */
export interface ConformanceOutcome {
  readonly status: 'passed' | 'failed' | 'skipped';
  /** Why it failed. */
  readonly message?: string | undefined;
}

/** A suite of upstream files whose cases become one vitest test each. */
export interface ConformanceSuite {
  /** e.g. `promqltest (MemoryStorage)`; printed in every per-file line. */
  readonly title: string;
  readonly files: readonly string[];
  /** The cases of a file, in file order, with the skipped ones marked (runs at collection time). */
  cases(file: string): readonly ConformanceCase[];
  /** Runs every case of a file that is not skipped, once, returning outcomes by case id. */
  run(file: string): Promise<ReadonlyMap<number, ConformanceOutcome>>;
  /** Time allowed for one file's run (default 120 s). */
  readonly timeoutMs?: number;
}

/**
 * Defines `describe("conformance: <title>") > describe(<file>) > it(<case>)`: each case is its own
 * test, so vitest's totals (and its JSON report) count skipped cases as skipped, with the reason in
 * the test's name. A file runs once, before its cases are checked; after the suite, one line per
 * file `<file> (<title>): N passed, N failed, N skipped` goes to the output.
 */
export function describeConformance(suite: ConformanceSuite): void {
  describe(`${CONFORMANCE_TITLE_PREFIX}${suite.title}`, () => {
    const summaries: string[] = [];
    // One place for every file's line, so a file whose cases are all skipped (its own hooks never
    // run) is reported too.
    afterAll(() => console.log(summaries.join('\n')));
    for (const file of suite.files) {
      const cases = suite.cases(file);
      let outcomes: ReadonlyMap<number, ConformanceOutcome> = new Map();
      const ran = cases.filter((c) => c.skip === undefined);
      summaries.push(`${file} (${suite.title}): 0 passed, 0 failed, ${cases.length} skipped`);
      const line = summaries.length - 1;
      describe(file, () => {
        beforeAll(async () => {
          outcomes = await suite.run(file);
        }, suite.timeoutMs ?? 120_000);
        afterAll(() => {
          const passed = ran.filter((c) => outcomes.get(c.id)?.status === 'passed').length;
          summaries[line] = `${file} (${suite.title}): ${passed} passed, ${ran.length - passed} failed, ${cases.length - ran.length} skipped`;
        });
        for (const c of cases) {
          if (c.skip !== undefined) {
            it.skip(`${c.title} [skipped: ${c.skip}]`, () => {});
            continue;
          }
          it(c.title, () => {
            const outcome = outcomes.get(c.id);
            expect(outcome, `${file}: no outcome for case ${c.id}`).toBeDefined();
            if (outcome?.status !== 'passed') expect.fail(`${file}:${c.id}: ${outcome?.message ?? outcome?.status}`);
          });
        }
      });
    }
  });
}
