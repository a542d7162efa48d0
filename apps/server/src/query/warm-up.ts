import { Labels, type Matcher } from '@pyrometer/model';
import type { Engine } from '@pyrometer/promql';
import { labelResult, type LabelResult, type Querier, type Queryable, type SeriesSet } from '@pyrometer/storage';
import { groupSeriesChunks, MemSeriesChunks, XorChunk, type SeriesChunks } from '@pyrometer/tsdb';
import { queryDataPieces } from '../api/encode-value.js';
import { SeriesPacker, unpackSeries } from './series-wire.js';

const SERIES = 60;
const STEP_MS = 15_000;
/** An hour of samples at 15 s, in XOR chunks of 120 samples as the head cuts them. */
const SAMPLES = 241;
const SAMPLES_PER_CHUNK = 120;
const ROUNDS = 2;

/** The shapes of the deploy/ dashboards and rules: selectors, range functions, subqueries, aggregations, binary operators. */
const SHAPES: readonly string[] = [
  'warm_gauge',
  'sum(warm_gauge{job=~".*"})',
  'sum by (job) (rate(warm_counter[1m]))',
  'max by (job) (warm_gauge)',
  'count by (job) (warm_gauge > 50)',
  'warm_gauge * 100 > 50',
  'time() - warm_counter / 1000',
  'max_over_time(warm_gauge[5m])',
  'avg_over_time(warm_gauge[5m:30s])',
  'delta(warm_gauge[2m])',
  'changes(warm_counter[15m])',
  'topk(5, rate(warm_counter[5m]))',
  'warm_gauge / warm_counter',
  'warm_gauge > 90 and on (job) (warm_counter > 0)',
  'histogram_quantile(0.99, sum by (le) (rate(warm_bucket[5m])))',
];

/**
 * How long (ms) a worker must have had no task before its warm-up (re)starts. Queries sent back to
 * back (a dashboard's panels, a client's next request after its answer) leave gaps of a few ms to
 * a few tens of ms: a warm-up query started in one made the next task wait for the worker, and
 * the compile jobs it set off took V8's helper threads from under the next ones (server README,
 * "A fresh worker's first queries").
 */
const WARM_UP_IDLE_MS = 100;

/** What a {@link WarmUpWhenIdle} calls back. */
export interface WarmUpHooks {
  /** Called whenever the warm-up stops or ends (it allocated: the idle heap shrinker's wait restarts). */
  paused(): void;
  /**
   * Reads the messages that arrived for the worker meanwhile (a task among them calls
   * {@link WarmUpWhenIdle.taskArrived}); called while a warm-up query runs, at each of the engine's
   * cancellation checks, so a task stops the warm-up within one check instead of after its query.
   */
  readMessages(): void;
}

/**
 * Runs a query worker's warm-up in the moments the worker is idle, until it has run once through.
 * Workers start for a task (none runs at boot, see query-pool.ts), which a warm-up at start would
 * only delay: that task runs cold, and the warm-up compiles the other shapes before the next ones.
 * It starts once the worker has had no task for `idleMs` (a worker started with no task, the
 * pool's prompt worker, waits that long after its start); a task that arrives, or a hold (a task
 * runs on another worker), stops it at the engine's next check (the query it stopped runs again
 * later), and the next idle spell resumes it where it stopped. One per worker.
 */
export class WarmUpWhenIdle {
  /** The next warm-up query to run (see {@link warmUp}); at {@link WARM_UP_QUERIES} it is done. */
  private next: number;
  private running = false;
  /** Set by {@link hold}: a task runs on another worker of the pool, the warm-up does not resume. */
  private held = false;
  /** Set by {@link taskArrived}: the running warm-up stops. */
  private taskWaiting = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly engine: Engine,
    enabled: boolean,
    private readonly hooks: WarmUpHooks,
    private readonly idleMs = WARM_UP_IDLE_MS,
  ) {
    this.next = enabled ? 0 : WARM_UP_QUERIES;
  }

  /** The running warm-up's cancel signal, which the engine polls: reads the waiting messages first. */
  get aborted(): boolean {
    if (!this.taskWaiting) this.hooks.readMessages();
    return this.taskWaiting;
  }

  /** Whether the warm-up has run through (or was off). */
  get done(): boolean {
    return this.next >= WARM_UP_QUERIES;
  }

  /** A task arrived: a warm-up waiting to start does not, a running one stops at the engine's next check. */
  taskArrived(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.taskWaiting = true;
  }

  /**
   * Whether a task runs elsewhere in the pool (warm-up-hold.ts): while held, the warm-up stops as
   * for a task of its own and does not resume; once released, the caller calls {@link idle} if
   * its worker has no task.
   */
  hold(held: boolean): void {
    this.held = held;
    if (held) this.taskArrived();
  }

  /** The worker has no task running: the warm-up goes on from where it stopped after `idleMs` without a task, unless done or held. */
  idle(): void {
    if (this.running || this.done || this.held) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.resume(), this.idleMs);
  }

  private resume(): void {
    this.timer = undefined;
    this.running = true;
    this.taskWaiting = false;
    void warmUp(this.engine, this, this.next).then(({ next }) => {
      this.next = next;
      this.running = false;
      this.hooks.paused();
    });
  }
}

