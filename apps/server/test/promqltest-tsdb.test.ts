import { Labels, Matcher, MatchType } from '@pyrometer/model';
import { promqlConformanceSuite, type TestStorage } from '@pyrometer/promql';
import { ValueType } from '@pyrometer/storage';
import { conformanceDir, describeConformance } from '@pyrometer/testkit';
import { AttachedBlocks } from '@pyrometer/tsdb';
import { describe, expect, it } from 'vitest';
import { RemoteQueryable } from '../src/query/remote-queryable.js';
import { ScriptTsdb } from './script-tsdb.js';
import { workerChannel, type ChannelLog } from './worker-channel.js';

// Prometheus's PromQL script suite against the real TSDB, the same runner and skip list as
// packages/promql's run on MemoryStorage, twice: reading the head (WAL on, no out-of-order
// window), and reading only blocks the head was compacted into. This lives in the server because
// it is the only place where the TSDB meets PromQL. Both run again through the query workers'
// storage proxy: regex matchers resolved to value sets, head series packed (labels only the first
// time a series is sent), structured-cloned as between threads, the lent blocks read by the worker side itself, merged and decoded there.
// The TSDB has no histogram chunks yet (its appender refuses native histograms), so the cases that
// need histograms in storage are skipped here with that reason, beside the shared list.
const dir = conformanceDir('promql');
const NO_TSDB_HISTOGRAMS = 'the TSDB does not store native histograms yet (no histogram chunks or WAL records; its appender refuses them)';
describeConformance(promqlConformanceSuite('promqltest (TSDB head)', dir, () => ScriptTsdb.open('head'), NO_TSDB_HISTOGRAMS));
describeConformance(promqlConformanceSuite('promqltest (TSDB blocks)', dir, () => ScriptTsdb.open('blocks'), NO_TSDB_HISTOGRAMS));
describeConformance(promqlConformanceSuite('promqltest (TSDB head, worker storage proxy)', dir, () => proxied('head'), NO_TSDB_HISTOGRAMS));
describeConformance(promqlConformanceSuite('promqltest (TSDB blocks, worker storage proxy)', dir, () => proxied('blocks'), NO_TSDB_HISTOGRAMS));

/** A script TSDB queried the way a query worker queries it. */
async function proxied(mode: 'head' | 'blocks'): Promise<TestStorage> {
  const storage = await ScriptTsdb.open(mode);
  const log: ChannelLog = { calls: [], releases: [] };
  const remote = new RemoteQueryable(workerChannel(() => storage.readDb(), log), new AttachedBlocks(1 << 20));
  const close = async (): Promise<void> => {
    for (const release of log.releases.splice(0)) release();
    await storage.close();
  };
  return { appender: () => storage.appender(), querier: (mint, maxt) => remote.querier(mint, maxt), close };
}

const HOUR = 3_600_000;

describe('ScriptTsdb', () => {
  it.each([
    { mode: 'head' as const, blocks: [] },
    { mode: 'blocks' as const, blocks: [[0, 2], [2, 4], [4, 6], [6, 8]] },
  ])('$mode mode reads every loaded sample from blocks $blocks', async ({ mode, blocks }) => {
    const storage = await ScriptTsdb.open(mode);
    const app = storage.appender();
    for (let i = 0; i <= 6 * 60; i++) app.append(0, Labels.from({ __name__: 'x' }), i * 60_000, i);
    await app.commit();
    const q = await storage.querier(0, 6 * HOUR);
    const [series] = (await q.select([new Matcher(MatchType.Equal, '__name__', 'x')])).series;
    const it = series!.iterator();
    let n = 0;
    while (it.next() !== ValueType.None) expect(it.atF()).toBe(n++);
    expect(n).toBe(6 * 60 + 1);
    await q.close();
    const db = await storage.readDb();
    expect(db.blockMetas().map((m) => [m.minTime / HOUR, m.maxTime / HOUR])).toEqual(blocks);
    expect(db.head.minT === Infinity).toBe(mode === 'blocks');
    await storage.close();
  });
});
