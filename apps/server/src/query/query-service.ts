import { ApiError, ErrorType } from '@pyrometer/http-api';
import { PromQLError, type PromQLErrorCode, type Value } from '@pyrometer/promql';
import type { QueryPool } from './query-pool.js';
import { valueFromWire } from './value-wire.js';

/** The outcome of one query run through the service: the value and the warnings (with positions). */
export interface ServiceResult {
  value: Value;
  warnings: string[];
}

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
  constructor(private readonly pool: QueryPool) {}

  /** Evaluates `query` at `time` (ms); `signal` cancels it. */
  async instantQuery(query: string, time: number, options: { signal?: AbortSignal } = {}): Promise<ServiceResult> {
    let result: ServiceResult | undefined;
    try {
      await this.pool.run({ kind: 'instant', query, time }, (msg) => {
        if (msg.type === 'value') result = { value: valueFromWire(msg.value), warnings: msg.warnings };
      }, { priority: 'high', ...(options.signal === undefined ? {} : { signal: options.signal }) });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      throw new PromQLError(ENGINE_CODES[err.type] ?? 'storage', err.message, { cause: err });
    }
    if (result === undefined) throw new PromQLError('storage', 'the query worker sent no value');
    return result;
  }
}