/** How many queries a whole warm-up runs: every shape, {@link ROUNDS} times. */
export const WARM_UP_QUERIES = SHAPES.length * ROUNDS;

/**
 * Runs dashboard-shaped queries over a small synthetic data set through the code real queries
 * take (XOR chunks read by the TSDB's chunk iterators, the engine, the JSON encoder), so V8 has
 * compiled the hot loops before the next user queries: a cold worker's first dashboard ran
 * several times slower than later ones. Runs the warm-up's queries from number `from` (of
 * {@link WARM_UP_QUERIES}) on, and stops before the next one once `stop` turns true (a task
 * arrived: a query it interrupted counts as not run). Resolves with where to resume (`next`) and
 * how many queries answered; failures are ignored, warming up is best effort.
 */
export async function warmUp(engine: Engine, stop: { readonly aborted: boolean }, from = 0): Promise<{ next: number; answered: number }> {
  const end = 10 * 60 * 60_000;
  let queryable: WarmUpQueryable | undefined;
  let answered = 0;
  for (let next = from; next < WARM_UP_QUERIES; next++) {
    // Over the synthetic data a query never waits for I/O: without this turn of the event loop
    // a task posted meanwhile would be read only after the whole warm-up.
    await new Promise((resolve) => setImmediate(resolve));
    if (stop.aborted) return { next, answered };
    queryable ??= new WarmUpQueryable(warmUpSeries(end - (SAMPLES - 1) * STEP_MS));
    try {
      const { value } = await engine.rangeQuery(queryable, SHAPES[next % SHAPES.length]!, end - 60 * 60_000, end, STEP_MS).exec(stop);
      let length = 0;
      for (const piece of queryDataPieces(value)) length += piece.length;
      if (length > 0) answered++;
    } catch {
      // Best effort: a shape this engine refuses warms nothing; one a task interrupted runs again.
      if (stop.aborted) return { next, answered };
    }
  }
  return { next: WARM_UP_QUERIES, answered };
}

/**
 * Gauges, counters and a classic histogram's buckets, each series' samples in XOR chunks, packed
 * and unpacked as a select's answer is (series-wire.ts): the engine then meets the same series
 * classes as in real queries, whose first calls would otherwise undo what warming compiled.
 */
function warmUpSeries(start: number): SeriesChunks[] {
  const packer = new SeriesPacker();
  for (const s of syntheticSeries(start)) packer.add(0, s);
  return unpackSeries(packer.finish());
}

function syntheticSeries(start: number): SeriesChunks[] {
  const out: SeriesChunks[] = [];
  for (let i = 0; i < SERIES; i++) {
    const job = `job-${i % 10}`;
    const instance = `instance-${i}`;
    out.push(chunked(Labels.from({ __name__: 'warm_gauge', job, instance }), start, (k) => (i * 7 + k) % 100));
    out.push(chunked(Labels.from({ __name__: 'warm_counter', job, instance }), start, (k) => k * (i + 1)));
    if (i < 10) {
      for (const le of ['0.1', '1', '+Inf']) out.push(chunked(Labels.from({ __name__: 'warm_bucket', job, instance, le }), start, (k) => k * Number(le === '+Inf' ? 10 : le)));
    }
  }
  return out;
}

function chunked(labels: Labels, start: number, value: (k: number) => number): SeriesChunks {
  const chunks: Uint8Array[] = [];
  const minTs: number[] = [];
  const maxTs: number[] = [];
  for (let from = 0; from < SAMPLES; from += SAMPLES_PER_CHUNK) {
    const chunk = XorChunk.create();
    const app = chunk.appender();
    const to = Math.min(SAMPLES, from + SAMPLES_PER_CHUNK);
    for (let k = from; k < to; k++) app.append(start + k * STEP_MS, value(k));
    chunks.push(chunk.bytes().slice());
    minTs.push(start + from * STEP_MS);
    maxTs.push(start + (to - 1) * STEP_MS);
  }
  return new MemSeriesChunks(labels, chunks, minTs, maxTs, [], undefined);
}

/** The synthetic series as a worker's storage proxy hands out the head's: chunk parts grouped by label set. */
class WarmUpQueryable implements Queryable {
  constructor(private readonly series: readonly SeriesChunks[]) {}

  async querier(mint: number, maxt: number): Promise<Querier> {
    const matching = (matchers: readonly Matcher[]): SeriesChunks[] => this.series.filter((s) => matchers.every((m) => m.matchesLabels(s.labels)));
    return {
      mint,
      maxt,
      select: async (matchers: readonly Matcher[]): Promise<SeriesSet> => ({ series: groupSeriesChunks([matching(matchers)], mint, maxt, false, 0), warnings: [] }),
      labelValues: async (): Promise<LabelResult> => labelResult([]),
      labelNames: async (): Promise<LabelResult> => labelResult([]),
      close: async (): Promise<void> => {},
    };
  }
}
