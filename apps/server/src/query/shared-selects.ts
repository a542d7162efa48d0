import type { Matcher } from '@pyrometer/model';
import type { Expr } from '@pyrometer/promql/parser';
import { inspect } from '@pyrometer/promql/parser';
import type { SeriesChunks } from '@pyrometer/tsdb';

/** What one select read: the series of each lent block, then the head's, still encoded; and the storage's warnings. */
export interface SelectedChunks {
  sources: SeriesChunks[][];
  warnings: string[];
}

/** Reads the chunks of the selected series over [mint, maxt] from storage. */
export type FetchChunks = (mint: number, maxt: number) => Promise<SelectedChunks>;

/** One query of a batch: its expression and the range its querier opens over (`Engine.instantQueryRange`). */
export interface BatchQuery {
  expr: Expr;
  mint: number;
  maxt: number;
}

/** A selector several queries of the batch read: the union of their ranges, its readers still to come, and its chunks once fetched. */
interface SharedSelector {
  mint: number;
  maxt: number;
  readersLeft: number;
  chunks: Promise<SelectedChunks> | undefined;
}

/**
 * The selects a rule batch's queries share (many rules of a group read the same series at the same
 * time, over ranges that differ by their range selectors): the first select of a selector that
 * several queries read fetches its chunks over the union of their ranges, and the later readers
 * reuse them (each bounded to its own range, as it would read its own answer), so the batch costs
 * the ingestion thread one storage call per distinct selector. Chunks are kept only until the last
 * reader has them: keeping every answer to the end of the batch made the worker's young
 * generation copy and promote them, which cost more than the storage calls saved. The batch's
 * queries then read one snapshot of the head for a shared selector, as the selects of one query
 * do. A select the batch's analysis did not foresee (outside the union) asks storage itself. One
 * instance per batch.
 */
export class SharedSelects {
  private readonly selectors = new Map<string, SharedSelector>();

  /** The selects `queries` will make: the engine selects each distinct selector of a query once, over the query's range. */
  constructor(queries: readonly BatchQuery[]) {
    for (const { expr, mint, maxt } of queries) {
      for (const key of selectorKeys(expr)) {
        const s = this.selectors.get(key);
        if (s === undefined) this.selectors.set(key, { mint, maxt, readersLeft: 1, chunks: undefined });
        else {
          s.mint = Math.min(s.mint, mint);
          s.maxt = Math.max(s.maxt, maxt);
          s.readersLeft++;
        }
      }
    }
    for (const [key, s] of this.selectors) if (s.readersLeft < 2) this.selectors.delete(key);
  }

  /** The chunks `matchers` select over (at least) [mint, maxt]: a shared selector's, fetched once over its readers' union, else `fetch`'s own. */
  select(mint: number, maxt: number, matchers: readonly Matcher[], fetch: FetchChunks): Promise<SelectedChunks> {
    const key = matchersKey(matchers);
    const shared = this.selectors.get(key);
    if (shared === undefined || mint < shared.mint || maxt > shared.maxt) return fetch(mint, maxt);
    if (--shared.readersLeft === 0) this.selectors.delete(key);
    if (shared.chunks === undefined) {
      const chunks = fetch(shared.mint, shared.maxt);
      shared.chunks = chunks;
      // A failed select is not kept: the next reader asks again.
      chunks.catch(() => {
        if (shared.chunks === chunks) shared.chunks = undefined;
      });
    }
    return shared.chunks;
  }
}

/** The distinct selectors of each parsed expression (a rule's stays parsed across rounds, see parsed-query-cache.ts). */
const selectorKeysOf = new WeakMap<Expr, readonly string[]>();

/** The keys of the distinct selectors `expr` reads, worked out once per parsed expression. */
function selectorKeys(expr: Expr): readonly string[] {
  let keys = selectorKeysOf.get(expr);
  if (keys === undefined) {
    const distinct = new Set<string>();
    inspect(expr, (n) => {
      if (n.type === 'VectorSelector') distinct.add(matchersKey(n.matchers));
    });
    keys = [...distinct];
    selectorKeysOf.set(expr, keys);
  }
  return keys;
}

/** Identifies a selector by its matchers, in order (the same selector text gives the same order). */
function matchersKey(matchers: readonly Matcher[]): string {
  let key = '';
  for (const m of matchers) key += `\u0000${m.type}\u0000${m.name}\u0000${m.value}`;
  return key;
}
