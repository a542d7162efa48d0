import { ApiError, ErrorType } from '@pyrometer/http-api';
import type { Value } from '@pyrometer/promql';
import type { QueryPool } from './query-pool.js';
import { valueFromWire } from './value-wire.js';

/** The outcome of one query run through the service: the value and the warnings (with positions). */
export interface ServiceResult {
  value: Value;
  warnings: string[];
}

/**
 * Queries for the server's own components (the rule evaluator's `QueryFunc`): evaluated by the
 * same worker pool as the HTTP API, ahead of waiting HTTP queries, so rule evaluation neither runs
 * on the ingestion thread nor queues behind dashboards. Rejects with an `ApiError` (bad_data for
 * a parse error, execution, canceled, timeout, internal).
 */
export class QueryService {
  constructor(private readonly pool: QueryPool) {}

  /** Evaluates `query` at `time` (ms); `signal` cancels it. */
  async instantQuery(query: string, time: number, options: { signal?: AbortSignal } = {}): Promise<ServiceResult> {
    let result: ServiceResult | undefined;
    await this.pool.run({ kind: 'instant', query, time }, (msg) => {
      if (msg.type === 'value') result = { value: valueFromWire(msg.value), warnings: msg.warnings };
    }, { priority: 'high', ...(options.signal === undefined ? {} : { signal: options.signal }) });
    if (result === undefined) throw new ApiError(ErrorType.Internal, 'the query worker sent no value');
    return result;
  }
}
