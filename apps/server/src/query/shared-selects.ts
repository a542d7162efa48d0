import type { Matcher } from '@pyrometer/model';
import type { Expr } from '@pyrometer/promql/parser';
import { inspect } from '@pyrometer/promql/parser';
import type { SeriesChunks } from '@pyrometer/tsdb';

/** What one select read: the series of each lent block, then the head's, still encoded; and the storage's warnings. */
export interface SelectedChunks {
  sources: SeriesChunks[][];
  warnings: string[];
}

/**
 * The selects a rule batch's queries share (many rules of a group read the same series at the same
 * time): a select of the same matchers over the same range as an earlier one of the batch reuses
 * its chunks instead of asking the main thread again, so the batch costs the ingestion thread one
 * storage call per distinct selector. Only selectors that more than one query of the batch reads
 * are kept, and only until the last of those queries has read them: keeping every answer to the
 * end of the batch made the worker's young generation copy and promote them, which cost more than
 * the storage calls saved. The batch's queries then read one snapshot of the head, as the selects
 * of one query do. One instance per batch.
 */
export class SharedSelects {
  /** Per selector (matchers), how many of the batch's queries are still to read it. */
  private readonly readersLeft = new Map<string, number>();
  /** Per selector, its chunks by range, while a later query will read them. */
  private readonly kept = new Map<string, Map<string, Promise<SelectedChunks>>>();

  /** The selects the queries `exprs` of a batch will make (the engine selects each distinct selector of a query once). */
  constructor(exprs: readonly Expr[]) {
    for (const expr of exprs) {
      const selectors = new Set<string>();
      inspect(expr, (n) => {
        if (n.type === 'VectorSelector') selectors.add(matchersKey(n.matchers));
      });
      for (const key of selectors) this.readersLeft.set(key, (this.readersLeft.get(key) ?? 0) + 1);
    }
  }

  /** The chunks `matchers` select over [mint, maxt]: an earlier select's when kept, else `fetch`'s (kept when a later query reads them). */
  select(mint: number, maxt: number, matchers: readonly Matcher[], fetch: () => Promise<SelectedChunks>): Promise<SelectedChunks> {
    const selector = matchersKey(matchers);
    const range = `${mint} ${maxt}`;
    const left = this.readersLeft.get(selector) ?? 0;
    const byRange = this.kept.get(selector);
    const earlier = byRange?.get(range);
    if (left <= 1) {
      // The selector's last reader: nothing to keep for anyone after it.
      this.readersLeft.delete(selector);
      this.kept.delete(selector);
      return earlier ?? fetch();
    }
    this.readersLeft.set(selector, left - 1);
    if (earlier !== undefined) return earlier;
    const chunks = fetch();
    const ranges = byRange ?? new Map<string, Promise<SelectedChunks>>();
    ranges.set(range, chunks);
    this.kept.set(selector, ranges);
    // A failed select is not kept: the next reader asks again.
    chunks.catch(() => ranges.delete(range));
    return chunks;
  }
}

/** Identifies a selector by its matchers, in order (the same selector text gives the same order). */
function matchersKey(matchers: readonly Matcher[]): string {
  let key = '';
  for (const m of matchers) key += `\u0000${m.type}\u0000${m.name}\u0000${m.value}`;
  return key;
}
