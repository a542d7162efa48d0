import { Labels, Matcher, MatchType, type Matcher as M } from '@pyrometer/model';
import { ValueType, type Queryable } from '@pyrometer/storage';
import { tempDir } from '@pyrometer/testkit';
import { AttachedBlocks, Tsdb } from '@pyrometer/tsdb';
import { parseExpr, type VectorSelector } from '@pyrometer/promql/parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerChannel, type ChannelLog } from '../../test/worker-channel.js';
import { RemoteQueryable } from './remote-queryable.js';
import { SharedSelects } from './shared-selects.js';

let tsdb: Tsdb;
let remote: RemoteQueryable;
/** The same series, all of them compacted into blocks, and queried the same way. */
let blocksTsdb: Tsdb;
let blocksRemote: RemoteQueryable;
const log: ChannelLog = { calls: [], releases: [] };
const calls = log.calls;

/** The worker's view of `db`: every answer structured-cloned with its buffers transferred, as between threads. */
function workerView(db: Tsdb, shared?: SharedSelects): RemoteQueryable {
  return new RemoteQueryable(workerChannel(() => db, log), new AttachedBlocks(1 << 20), undefined, shared);
}

beforeAll(async () => {
  const sets = [
    { __name__: 'm', a: 'x', b: '1' },
    { __name__: 'm', a: 'y', b: '2' },
    { __name__: 'm', a: 'x.y' },
    { __name__: 'm', b: '3' },
    { __name__: 'm', a: 'z|w', b: '4' },
    { __name__: 'other', a: 'x' },
  ];
  [tsdb, blocksTsdb] = await Promise.all([Tsdb.open(tempDir(), { compactionInterval: 0 }), Tsdb.open(tempDir(), { compactionInterval: 0 })]);
  for (const db of [tsdb, blocksTsdb]) {
    const app = db.appender();
    for (const [i, s] of sets.entries()) for (let t = 0; t < 3; t++) app.append(0, Labels.from(s), 1000 * t, i * 10 + t);
    await app.commit();
  }
  await blocksTsdb.compactHead();
  remote = workerView(tsdb);
  blocksRemote = workerView(blocksTsdb);
});
afterAll(async () => {
  for (const release of log.releases) release();
  await Promise.all([tsdb.close(), blocksTsdb.close()]);
});

async function dump(q: Queryable, matchers: M[], maxt = 10_000): Promise<string[]> {
  const querier = await q.querier(0, maxt);
  const set = await querier.select(matchers, { sortSeries: true });
  return set.series.map((s) => {
    const it = s.iterator();
    const values: number[] = [];
    while (it.next() !== ValueType.None) values.push(it.atF());
    return `${s.labels.toString()} ${values.join(',')}`;
  });
}

const m = (type: MatchType, name: string, value: string) => new Matcher(type, name, value);
const NAME = m(MatchType.Equal, '__name__', 'm');

