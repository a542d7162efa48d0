import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTestFile, skipMapFor } from '@pyrometer/promql';
import { conformanceDir } from '@pyrometer/testkit';
import { Tsdb } from '@pyrometer/tsdb';
import { describe, expect, it } from 'vitest';

// Prometheus's PromQL script suite against the real TSDB (a fresh database in a temp dir per
// `load`/`clear`), the same runner and skip list as packages/promql's run on MemoryStorage. This
// lives in the server because it is the only place where the TSDB meets PromQL.

const dir = conformanceDir('promql');
const files = readdirSync(dir).filter((f) => f.endsWith('.test')).sort();

/** Test data spans from 1970 on, so the TSDB's clock is set to the epoch and nothing is out of bounds. */
async function openTestTsdb(): Promise<Tsdb & { close(): Promise<void> }> {
  const path = mkdtempSync(join(tmpdir(), 'pyrometer-promqltest-'));
  const tsdb = await Tsdb.open(path, { walEnabled: false, compactionInterval: 0, now: () => 0, maxFutureDuration: Number.MAX_SAFE_INTEGER, outOfOrderWindow: Number.MAX_SAFE_INTEGER });
  const close = tsdb.close.bind(tsdb);
  return Object.assign(tsdb, {
    close: async () => {
      await close();
      rmSync(path, { recursive: true, force: true });
    },
  });
}

describe('promqltest conformance (TSDB)', () => {
  it.each(files.map((name) => ({ name })))('$name', async ({ name }) => {
    const skip = skipMapFor(name);
    if (skip.all !== undefined) {
      console.log(`${name} (TSDB): 0 passed, 0 failed, all skipped (${skip.all})`);
      return;
    }
    const results = await runTestFile(join(dir, name), { storageFactory: openTestTsdb, skip: skip.lines });
    const failed = results.filter((r) => r.status === 'failed');
    console.log(`${name} (TSDB): ${results.filter((r) => r.status === 'passed').length} passed, ${failed.length} failed, ${results.filter((r) => r.status === 'skipped').length} skipped`);
    for (const f of failed) console.log(`  ${name}:${f.line} ${f.expr}\n    ${f.message}`);
    expect(failed.map((f) => `${f.line}: ${f.message}`)).toEqual([]);
  }, 120_000);
});
