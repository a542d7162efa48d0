import type { Logger } from '@pyrometer/telemetry';
import { Random } from './random.js';
import { PushGatewayReporter } from './reporter.js';
import type { ReporterConfig } from './reporter-config.js';
import { FlinkSimulator, type SimulatorOptions } from './simulator.js';

export interface RunnerOptions {
  reporter: ReporterConfig;
  simulator: SimulatorOptions;
  logger: Logger;
  /** Stop (cleanly, with DELETEs) after this many reports; unlimited when undefined. */
  maxReports?: number;
  now?: () => number;
}

/**
 * Drives a simulated cluster against a Pushgateway: every interval (fixed delay, first report after
 * one interval, as Flink schedules reporters) it advances the cluster one tick and every live
 * process pushes. `stop()` ends the loop and sends each live process's DELETE.
 */
export class SimulatorRunner {
  readonly simulator: FlinkSimulator;
  private readonly reporters: PushGatewayReporter[];
  private timer: NodeJS.Timeout | undefined;
  private reports = 0;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly options: RunnerOptions) {
    this.now = options.now ?? Date.now;
    this.simulator = new FlinkSimulator(options.simulator, this.now());
    const suffixes = new Random(options.simulator.seed ^ 0x5eed);
    this.reporters = this.simulator.processes().map((p) => new PushGatewayReporter(options.reporter, p, options.logger.with({ process: p.name }), suffixes.hex(32)));
  }

  /** Job labels per process, e.g. for tests and the startup banner. */
  jobLabels(): string[] {
    return this.reporters.map((r) => r.jobLabel);
  }

  /** Starts the report loop; resolves when the loop has stopped (after `stop()` or `maxReports`). */
  run(): Promise<void> {
    this.schedule();
    return this.done;
  }

  private finished: () => void = () => {};
  private readonly done = new Promise<void>((resolve) => (this.finished = resolve));

  private schedule(): void {
    this.timer = setTimeout(() => void this.reportAndReschedule(), this.options.reporter.intervalMs);
  }

  private async reportAndReschedule(): Promise<void> {
    if (this.stopped) return;
    await this.reportOnce();
    if (this.options.maxReports !== undefined && this.reports >= this.options.maxReports) await this.stop();
    else if (!this.stopped) this.schedule();
  }

  /** The pushes under way, if any: a DELETE must not overtake them. */
  private inFlight: Promise<unknown> = Promise.resolve();

  /** Advances one tick and pushes every live process's metrics once. */
  async reportOnce(): Promise<void> {
    const now = this.now();
    this.simulator.tick(now);
    const processes = this.simulator.processes();
    const pushes = Promise.all(this.reporters.map((r, i) => (processes[i]!.alive ? r.report(now) : undefined)));
    this.inFlight = pushes;
    await pushes;
    this.reports++;
  }

  /**
   * Stops reporting, waits for pushes under way (a PUT landing after its group's DELETE would
   * bring the group back), then sends the DELETEs of live processes (lost ones never say goodbye).
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.inFlight;
    const processes = this.simulator.processes();
    await Promise.all(this.reporters.map((r, i) => (processes[i]!.alive ? r.close() : undefined)));
    this.finished();
  }
}
