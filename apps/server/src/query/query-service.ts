import { ApiError, ErrorType } from '@pyrometer/http-api';
import { PromQLError, type PromQLErrorCode, type Value } from '@pyrometer/promql';
import type { InstantBatchTask, Task, TaskFailureCode } from './protocol.js';
import type { RunOptions, TaskListener } from './query-pool-options.js';
import type { QueryPool } from './query-pool.js';
import { SelectPrefetch } from './select-prefetch.js';
import { valueFromWire } from './value-wire.js';

/** The outcome of one query run through the service: the value and the warnings (with positions). */
export interface ServiceResult {
  value: Value;
  warnings: string[];
}

/** One query's outcome in {@link QueryService.instantQueries}: its result, or the engine's error; with its evaluation time (ms). */
export type BatchOutcome = ({ ok: true } & ServiceResult & { durationMs: number }) | { ok: false; error: PromQLError; durationMs: number };

/** A failed query of a batch as the engine's error code (a worker's internal failure is a storage error, as for single queries). */
const BATCH_FAILURE_CODES: Record<TaskFailureCode, PromQLErrorCode> = { canceled: 'canceled', timeout: 'timeout', bad_data: 'bad_data', execution: 'execution', internal: 'storage' };

/**
 * How long a rule's task waits for a busy worker before starting another (see RunOptions.growAfterMs):
 * a rule batch takes tens of ms, and rule groups run at offsets of their own, so two overlap now and
 * then; a worker started for each overlap stopped idle a minute later, and its start cost more CPU
 * than the rules of several rounds (see the server README, rules, fifth pass).
 */
const RULE_GROW_AFTER_MS = 250;

const ENGINE_CODES: Partial<Record<ErrorType, PromQLErrorCode>> = {
  [ErrorType.BadData]: 'bad_data',
  [ErrorType.Execution]: 'execution',
  [ErrorType.Canceled]: 'canceled',
  [ErrorType.Timeout]: 'timeout',
};

/**
 * Queries for the server's own components (the rule manager's `QueryFunc`): evaluated by the same
 * worker pool as the HTTP API, ahead of waiting HTTP queries, so rule evaluation neither runs on
 * the ingestion thread nor queues behind dashboards. Rejects as the engine does, with a
 * `PromQLError` (bad_data, execution, canceled, timeout; `storage` when a worker failed).
 */
export class QueryService {
  /** Predicts each rule batch's selects from its last round (see SelectPrefetch.planBatch). */
  private readonly prefetch = new SelectPrefetch();

  constructor(private readonly pool: QueryPool) {}

  /** Evaluates `query` at `time` (ms); `signal` cancels it. */
  async instantQuery(query: string, time: number, options: { signal?: AbortSignal } = {}): Promise<ServiceResult> {
    let result: ServiceResult | undefined;
    await this.run({ kind: 'instant', query, time }, options.signal, {}, (msg) => {
      if (msg.type === 'value') result = { value: valueFromWire(msg.value), warnings: msg.warnings };
    });
    if (result === undefined) throw new PromQLError('storage', 'the query worker sent no value');
    return result;
  }

  /**
   * Evaluates `queries` at `time` (ms) one after another in one worker task (a run of rules that
   * do not read each other's output): one outcome per query, in order; a failing query fails only
   * its own. Rejects as a whole when the task fails (canceled through `signal`, the worker gone).
   */
  async instantQueries(queries: readonly string[], time: number, options: { signal?: AbortSignal } = {}): Promise<BatchOutcome[]> {
    let outcomes: BatchOutcome[] | undefined;
    const task: InstantBatchTask = { kind: 'instant-batch', queries: [...queries], time };
    await this.run(task, options.signal, { prefetch: this.prefetch.planBatch(task) }, (msg) => {
      if (msg.type !== 'values') return;
      outcomes = msg.values.map((v): BatchOutcome =>
        v.ok ? { ok: true, value: valueFromWire(v.value), warnings: v.warnings, durationMs: v.durationMs } : { ok: false, error: new PromQLError(BATCH_FAILURE_CODES[v.code], v.message), durationMs: v.durationMs },
      );
    });
    if (outcomes?.length !== queries.length) throw new PromQLError('storage', 'the query worker sent no values');
    return outcomes;
  }

  /** Runs a task ahead of waiting HTTP queries (waiting {@link RULE_GROW_AFTER_MS} for a busy worker before starting one); a failure becomes the engine's error. */
  private async run(task: Task, signal: AbortSignal | undefined, options: RunOptions, listener: TaskListener): Promise<void> {
    try {
      await this.pool.run(task, listener, { ...options, priority: 'high', growAfterMs: RULE_GROW_AFTER_MS, ...(signal === undefined ? {} : { signal }) });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      throw new PromQLError(ENGINE_CODES[err.type] ?? 'storage', err.message, { cause: err });
    }
  }
}
