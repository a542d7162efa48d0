import type { JvmState } from './jvm-metrics.js';
import type { Random } from './random.js';

/** One operator of a chained task, e.g. "Source: Kafka" in "Source: Kafka -> Map". */
export interface Operator {
  id: string;
  name: string;
}

/** A running (or restarting) parallel instance of a job vertex. */
export interface Subtask {
  index: number;
  attemptId: string;
  attemptNum: number;
  taskManager: TaskManager;
  recordsIn: number;
  recordsOut: number;
  bytesOut: number;
  watermarkMs: number;
  backPressured: boolean;
}

/** A job vertex: a chain of operators running with the job's parallelism. */
export interface Vertex {
  id: string;
  name: string;
  operators: Operator[];
  subtasks: Subtask[];
  /** Records per second per subtask in steady state. */
  baseRate: number;
}

export interface Job {
  id: string;
  name: string;
  vertices: Vertex[];
  state: 'RUNNING' | 'RESTARTING';
  submittedAtMs: number;
  restartingSinceMs: number | undefined;
  numRestarts: number;
  checkpoints: { completed: number; failed: number; inProgress: number; lastDurationMs: number; lastSizeBytes: number; lastRestoreMs: number };
}

export interface TaskManager {
  host: string;
  /** Flink's resource id, e.g. `10.0.3.17:36511-a1b2c3`. */
  id: string;
  slots: number;
  alive: boolean;
  jvm: JvmState;
}

/** A fresh JVM: a little heap in use, no GC yet. */
export function newJvm(heapMax: number, threads: number): JvmState {
  return { heapUsed: heapMax * 0.2, heapMax, cpuLoad: 0.05, cpuTimeNs: 0, threads, gcYoungCount: 0, gcYoungTimeMs: 0, gcOldCount: 0, gcOldTimeMs: 0 };
}

const JOB_NAMES = ['clickstream-enrichment', 'fraud-detection', 'orders-aggregation', 'sessionization', 'inventory-sync', 'payments-audit', 'ad-attribution', 'iot-telemetry'];

const PIPELINE: ReadonlyArray<{ name: string; operators: string[]; rate: number }> = [
  { name: 'Source: Kafka -> Timestamps/Watermarks -> Map', operators: ['Source: Kafka', 'Timestamps/Watermarks', 'Map'], rate: 2000 },
  { name: 'KeyedProcess -> Filter', operators: ['KeyedProcess', 'Filter'], rate: 1950 },
  { name: 'Window(TumblingEventTimeWindows(60000)) -> Map -> Filter', operators: ['Window(TumblingEventTimeWindows(60000))', 'Map', 'Filter'], rate: 1800 },
  { name: 'Sink: Writer -> Sink: Committer', operators: ['Sink: Writer', 'Sink: Committer'], rate: 1800 },
];

/** Task managers with distinct hosts and resource ids. */
export function createTaskManagers(count: number, slots: number, rng: Random): TaskManager[] {
  return Array.from({ length: count }, (_, i) => ({
    host: `10.0.3.${17 + i}`,
    id: `10.0.3.${17 + i}:${36511 + i}-${rng.hex(6)}`,
    slots,
    alive: true,
    jvm: newJvm(1_073_741_824, 60),
  }));
}

/** A job with the three-vertex pipeline, subtasks spread over the live task managers by slot. */
export function createJob(index: number, parallelism: number, taskManagers: TaskManager[], nowMs: number, rng: Random): Job {
  const baseName = JOB_NAMES[index % JOB_NAMES.length]!;
  const name = index < JOB_NAMES.length ? baseName : `${baseName}-${Math.floor(index / JOB_NAMES.length)}`;
  const job: Job = {
    id: rng.hex(32),
    name,
    vertices: PIPELINE.map((v) => ({ id: rng.hex(32), name: v.name, operators: v.operators.map((o) => ({ id: rng.hex(32), name: o })), subtasks: [], baseRate: v.rate })),
    state: 'RUNNING',
    submittedAtMs: nowMs,
    restartingSinceMs: undefined,
    numRestarts: 0,
    checkpoints: { completed: 0, failed: 0, inProgress: 0, lastDurationMs: 0, lastSizeBytes: 0, lastRestoreMs: 0 },
  };
  deploy(job, parallelism, taskManagers, nowMs, rng, 0);
  return job;
}

/** (Re)deploys every subtask with a new attempt id on the live task managers (slot i → TM i mod n). */
export function deploy(job: Job, parallelism: number, taskManagers: TaskManager[], nowMs: number, rng: Random, attemptNum: number): void {
  const live = taskManagers.filter((tm) => tm.alive);
  for (const vertex of job.vertices) {
    const previous = vertex.subtasks;
    vertex.subtasks = Array.from({ length: parallelism }, (_, i) => ({
      index: i,
      attemptId: rng.hex(32),
      attemptNum,
      taskManager: live[i % live.length]!,
      // A new attempt registers fresh metrics: counters start from zero, as in Flink.
      recordsIn: 0,
      recordsOut: 0,
      bytesOut: 0,
      watermarkMs: previous[i]?.watermarkMs ?? nowMs - 5_000,
      backPressured: false,
    }));
  }
}
