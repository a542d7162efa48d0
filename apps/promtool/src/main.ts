#!/usr/bin/env node
import { runPromtool } from './app.js';
import { processIO } from './io.js';

// The pyrometer-promtool binary: promtool's commands, output and exit codes.
runPromtool(process.argv.slice(2), processIO()).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`pyrometer-promtool: error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
