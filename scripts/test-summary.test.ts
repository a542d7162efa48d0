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
