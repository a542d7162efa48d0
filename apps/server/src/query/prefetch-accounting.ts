import type { MetricsRegistry } from '@pyrometer/telemetry';
import type { PrefetchedCall, StorageCall } from './protocol.js';
import type { PrefetchPlan } from './select-prefetch.js';

/** What one task's prefetch came to, as the pool hands it to {@link PrefetchAccounting.settle}. */
export interface PrefetchOutcome {
  /** The task's prefetch plan, if it had one. */
  readonly plan: PrefetchPlan | undefined;
  /** The calls answered as the task was posted, numbered by {@link PrefetchAccounting.number}. */
  readonly prefetched: readonly PrefetchedCall[];
  /** The calls the task's worker asked for itself. */
  readonly asked: readonly StorageCall[];
  /** Request numbers of prefetched calls the worker did not use (its `done` says). */
  readonly unused: readonly number[];
  /** Whether the task succeeded: only then does its plan learn from the calls it made. */
  readonly succeeded: boolean;
}

/**
 * The query pool's side of select prefetching (select-prefetch.ts): numbers the calls answered
 * before a worker asks, counts how many the workers used, and tells a successful task's plan
 * which storage calls it made. One per pool.
 */
export class PrefetchAccounting {
  /** Prefetched calls' request numbers count down, so they never meet a worker's own (which count up from 1). */
  private next = -1;
  private readonly outcomes;

  constructor(registry: MetricsRegistry | undefined) {
    this.outcomes = registry?.counter({ name: 'pyrometer_query_prefetched_storage_calls_total', help: 'Storage calls answered before a query worker asked (predicted from the same query before), by whether the query made them.', labelNames: ['outcome'] });
    for (const outcome of ['taken', 'unused']) this.outcomes?.labels(outcome);
  }

  /** Gives each of the plan's calls a request number of its own (none without a plan). */
  number(plan: PrefetchPlan | undefined): PrefetchedCall[] {
    return (plan?.calls ?? []).map((call) => ({ request: this.next--, call }));
  }

  /** Counts the task's prefetched calls by whether its worker took them; a successful task's plan learns the calls made. */
  settle({ plan, prefetched, asked, unused, succeeded }: PrefetchOutcome): void {
    this.outcomes?.labels('unused').inc(unused.length);
    this.outcomes?.labels('taken').inc(prefetched.length - unused.length);
    if (plan === undefined || !succeeded) return;
    const skipped = new Set(unused);
    plan.learn([...prefetched.filter((p) => !skipped.has(p.request)).map((p) => p.call), ...asked]);
  }
}
