import type { TimerHandle } from '@pyrometer/model';
import { evalIteration, writeStaleSeries } from './group-eval.js';
import type { Group } from './group.js';
import { restoreForState } from './restore.js';

/**
 * Runs a group on its own timer (upstream's `Group.run`). The first round is at the group's next
 * slot (see {@link Group.evalTimestamp}), then one every interval on the same grid. A round that
 * overruns does not cause a burst: the next round runs at once at the latest slot that has passed,
 * and the slots skipped are counted as missed. With `shouldRestore`, alerts' `for` state is restored
 * after the second round (so recording rules the alerts depend on have run once more).
 */
export class GroupSchedule {
  private timer: TimerHandle | undefined;
  private started = false;
  private stopped = false;
  private running: Promise<void> | undefined;
  private evalTs = 0;
  private rounds = 0;

  constructor(readonly group: Group) {}

  /** Starts the timer; the first round is at the next slot. Starting twice, or after stop, does nothing. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    const { clock } = this.group.context;
    this.evalTs = this.group.evalTimestamp(clock.now()) + this.group.interval;
    this.timer = clock.setTimeout(() => this.round(), this.evalTs - clock.now());
  }

  /** Stops the timer (cancelling a retirement's markers) and lets a round in progress finish (rules not yet started are skipped). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.group.context.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Resolves when no round is in progress (for tests driving a manual clock). */
  async idle(): Promise<void> {
    await this.running;
  }

  /**
   * After the group was removed and stopped: marks every series it wrote stale, two intervals from
   * now (time for a rule that moved to another group to write the series first, which makes the
   * markers out of order and so dropped), timestamped now. `onDone` runs once they are written;
   * {@link stop} (the manager shutting down) cancels them.
   */
  retire(onDone: () => void): void {
    const { clock } = this.group.context;
    const group = this.group;
    const at = clock.now();
    for (const series of group.seriesInPreviousEval) group.staleSeries.push(...series.values());
    group.seriesInPreviousEval = group.rules.map(() => new Map());
    this.timer = clock.setTimeout(() => {
      this.timer = undefined;
      this.running = writeStaleSeries(group, at).finally(onDone);
    }, 2 * group.interval);
  }

  private round(): void {
    this.timer = undefined;
    if (this.stopped) return;
    const { clock, metrics } = this.group.context;
    const interval = this.group.interval;
    if (this.rounds > 0) {
      const missed = Math.floor((clock.now() - this.evalTs) / interval) - 1;
      if (missed > 0) {
        metrics.iterationsMissed.labels(this.group.key).inc(missed);
        metrics.iterationsScheduled.labels(this.group.key).inc(missed);
      }
      this.evalTs += (Math.max(missed, 0) + 1) * interval;
    }
    this.running = this.runRound(this.evalTs).finally(() => {
      this.running = undefined;
      if (this.stopped) return;
      const next = this.evalTs + interval;
      this.timer = clock.setTimeout(() => this.round(), next - clock.now());
    });
  }

  private async runRound(ts: number): Promise<void> {
    await evalIteration(this.group, ts, { stopped: () => this.stopped });
    this.rounds++;
    if (this.group.shouldRestore && this.rounds >= 2 && !this.stopped) await restoreForState(this.group, this.group.context.clock.now());
  }
}
