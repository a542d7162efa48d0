import { Labels } from '@pyrometer/model';
import type { Engine, Sample, Value } from '@pyrometer/promql';
import type { Queryable } from '@pyrometer/storage';
import { RulesError } from './errors.js';

/**
 * Runs an instant query for rule evaluation (upstream's `rules.QueryFunc`): `query` is PromQL text,
 * `t` the evaluation time in ms. Resolves to an instant vector (a scalar result becomes one sample
 * without labels); rejects with the engine's error. Implementations may run anywhere (the event
 * loop, worker threads) and must honour `signal`.
 */
export type QueryFunc = (query: string, t: number, options?: { signal?: AbortSignal }) => Promise<Sample[]>;

/** Something that evaluates an instant query to a PromQL value (the engine, or a query service in front of it). */
export type InstantQuery = (query: string, t: number, options: { signal?: AbortSignal }) => Promise<Value>;

/** One query's outcome in a {@link BatchQueryFunc}: its vector or its error, and how long evaluating it took (ms). */
export type BatchAnswer = { ok: true; vector: Sample[]; durationMs: number } | { ok: false; error: Error; durationMs: number };

/**
 * Runs several instant queries at the same time `t` (ms) in one go and resolves to one answer per
 * query, in order; a failing query fails only its own answer. Rejects as a whole only when the
 * batch could not run (canceled through `signal`, the evaluator gone). Rules use it to evaluate
 * the queries of rules that do not read each other's output in one task (see `prefetch.ts`).
 */
export type BatchQueryFunc = (queries: readonly string[], t: number, options?: { signal?: AbortSignal }) => Promise<BatchAnswer[]>;

/** A query's outcome as a runner of batches of PromQL values answers it (see {@link batchQueryFuncOf}). */
export type ValueAnswer = { ok: true; value: Value; durationMs: number } | { ok: false; error: Error; durationMs: number };

/** A {@link BatchQueryFunc} over a runner of batches of instant queries answering PromQL values (converted as {@link queryFuncOf} does). */
export function batchQueryFuncOf(run: (queries: readonly string[], t: number, options: { signal?: AbortSignal }) => Promise<ValueAnswer[]>): BatchQueryFunc {
  return async (queries, t, options = {}) =>
    (await run(queries, t, options)).map((a): BatchAnswer => {
      if (!a.ok) return a;
      try {
        return { ok: true, vector: vectorOf(a.value), durationMs: a.durationMs };
      } catch (error) {
        return { ok: false, error: error as Error, durationMs: a.durationMs };
      }
    });
}

/**
 * A {@link QueryFunc} over an instant-query runner: vectors pass through, scalars become one
 * unlabelled sample, anything else is a `result_type` error (upstream's `EngineQueryFunc`).
 */
export function queryFuncOf(instantQuery: InstantQuery): QueryFunc {
  return async (query, t, options = {}) => vectorOf(await instantQuery(query, t, options));
}

/** A {@link QueryFunc} evaluating on `engine` over `queryable` in the calling thread. */
export function engineQueryFunc(engine: Engine, queryable: Queryable): QueryFunc {
  return queryFuncOf(async (query, t, { signal }) => (await engine.instantQuery(queryable, query, t).exec(signal)).value);
}

function vectorOf(value: Value): Sample[] {
  switch (value.type) {
    case 'vector':
      return value.samples;
    case 'scalar':
      return [{ metric: Labels.EMPTY, t: value.t, f: value.v }];
    default:
      throw new RulesError('result_type', 'rule result is not a vector or scalar');
  }
}
