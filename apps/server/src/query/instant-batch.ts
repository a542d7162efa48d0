import { PromQLError, type CancelSignal, type Engine } from '@pyrometer/promql';
import type { Queryable } from '@pyrometer/storage';
import type { BatchValue, InstantBatchTask, TaskFailureCode } from './protocol.js';
import type { ParsedQueryCache } from './parsed-query-cache.js';
import { SharedSelects, type BatchQuery } from './shared-selects.js';
import { valueToWire } from './value-wire.js';

/**
 * Evaluates the queries of an instant batch (the rule evaluator's run of independent rules) one
 * after another at the task's time, in the worker. A query that fails fails only its own answer;
 * a cancellation stops the batch (throws), so the task fails as canceled. The expressions come
 * parsed from `parsed` (the worker's, kept across rounds). Returns the answers and the buffers to
 * transfer with them.
 */
export async function evaluateInstantBatch(engine: Engine, parsed: ParsedQueryCache, queryable: Queryable, task: InstantBatchTask, signal: CancelSignal): Promise<{ values: BatchValue[]; transfer: ArrayBuffer[] }> {
  const values: BatchValue[] = [];
  const transfer: ArrayBuffer[] = [];
  for (const query of task.queries) {
    const started = performance.now();
    try {
      const result = await engine.instantQuery(queryable, parsed.get(query), task.time).exec(signal);
      const wire = valueToWire(result.value);
      transfer.push(...wire.transfer);
      values.push({ ok: true, value: wire.wire, warnings: result.warnings, durationMs: performance.now() - started });
    } catch (err) {
      if (signal.aborted) throw err;
      values.push({ ok: false, code: failureCode(err), message: err instanceof Error ? err.message : String(err), durationMs: performance.now() - started });
    }
  }
  return { values, transfer };
}

/** The selects the batch's queries share (see SharedSelects); a query that does not parse counts for none (it fails alone when evaluated). */
export function batchSharedSelects(engine: Engine, parsed: ParsedQueryCache, queries: readonly string[], time: number): SharedSelects {
  const batch: BatchQuery[] = [];
  for (const query of queries) {
    try {
      const p = parsed.get(query);
      const [mint, maxt] = engine.instantQueryRange(p, time);
      batch.push({ expr: p.expr, mint, maxt });
    } catch {
      // Reported by the evaluation of this query.
    }
  }
  return new SharedSelects(batch);
}

/** How a worker reports an error of a task's evaluation: the engine's codes, anything else `internal`. */
export function failureCode(err: unknown): TaskFailureCode {
  if (!(err instanceof PromQLError)) return 'internal';
  switch (err.code) {
    case 'canceled':
    case 'timeout':
    case 'bad_data':
    case 'execution':
      return err.code;
    case 'too_many_samples':
      return 'execution';
    case 'storage':
      return 'internal';
  }
}
