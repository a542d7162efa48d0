// The README's two commands: `npm start` (install, build, run the local stack) and `npm test`
// (install, build, then lint, type check, unused-code check and every test).
import { pnpm } from './pnpm.mjs';

const command = process.argv[2];
if (command !== 'start' && command !== 'test') {
  console.error('usage: node scripts/quickstart.mjs start|test');
  process.exit(2);
}

const ci = process.env.CI === 'true';
pnpm(['install', ci ? '--frozen-lockfile' : '--prefer-offline', '--reporter=append-only']);
pnpm(['run', 'build']);
if (command === 'test') pnpm(['run', 'check']);
else await import('./stack.mjs');
