import { jobManagerFamilies } from './jobmanager-metrics.js';
import type { JvmState } from './jvm-metrics.js';
import type { Family } from './metrics-builder.js';
import { Random } from './random.js';
import type { Scenario } from './scenario.js';
import { taskManagerFamilies, type SubtaskRates } from './taskmanager-metrics.js';
import { createJob, createTaskManagers, deploy, newJvm, type Job, type Subtask, type TaskManager } from './topology.js';

export interface SimulatorOptions {
  seed: number;
  jobs: number;
  parallelism: number;
  taskManagers: number;
  slotsPerTaskManager: number;
  scenario: Scenario;
  /** Simulated time per tick, ms (the reporter interval). */
  tickMs: number;
}

export function defaultSimulatorOptions(): SimulatorOptions {
  return { seed: 1, jobs: 2, parallelism: 2, taskManagers: 2, slotsPerTaskManager: 2, scenario: 'steady', tickMs: 10_000 };
}

/** One simulated Flink process: what it would push in a report. */
export interface SimulatedProcess {
  kind: 'jobmanager' | 'taskmanager';
  /** A stable name for logs, e.g. `jobmanager` or `taskmanager-10.0.3.17`. */
  name: string;
  /** False once the process was lost (it stops pushing and never DELETEs, like a killed pod). */
  alive: boolean;
  families(nowMs: number): Family[];
}

/**
 * A deterministic Flink cluster: a JobManager, task managers and jobs whose metrics evolve one
 * tick (one reporter interval) at a time. Given the same options and the same tick times, it
 * produces the same metrics. The scenario can be switched between ticks.
 */
export class FlinkSimulator {
  readonly taskManagers: TaskManager[];
  readonly jobs: Job[];
  private readonly rng: Random;
  private readonly jobManagerJvm: JvmState = newJvm(2_147_483_648, 45);
  private readonly rates = new Map<Subtask, SubtaskRates>();
  private scenario: Scenario;
  private ticksInScenario = 0;

  constructor(private readonly options: SimulatorOptions, startMs: number) {
    this.rng = new Random(options.seed);
    this.scenario = options.scenario;
    this.taskManagers = createTaskManagers(options.taskManagers, options.slotsPerTaskManager, this.rng);
    this.jobs = Array.from({ length: options.jobs }, (_, i) => createJob(i, options.parallelism, this.taskManagers, startMs, this.rng));
  }

  get currentScenario(): Scenario {
    return this.scenario;
  }

  setScenario(scenario: Scenario): void {
    this.scenario = scenario;
    this.ticksInScenario = 0;
  }

  /** The JobManager first, then every task manager (lost ones included, marked not alive). */
  processes(): SimulatedProcess[] {
    const jm: SimulatedProcess = {
      kind: 'jobmanager',
      name: 'jobmanager',
      alive: true,
      families: (nowMs) => jobManagerFamilies('10.0.3.10', this.jobManagerJvm, this.jobs, this.taskManagers, this.options.parallelism, nowMs),
    };
    const tms = this.taskManagers.map((tm): SimulatedProcess => ({
      kind: 'taskmanager',
      name: `taskmanager-${tm.host}`,
      get alive() {
        return tm.alive;
      },
      families: (nowMs) => taskManagerFamilies(tm, this.jobs, (s) => this.rates.get(s) ?? IDLE, nowMs),
    }));
    return [jm, ...tms];
  }

  /** Advances the cluster by one tick ending at `nowMs`. */
  tick(nowMs: number): void {
    this.ticksInScenario++;
    const dt = this.options.tickMs / 1000;
    if (this.scenario === 'taskmanager-loss' && this.ticksInScenario === 2) this.loseTaskManager(nowMs);
    if (this.scenario === 'restart-loop' && this.ticksInScenario % 3 === 0) this.failJob(this.jobs[0]!, nowMs);
    for (const job of this.jobs) this.advanceJob(job, nowMs, dt);
    advanceJvm(this.jobManagerJvm, this.rng, dt, 0.1);
    for (const tm of this.taskManagers) if (tm.alive) advanceJvm(tm.jvm, this.rng, dt, 0.3);
  }

  /** Total series the live processes push per interval. */
  seriesCount(nowMs: number): number {
    let n = 0;
    for (const p of this.processes()) if (p.alive) for (const f of p.families(nowMs)) n += f.samples.length;
    return n;
  }

