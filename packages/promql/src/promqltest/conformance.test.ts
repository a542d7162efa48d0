import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryStorage } from '@pyrometer/storage';
import { conformanceDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { runTestFile } from './runner.js';
import { skipMapFor } from './skip-list.js';

const dir = conformanceDir('promql');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.test'))
  .sort();

// Prometheus's own PromQL script suite against the in-memory storage. Cases named in the skip
// list (with their reasons) are reported as skipped; every other case must pass.
describe('promqltest conformance (MemoryStorage)', () => {
  it.each(files.map((name) => ({ name })))('$name', async ({ name }) => {
    const skip = skipMapFor(name);
    if (skip.all !== undefined) {
      console.log(`${name}: 0 passed, 0 failed, all skipped (${skip.all})`);
      return;
    }
    const results = await runTestFile(join(dir, name), { storageFactory: () => new MemoryStorage(), skip: skip.lines });
    const passed = results.filter((r) => r.status === 'passed').length;
    const failed = results.filter((r) => r.status === 'failed');
    const skipped = results.filter((r) => r.status === 'skipped').length;
    console.log(`${name}: ${passed} passed, ${failed.length} failed, ${skipped} skipped`);
    for (const f of failed) console.log(`  ${name}:${f.line} ${f.expr}\n    ${f.message}`);
    expect(failed.map((f) => `${f.line}: ${f.message}`)).toEqual([]);
  }, 120_000);
});