describe('RemoteQueryable (the storage seam inside a query worker)', () => {
  it.each([
    { name: 'equality', matchers: [NAME, m(MatchType.Equal, 'a', 'x')] },
    { name: 'inequality keeps series without the label', matchers: [NAME, m(MatchType.NotEqual, 'a', 'x')] },
    { name: 'regex', matchers: [NAME, m(MatchType.Regexp, 'a', 'x.*')] },
    { name: 'regex matching the empty string keeps series without the label', matchers: [NAME, m(MatchType.Regexp, 'a', 'y|')] },
    { name: 'literal alternation with an escaped metacharacter', matchers: [NAME, m(MatchType.Regexp, 'a', 'x\\.y|z\\|w')] },
    { name: 'negated regex', matchers: [NAME, m(MatchType.NotRegexp, 'a', 'x.*')] },
    { name: 'negated regex matching the empty string', matchers: [NAME, m(MatchType.NotRegexp, 'a', '.*')] },
    { name: 'negated regex matching nothing', matchers: [NAME, m(MatchType.NotRegexp, 'a', 'nothing')] },
    { name: 'regex matching no value', matchers: [NAME, m(MatchType.Regexp, 'a', 'nothing')] },
    { name: 'regex matching everything (Grafana\'s "All")', matchers: [NAME, m(MatchType.Regexp, 'a', '.*')] },
    { name: 'regex matching every non-empty value', matchers: [NAME, m(MatchType.Regexp, 'a', '.+')] },
    { name: 'negated regex matching every non-empty value', matchers: [NAME, m(MatchType.NotRegexp, 'a', '.+')] },
    { name: 'regex on the name', matchers: [m(MatchType.Regexp, '__name__', '.+'), m(MatchType.Equal, 'a', 'x')] },
    { name: 'a 10k-value alternation', matchers: [NAME, m(MatchType.Regexp, 'b', Array.from({ length: 10_000 }, (_, i) => String(i)).join('|'))] },
  ])('selects as the TSDB does: $name', async ({ matchers }) => {
    const want = await dump(tsdb, matchers);
    expect(await dump(remote, matchers)).toEqual(want);
    expect(blocksTsdb.blockMetas()).toHaveLength(1);
    expect(await dump(blocksTsdb, matchers)).toEqual(want);
    expect(await dump(blocksRemote, matchers), 'reading the lent blocks in the worker').toEqual(want);
  });

  it('sends the main thread value sets, never a regex', async () => {
    calls.length = 0;
    await dump(remote, [NAME, m(MatchType.Regexp, 'a', '(x|y).*'), m(MatchType.NotRegexp, 'b', '[23]')]);
    const select = calls.find((c) => c.call === 'select');
    expect(select?.matchers).toEqual([
      { op: '=', name: '__name__', value: 'm' },
      { op: 'in', name: 'a', values: ['x', 'x.y', 'y'], negate: false },
      { op: 'in', name: 'b', values: ['2', '3'], negate: true },
    ]);
  });

  it('resolves `.*` and `.+` without asking for the label values', async () => {
    calls.length = 0;
    await dump(remote, [NAME, m(MatchType.Regexp, 'a', '.*'), m(MatchType.Regexp, 'b', '.+'), m(MatchType.NotRegexp, 'c', '.*')]);
    expect(calls.map((c) => c.call)).toEqual(['select']);
    expect(calls[0]?.call === 'select' && calls[0].matchers).toEqual([
      { op: '=', name: '__name__', value: 'm' },
      { op: 'in', name: 'a', values: [], negate: true },
      { op: '!=', name: 'b', value: '' },
      { op: 'in', name: 'c', values: [], negate: false },
    ]);
  });

  it('sends a head series\' labels to a worker once, then only its ref', async () => {
    const own: ChannelLog = { calls: [], releases: [], labelStrings: [] };
    const view = new RemoteQueryable(workerChannel(() => tsdb, own), new AttachedBlocks(1 << 20));
    const want = await dump(tsdb, [NAME]);
    expect(await dump(view, [NAME])).toEqual(want);
    expect(await dump(view, [NAME])).toEqual(want);
    // `other` is new to the worker, the five `m` series are not.
    expect(await dump(view, [m(MatchType.Regexp, 'a', 'x')])).toEqual(await dump(tsdb, [m(MatchType.Regexp, 'a', 'x')]));
    // Five series: 2 × 3 + 2 × 2 + 2 × 3 + 2 × 2 + 2 × 3 strings, then none, then `other`'s four.
    expect(own.labelStrings).toEqual([26, 0, 4]);
    for (const release of own.releases) release();
  });

  it('answers label names and values with matchers as the TSDB does', async () => {
    const r = await remote.querier(0, 10_000);
    const t = await tsdb.querier(0, 10_000);
    const matchers = [m(MatchType.Regexp, 'a', 'x.*')];
    expect(await r.labelValues('b', matchers)).toEqual(await t.labelValues('b', matchers));
    expect(await r.labelNames(matchers)).toEqual(await t.labelNames(matchers));
    expect(await r.labelValues('a')).toEqual(await t.labelValues('a'));
  });

  it('with shared selects (a rule batch), asks once per selector over its readers\' ranges while a later query reads it', async () => {
    const selects = () => calls.filter((c) => c.call === 'select');
    for (const db of [tsdb, blocksTsdb]) {
      // Three queries read m{a="x"} (one of them twice, one over a shorter range), one reads m{a="y"}.
      const exprs = ['m{a="x"}', 'sum(m{a="x"}) + count(m{a="x"})', 'rate(m{a="x"}[1m])', 'm{a="y"}'].map((q) => parseExpr(q));
      const ranges = [10_000, 10_000, 1000, 10_000];
      const shared = workerView(db, new SharedSelects(exprs.map((expr, i) => ({ expr, mint: 0, maxt: ranges[i]! }))));
      // The engine selects with the parser's matchers.
      const x = [...(exprs[0] as VectorSelector).matchers];
      const y = [...(exprs[3] as VectorSelector).matchers];
      calls.length = 0;
      expect(await dump(shared, x, 1000), 'the first reader bounded to its own range').toEqual(await dump(db, x, 1000));
      expect(await dump(shared, x)).toEqual(await dump(db, x));
      expect(await dump(shared, [...(parseExpr('m{a="x"}') as VectorSelector).matchers]), 'the same selector again').toEqual(await dump(db, x));
      expect(selects().map((c) => c.maxt), 'one select, over the union of the readers\' ranges').toEqual([10_000]);
      expect(await dump(shared, x), 'a select beyond its readers asks again: nothing is kept past the last reader').toEqual(await dump(db, x));
      expect(await dump(shared, x, 20_000), 'a range beyond the union asks again').toEqual(await dump(db, x, 20_000));
      expect(await dump(shared, y)).toEqual(await dump(db, y));
      expect(await dump(shared, y), 'a selector of one query is never kept').toEqual(await dump(db, y));
      expect(selects()).toHaveLength(5);
      calls.length = 0;
      const unshared = workerView(db);
      await dump(unshared, x);
      await dump(unshared, x);
      expect(selects(), 'without sharing every select asks').toHaveLength(2);
    }
  });
});
