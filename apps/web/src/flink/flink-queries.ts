import type { InstantSample, QueryData } from '@pyrometer/http-api';
import { promData } from '../shell/api.js';
import { useFetch, type FetchState } from '../shell/use-fetch.js';

/** How often the Flink pages refresh (the reporter's default interval is 10 s). */
export const REFRESH_MS = 10_000;

/** The instant vector of `expr` now (scalars and strings count as no series). */
export async function instantVector(expr: string): Promise<InstantSample[]> {
  const data = await promData<QueryData>('api/v1/query', { query: expr });
  return data.resultType === 'vector' ? data.result : [];
}

/** {@link instantVector}, refreshed every {@link REFRESH_MS}. */
export function useInstantVector(expr: string): FetchState<InstantSample[]> {
  return useFetch(() => instantVector(expr), expr, REFRESH_MS);
}

/** The sample's value as a number (NaN when it has none). */
export function sampleValue(s: InstantSample | undefined): number {
  return s?.value === undefined ? NaN : Number(s.value[1]);
}

/** Values of a vector keyed by one label (e.g. task_name → value). */
export function byLabel(samples: readonly InstantSample[], label: string): Map<string, number> {
  return new Map(samples.map((s) => [s.metric[label] ?? '', sampleValue(s)]));
}
