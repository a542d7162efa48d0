import type { BatchAnswer, BatchQueryFunc, QueryFunc } from './query-func.js';
import type { BaseRule } from './rule.js';

/**
 * Splits a group's rules (indexes, in file order) into runs of consecutive rules none of which
 * reads the output of an earlier rule of its run (the dependency analysis of `dependencies.ts`).
 * Evaluating a run's queries together therefore gives each rule what it would have seen one rule
 * after another: the rules it reads belong to earlier runs, whose output is committed first. With
 * dependencies unknown (a selector without a metric name) every rule is a run of its own.
 */
export function independentRuns(rules: readonly BaseRule[]): number[][] {
  const runs: number[][] = [];
  let current: number[] = [];
  let members = new Set<BaseRule>();
  rules.forEach((rule, i) => {
    const readsRun = rule.dependencies === undefined || rule.dependencies.some((d) => members.has(d));
    if (readsRun && current.length > 0) {
      runs.push(current);
      current = [];
      members = new Set();
    }
    current.push(i);
    members.add(rule);
  });
  if (current.length > 0) runs.push(current);
  return runs;
}

/** A rule's query answered ahead of its evaluation: the query function the rule evaluates with, and the time its query took. */
export interface PrefetchedQuery {
  query: QueryFunc;
  durationMs: number;
}

/**
 * Evaluates the queries of `rules` at `t` in one batch and returns, per rule, a query function that
 * answers the rule's own query at `t` once from the batch and sends anything else (a template's
 * `query`) to `query`. A batch that cannot run fails every rule with its error.
 */
export async function prefetchQueries(rules: readonly BaseRule[], t: number, batch: BatchQueryFunc, query: QueryFunc, signal: AbortSignal | undefined): Promise<PrefetchedQuery[]> {
  const options = signal === undefined ? {} : { signal };
  let answers: BatchAnswer[];
  try {
    answers = await batch(rules.map((r) => r.query), t, options);
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    answers = rules.map(() => ({ ok: false, error, durationMs: 0 }));
  }
  return rules.map((rule, i) => {
    let answer: BatchAnswer | undefined = answers[i];
    const prefetched: QueryFunc = (q, at, opts) => {
      const own = answer;
      if (own === undefined || q !== rule.query || at !== t) return query(q, at, opts);
      answer = undefined;
      return own.ok ? Promise.resolve(own.vector) : Promise.reject(own.error);
    };
    return { query: prefetched, durationMs: answers[i]?.durationMs ?? 0 };
  });
}