  private advanceJob(job: Job, nowMs: number, dt: number): void {
    if (job.state === 'RESTARTING') {
      this.recover(job, nowMs);
      return;
    }
    const backpressure = this.scenario === 'backpressure';
    job.vertices.forEach((vertex, position) => {
      const sink = position === job.vertices.length - 1;
      for (const subtask of vertex.subtasks) {
        const slow = backpressure && !sink;
        const rate = vertex.baseRate * this.rng.between(0.9, 1.1) * (backpressure ? 0.35 : 1);
        subtask.backPressured = slow;
        subtask.recordsIn += Math.round(rate * dt);
        subtask.recordsOut += Math.round(rate * dt * 0.98);
        subtask.bytesOut += Math.round(rate * dt * 180);
        const lagMs = backpressure ? nowMs - subtask.watermarkMs + this.options.tickMs * 0.8 : this.rng.between(2_000, 5_000);
        subtask.watermarkMs = Math.round(nowMs - lagMs);
        this.rates.set(subtask, {
          recordsInPerSecond: rate,
          recordsOutPerSecond: rate * 0.98,
          bytesOutPerSecond: rate * 180,
          backPressuredTimeMsPerSecond: slow ? this.rng.between(700, 950) : 0,
          busyTimeMsPerSecond: sink && backpressure ? this.rng.between(900, 1000) : this.rng.between(150, 400),
          inPoolUsage: sink && backpressure ? 1 : this.rng.between(0.05, 0.3),
          outPoolUsage: slow ? 1 : this.rng.between(0.05, 0.3),
          mailboxLatencyMs: backpressure ? this.rng.between(20, 60) : this.rng.between(0, 2),
        });
      }
    });
    const cp = job.checkpoints;
    if (this.scenario === 'checkpoint-failures') {
      cp.failed++;
      cp.lastDurationMs = 600_000;
    } else {
      cp.completed++;
      cp.lastDurationMs = Math.round(backpressure ? this.rng.between(45_000, 90_000) : this.rng.between(200, 900));
      cp.lastSizeBytes = Math.round(this.rng.between(20e6, 60e6));
    }
  }

  /** A TaskManager dies without a goodbye; every job with a subtask on it restarts elsewhere. */
  private loseTaskManager(nowMs: number): void {
    const live = this.taskManagers.filter((tm) => tm.alive);
    if (live.length < 2) return;
    const victim = live[live.length - 1]!;
    victim.alive = false;
    for (const job of this.jobs) if (job.vertices.some((v) => v.subtasks.some((s) => s.taskManager === victim))) this.failJob(job, nowMs);
  }

  private failJob(job: Job, nowMs: number): void {
    if (job.state === 'RESTARTING') return;
    job.state = 'RESTARTING';
    job.restartingSinceMs = nowMs;
    job.numRestarts++;
  }

  /** Restarts a failed job with new attempts; every third restart cancels and resubmits it under a new job id. */
  private recover(job: Job, nowMs: number): void {
    const attempt = job.vertices[0]!.subtasks[0]!.attemptNum + 1;
    if (job.numRestarts % 3 === 0) {
      const index = this.jobs.indexOf(job);
      const fresh = createJob(index, this.options.parallelism, this.taskManagers, nowMs, this.rng);
      fresh.name = job.name;
      this.jobs[index] = fresh;
      return;
    }
    deploy(job, this.options.parallelism, this.taskManagers, nowMs, this.rng, attempt);
    job.state = 'RUNNING';
    job.restartingSinceMs = undefined;
    job.checkpoints.lastRestoreMs = nowMs;
  }
}

const IDLE: SubtaskRates = { recordsInPerSecond: 0, recordsOutPerSecond: 0, bytesOutPerSecond: 0, backPressuredTimeMsPerSecond: 0, busyTimeMsPerSecond: 0, inPoolUsage: 0, outPoolUsage: 0, mailboxLatencyMs: 0 };

/** Heap grows with allocation; a young GC drops it; now and then an old GC. CPU time accumulates. */
function advanceJvm(jvm: JvmState, rng: Random, dt: number, load: number): void {
  jvm.cpuLoad = load * rng.between(0.6, 1.4);
  jvm.cpuTimeNs += Math.round(jvm.cpuLoad * dt * 1e9);
  jvm.heapUsed += jvm.heapMax * rng.between(0.02, 0.08) * (dt / 10);
  if (jvm.heapUsed > jvm.heapMax * 0.7) {
    jvm.gcYoungCount++;
    jvm.gcYoungTimeMs += Math.round(rng.between(15, 60));
    jvm.heapUsed = jvm.heapMax * rng.between(0.2, 0.35);
    if (rng.chance(0.1)) {
      jvm.gcOldCount++;
      jvm.gcOldTimeMs += Math.round(rng.between(200, 800));
    }
  }
  jvm.threads = Math.max(20, jvm.threads + rng.int(3) - 1);
}
