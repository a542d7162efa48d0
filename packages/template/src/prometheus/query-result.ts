import { GO_TYPE, StringMap } from '../values.js';

/**
 * One sample of a `query` result as Prometheus templates see it: `.Labels` (a
 * `map[string]string`, `__name__` included) and `.Value` (a float64, or a native histogram).
 */
export class QuerySampleValue {
  static readonly [GO_TYPE] = '*template.sample';

  constructor(
    readonly Labels: StringMap,
    readonly Value: unknown,
  ) {}
}

/** The result of `query`: a slice of samples (Go's `template.queryResult`). */
export class QueryResult extends Array<QuerySampleValue> {
  static readonly [GO_TYPE] = 'template.queryResult';

  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
}

/** One element of the instant vector a {@link QueryFunc} returns (the PromQL engine's `Sample` fits). */
export interface QuerySample {
  /** The series labels: a `Labels` object, `[name, value]` pairs or a plain record. */
  readonly metric: Iterable<readonly [string, string]> | Readonly<Record<string, string>>;
  readonly f: number;
  /** A native histogram value; when present it is the sample's `.Value`. */
  readonly h?: unknown;
}

/**
 * Runs a PromQL instant query at `timeMs` (ms since the epoch) for the `query` template function,
 * resolving to an instant vector. Rejecting fails the template with the rejection's message.
 */
export type QueryFunc = (query: string, timeMs: number) => Promise<readonly QuerySample[]>;

/** Converts a query's vector into what templates range over. */
export function toQueryResult(vector: readonly QuerySample[]): QueryResult {
  const result = new QueryResult();
  for (const s of vector) {
    const labels = Symbol.iterator in s.metric ? new StringMap(s.metric as Iterable<readonly [string, string]>) : new StringMap(s.metric as Record<string, string>);
    result.push(new QuerySampleValue(labels, s.h ?? s.f));
  }
  return result;
}
