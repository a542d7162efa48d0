import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir, repoRoot, tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { testSummary } from './test-summary.mjs';

const test = (suite: string, file: string, status: string) => ({ ancestorTitles: [`conformance: ${suite}`, file], status });

describe('testSummary', () => {
  it('prints one line per conformance file and totals that count skipped tests as skipped', () => {
    const lines = testSummary({
      numPassedTests: 3,
      numFailedTests: 1,
      numPendingTests: 3,
      numTodoTests: 1,
      testResults: [
        {
          assertionResults: [
            test('promqltest (TSDB head)', 'b.test', 'passed'),
            test('promqltest (TSDB head)', 'b.test', 'failed'),
            test('promqltest (TSDB head)', 'a.test', 'skipped'),
            test('promqltest (MemoryStorage)', 'a.test', 'passed'),
            test('promqltest (MemoryStorage)', 'a.test', 'skipped'),
            { ancestorTitles: ['runTestFile'], status: 'passed' },
            { ancestorTitles: ['conformance: promqltest (MemoryStorage)', 'a.test'], status: 'todo' },
          ],
        },
      ],
    });
    expect(lines).toEqual([
      'conformance, per upstream file:',
      '  promqltest (MemoryStorage)  a.test  1 passed, 0 failed, 2 skipped',
      '  promqltest (TSDB head)      a.test  0 passed, 0 failed, 1 skipped',
      '  promqltest (TSDB head)      b.test  1 passed, 1 failed, 0 skipped',
      'tests: 3 passed, 1 failed, 4 skipped',
    ]);
  });

  it('prints only the totals when no conformance suite ran', () => {
    expect(testSummary({ numPassedTests: 2, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0, testResults: [] })).toEqual(['tests: 2 passed, 0 failed, 0 skipped']);
  });
});

describe("vitest's JSON report of a conformance file", () => {
  it('counts every skipped case as skipped, and the summary prints the file with them', () => {
    const root = repoRoot();
    const out = join(tempDir(), 'results.json');
    const run = spawnSync(
      join(root, 'node_modules', '.bin', 'vitest'),
      ['run', 'packages/promql/src/promqltest/conformance.test.ts', '-t', 'native_histograms.test', '--reporter=json', `--outputFile.json=${out}`],
      { cwd: root, encoding: 'utf8', timeout: 120_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const results = JSON.parse(readFileSync(out, 'utf8')) as Parameters<typeof testSummary>[0];
    // Each load and eval of native_histograms.test is one test; the skip list's cases of it are skipped tests.
    const cases = readFileSync(join(conformanceDir('promql'), 'native_histograms.test'), 'utf8').split('\n').filter((l) => /^(load|eval)/.test(l)).length;
    expect(cases).toBeGreaterThan(400);
    const fileTests = (results.testResults as { assertionResults: { ancestorTitles: string[]; status: string }[] }[])
      .flatMap((r) => r.assertionResults)
      .filter((a) => a.ancestorTitles.includes('native_histograms.test'));
    expect(fileTests).toHaveLength(cases);
    const skipped = fileTests.filter((a) => a.status !== 'passed').length;
    expect(skipped).toBeGreaterThan(0);
    const row = testSummary(results).find((l) => l.includes('native_histograms.test'));
    expect(row).toMatch(new RegExp(`^  promqltest \\(MemoryStorage\\) +native_histograms\\.test +${cases - skipped} passed, 0 failed, ${skipped} skipped$`));
  }, 150_000);
});
