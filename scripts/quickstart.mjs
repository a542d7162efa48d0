// The README's two commands: `npm start` (install, build, run the local stack) and `npm test`
// (install, build, then lint, type check, unused-code check and every test).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pnpm, root } from './pnpm.mjs';

const RESULTS = join(root, 'node_modules/.cache/pyrometer/vitest-results.json');

/** Prints the test totals as one plain line (`tests: N passed, N failed, N skipped`). */
function printTotals() {
  if (!existsSync(RESULTS)) return;
  const r = JSON.parse(readFileSync(RESULTS, 'utf8'));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
}

const command = process.argv[2];
if (command !== 'start' && command !== 'test') {
  console.error('usage: node scripts/quickstart.mjs start|test');
  process.exit(2);
}

const ci = process.env.CI === 'true';
pnpm(['install', ci ? '--frozen-lockfile' : '--prefer-offline', '--reporter=append-only']);
pnpm(['run', 'build']);
if (command === 'test') {
  rmSync(RESULTS, { force: true });
  process.on('exit', printTotals);
  pnpm(['run', 'check']);
} else await import('./stack.mjs');
