import { Labels } from '@pyrometer/model';
import type { Bucket, Metric, MetricFamily, MetricType } from '@pyrometer/exposition';
import { DEFAULT_BUCKETS, type HistogramOptions, type MetricOptions } from './metric-options.js';

/** Anything that yields metric families when the registry is collected. */
export interface Collector {
  collect(): MetricFamily[];
}

/**
 * Shared machinery of labelled instruments: children keyed by their label values. An unlabelled
 * instrument is its own single child. Children are created on first use and kept forever (until
 * `remove`), as client_golang's vectors do.
 */
abstract class Instrument<Child> implements Collector {
  private readonly children = new Map<string, { labels: Labels; child: Child }>();
  protected readonly labelNames: readonly string[];

  constructor(protected readonly options: MetricOptions, private readonly type: MetricType) {
    this.labelNames = options.labelNames ?? [];
  }

  protected abstract newChild(): Child;
  protected abstract toMetric(child: Child, labels: Labels): Metric;

  /** The child for these label values (in `labelNames` order); throws when the count is wrong. */
  labels(...values: string[]): Child {
    if (values.length !== this.labelNames.length) {
      throw new Error(`metric ${this.options.name}: expected ${this.labelNames.length} label values (${this.labelNames.join(', ')}), got ${values.length}`);
    }
    const key = values.join('\xff');
    let entry = this.children.get(key);
    if (entry === undefined) {
      entry = { labels: Labels.from(this.labelNames.map((n, i) => [n, values[i]!] as [string, string])), child: this.newChild() };
      this.children.set(key, entry);
    }
    return entry.child;
  }

  /** Forgets the child with these label values. */
  remove(...values: string[]): void {
    this.children.delete(values.join('\xff'));
  }

  protected get unlabelled(): Child {
    return this.labels();
  }

  collect(): MetricFamily[] {
    const metrics = [...this.children.values()].map(({ labels, child }) => this.toMetric(child, labels));
    return [{ name: this.options.name, help: this.options.help, type: this.type, metrics }];
  }
}

/** A monotonically increasing value. */
export interface CounterChild {
  inc(by?: number): void;
  get(): number;
}

export class Counter extends Instrument<CounterChild> {
  constructor(options: MetricOptions) {
    super(options, 'counter');
  }
  protected newChild(): CounterChild {
    let value = 0;
    const name = this.options.name;
    return {
      inc(by = 1) {
        if (by < 0) throw new Error(`counter ${name} cannot decrease (inc by ${by})`);
        value += by;
      },
      get: () => value,
    };
  }
  protected toMetric(child: CounterChild, labels: Labels): Metric {
    return { labels, value: child.get() };
  }
  inc(by?: number): void {
    this.unlabelled.inc(by);
  }
  get(): number {
    return this.unlabelled.get();
  }
}

/** A value that goes up and down. */
export interface GaugeChild {
  set(value: number): void;
  inc(by?: number): void;
  dec(by?: number): void;
  get(): number;
}

export class Gauge extends Instrument<GaugeChild> {
  constructor(options: MetricOptions) {
    super(options, 'gauge');
  }
  protected newChild(): GaugeChild {
    let value = 0;
    return {
      set: (v) => void (value = v),
      inc: (by = 1) => void (value += by),
      dec: (by = 1) => void (value -= by),
      get: () => value,
    };
  }
  protected toMetric(child: GaugeChild, labels: Labels): Metric {
    return { labels, value: child.get() };
  }
  set(value: number): void {
    this.unlabelled.set(value);
  }
  inc(by?: number): void {
    this.unlabelled.inc(by);
  }
  dec(by?: number): void {
    this.unlabelled.dec(by);
  }
  get(): number {
    return this.unlabelled.get();
  }
}

/** Observations counted into cumulative buckets, with their sum and count. */
export interface HistogramChild {
  observe(value: number): void;
  /** Starts a timer; the returned function observes the elapsed seconds and returns them. */
  startTimer(): () => number;
}

interface HistogramState extends HistogramChild {
  readonly counts: number[];
  sum: number;
  count: number;
}

export class Histogram extends Instrument<HistogramState> {
  private readonly bounds: readonly number[];

  constructor(options: HistogramOptions) {
    super(options, 'histogram');
    const bounds = [...(options.buckets ?? DEFAULT_BUCKETS)];
    for (let i = 1; i < bounds.length; i++) {
      if (!(bounds[i]! > bounds[i - 1]!)) throw new Error(`histogram ${options.name}: buckets must be strictly increasing`);
    }
    this.bounds = bounds;
  }
  protected newChild(): HistogramState {
    const bounds = this.bounds;
    const state: HistogramState = {
      counts: new Array<number>(bounds.length).fill(0),
      sum: 0,
      count: 0,
      observe(value: number) {
        for (let i = 0; i < bounds.length; i++) if (value <= bounds[i]!) state.counts[i]!++;
        state.sum += value;
        state.count++;
      },
      startTimer() {
        const started = performance.now();
        return () => {
          const seconds = (performance.now() - started) / 1000;
          state.observe(seconds);
          return seconds;
        };
      },
    };
    return state;
  }
  protected toMetric(child: HistogramState, labels: Labels): Metric {
    const buckets: Bucket[] = this.bounds.map((upperBound, i) => ({ upperBound, cumulativeCount: child.counts[i]! }));
    buckets.push({ upperBound: Infinity, cumulativeCount: child.count });
    return { labels, histogram: { sampleCount: child.count, sampleSum: child.sum, buckets } };
  }
  observe(value: number): void {
    this.unlabelled.observe(value);
  }
  startTimer(): () => number {
    return this.unlabelled.startTimer();
  }
}

/** An unlabelled gauge or counter whose value is read from a function at collection time. */
export class FunctionMetric implements Collector {
  constructor(private readonly options: MetricOptions, private readonly type: 'gauge' | 'counter', private readonly read: () => number) {}
  collect(): MetricFamily[] {
    return [{ name: this.options.name, help: this.options.help, type: this.type, metrics: [{ labels: Labels.EMPTY, value: this.read() }] }];
  }
}
