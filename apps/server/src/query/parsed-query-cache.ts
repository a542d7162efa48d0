import type { Engine, ParsedQuery } from '@pyrometer/promql';

/** How many expressions a worker keeps parsed by default: far more than a large rule set has; past it the cache starts over. */
const DEFAULT_MAX_ENTRIES = 4096;

/**
 * The query texts a query worker has parsed, kept across requests: a rule group sends the same
 * texts every round (parsing them again was a tenth of a worker's share of a round), and a
 * dashboard the same ones at every refresh (parsing was ~70 µs of a 2 ms query). Keyed by
 * the text, so a reload that changes a rule simply asks for a new text; the entries of rules gone
 * by a reload stay until the cache is full, when it is emptied and fills again from the rules
 * still evaluated. A text that fails to parse is not kept (it fails again, with the same error).
 */
export class ParsedQueryCache {
  private readonly parsed = new Map<string, ParsedQuery>();

  constructor(
    private readonly engine: Engine,
    private readonly maxEntries = DEFAULT_MAX_ENTRIES,
  ) {}

  /** The parsed and validated `text`; throws the engine's `bad_data` error for a bad one. */
  get(text: string): ParsedQuery {
    let query = this.parsed.get(text);
    if (query === undefined) {
      query = this.engine.parseQuery(text);
      if (this.parsed.size >= this.maxEntries) this.parsed.clear();
      this.parsed.set(text, query);
    }
    return query;
  }

  /** How many expressions are kept (for tests). */
  get size(): number {
    return this.parsed.size;
  }
}
