// The summary `npm test` ends with, read from vitest's JSON report: one line per conformance file
// (suites defined with @pyrometer/testkit's describeConformance, whose titles start with
// "conformance: "), then the totals. Skipped tests are counted as skipped, never as passed.

const CONFORMANCE_PREFIX = 'conformance: ';

/**
 * @param {{ numPassedTests: number, numFailedTests: number, numPendingTests: number, numTodoTests: number,
 *   testResults: { assertionResults: { ancestorTitles: string[], status: string }[] }[] }} results vitest's JSON report
 * @returns {string[]} the summary lines
 */
export function testSummary(results) {
  /** @type {Map<string, { suite: string, file: string, passed: number, failed: number, skipped: number }>} */
  const files = new Map();
  for (const testFile of results.testResults) {
    for (const test of testFile.assertionResults) {
      const [suiteTitle, file] = test.ancestorTitles;
      if (suiteTitle === undefined || file === undefined || !suiteTitle.startsWith(CONFORMANCE_PREFIX)) continue;
      const suite = suiteTitle.slice(CONFORMANCE_PREFIX.length);
      const key = `${suite}\0${file}`;
      let counts = files.get(key);
      if (counts === undefined) files.set(key, (counts = { suite, file, passed: 0, failed: 0, skipped: 0 }));
      if (test.status === 'passed') counts.passed++;
      else if (test.status === 'failed') counts.failed++;
      else counts.skipped++;
    }
  }
  const lines = [];
  if (files.size > 0) {
    lines.push('conformance, per upstream file:');
    const rows = [...files.values()].sort((a, b) => (a.suite === b.suite ? compare(a.file, b.file) : compare(a.suite, b.suite)));
    const suiteWidth = Math.max(...rows.map((r) => r.suite.length));
    const fileWidth = Math.max(...rows.map((r) => r.file.length));
    for (const r of rows) lines.push(`  ${r.suite.padEnd(suiteWidth)}  ${r.file.padEnd(fileWidth)}  ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
  }
  lines.push(`tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests + results.numTodoTests} skipped`);
  return lines;
}

/** @param {string} a @param {string} b */
function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
