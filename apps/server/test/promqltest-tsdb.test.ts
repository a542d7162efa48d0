import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTestFile, skipMapFor, type TestStorage } from '@pyrometer/promql';
import { conformanceDir } from '@pyrometer/testkit';
import { Tsdb } from '@pyrometer/tsdb';
import { describe, expect, it } from 'vitest';
import { RemoteQueryable } from '../src/query/remote-queryable.js';
import { answerStorageCall } from '../src/query/storage-host.js';

// Prometheus's PromQL script suite against the real TSDB (a fresh database in a temp dir per
// `load`/`clear`), the same runner and skip list as packages/promql's run on MemoryStorage. This
// lives in the server because it is the only place where the TSDB meets PromQL. It runs twice:
// on the TSDB directly, and through the query workers' storage proxy (regex matchers resolved to
// value sets, series packed, structured-cloned as between threads, decoded on the other side).

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

/** The same TSDB, queried the way a query worker queries it. */
async function openProxiedTsdb(): Promise<TestStorage> {
  const tsdb = await openTestTsdb();
  const remote = new RemoteQueryable(async (call) => {
    const answer = await answerStorageCall(tsdb, call, { aborted: false });
    return structuredClone(answer.result, { transfer: answer.transfer });
  });
  return { appender: () => tsdb.appender(), querier: (mint, maxt) => remote.querier(mint, maxt), close: () => tsdb.close() };
}

const flavours = [
  { flavour: 'TSDB', storageFactory: openTestTsdb },
  { flavour: 'TSDB via the worker storage proxy', storageFactory: openProxiedTsdb },
];

describe.each(flavours)('promqltest conformance ($flavour)', ({ flavour, storageFactory }) => {
  it.each(files.map((name) => ({ name })))('$name', async ({ name }) => {
    const skip = skipMapFor(name);
    if (skip.all !== undefined) {
      console.log(`${name} (${flavour}): 0 passed, 0 failed, all skipped (${skip.all})`);
      return;
    }
    const results = await runTestFile(join(dir, name), { storageFactory, skip: skip.lines });
    const failed = results.filter((r) => r.status === 'failed');
    console.log(`${name} (${flavour}): ${results.filter((r) => r.status === 'passed').length} passed, ${failed.length} failed, ${results.filter((r) => r.status === 'skipped').length} skipped`);
    for (const f of failed) console.log(`  ${name}:${f.line} ${f.expr}\n    ${f.message}`);
    expect(failed.map((f) => `${f.line}: ${f.message}`)).toEqual([]);
  }, 120_000);
});
