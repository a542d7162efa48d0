/** What is known about a counter reset at a histogram sample, or that the histogram is a gauge. */
export const CounterResetHint = {
  /** Cannot tell whether the sample follows a counter reset. */
  Unknown: 0,
  /** A counter reset happened at this sample. */
  CounterReset: 1,
  /** No counter reset happened at this sample. */
  NotCounterReset: 2,
  /** A gauge histogram: counter resets do not apply. */
  Gauge: 3,
} as const;
export type CounterResetHint = (typeof CounterResetHint)[keyof typeof CounterResetHint];
