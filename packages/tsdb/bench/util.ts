import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Labels } from '@pyrometer/model';

export const SUITE = 'tsdb';

/** A scratch directory removed by the returned function. */
export function scratch(): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'pyrometer-tsdb-bench-'));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * How a Flink metric moves from one Prometheus scrape to the next (scrapes every 10 s, one Flink push
 * per scrape, timestamps aligned to the interval as Prometheus ≥ 2.43 stores them). Flink exports
 * everything as gauges; the shapes below are what its metric types produce
 * (see /work/shared/reference/flink-reporter.md §2 and apps/flink-simulator).
 */
const Shape = {
  /** Counter (numRecordsIn, numBytesOut, accumulatedBusyTimeMs, …): integer, grows every scrape by a varying amount around a per-task rate. */
  Counter: 0,
  /** Counter that stays where it is (numRecordsInErrors, commitsFailed, accumulatedBackPressuredTimeMs of a healthy task). */
  IdleCounter: 1,
  /** Meter (…PerSecond): Flink's MeterView, the counter's growth over the last 60 s divided by 60 — a full-precision double. */
  Meter: 2,
  /** Integer ms-per-second gauge of a busy task (busyTimeMsPerSecond, idleTimeMsPerSecond), 0..1000, changes every scrape. */
  MsPerSecond: 3,
  /** Back-pressure ms-per-second gauge: 0, with short episodes of integer values. */
  BackPressureMs: 4,
  /** isBackPressured: 0, 1 during the same episodes. */
  Flag: 5,
  /** Buffer pool usage (inPoolUsage, outPoolUsage, …): used/total buffers, mostly 0, steps of 1/10 that hold for a while. */
  BufferUsage: 6,
  /** Queue lengths and sizes (inputQueueLength, outputQueueSize, …): small integers, mostly 0, stepping like the usages. */
  QueueLength: 7,
  /** Event-time watermark (currentInputWatermark, …): ms since the epoch, advancing by about 10 s minus a varying lag. */
  Watermark: 8,
  /** Event-time lag (currentEmitEventTimeLag): integer ms, varies every scrape. */
  Lag: 9,
  /** Checkpoint figures (checkpointAlignmentTime, checkpointStartDelayNanos): constant between checkpoints (every 3 min). */
  Checkpoint: 10,
  /** Constants (initializationTime, Heap_Max, TotalMemorySegments): never change. */
  Constant: 11,
  /** Quantile of the mailboxLatencyMs summary: integer ms over Flink's last-128-samples window, mostly 0, small steps. */
  Quantile: 12,
  /** The summary's `_count`: grows by the same number of measurements every scrape. */
  SummaryCount: 13,
  /** The summary's `_sum`, which Flink never sends and the Pushgateway exposes as 0. */
  Zero: 14,
  /** JVM heap used: bytes, a sawtooth of varying allocation and collection, changes every scrape. */
  HeapUsed: 15,
  /** JVM CPU load: an arbitrary double in [0, 1) every scrape. */
  CpuLoad: 16,
  /** Cumulative CPU time in ns: grows by a varying amount every scrape. */
  CpuTime: 17,
  /** GC counts and thread counts: integers that step up now and then. */
  Steps: 18,
} as const;
type Shape = (typeof Shape)[keyof typeof Shape];

/**
 * The series of one task subtask as Flink reports them, with TaskManager JVM metrics in proportion
 * (a TaskManager's ~40 JVM series spread over its ~8 subtasks): 64 names, cycled through by index.
 */
const FLINK_METRICS: readonly (readonly [string, Shape])[] = [
  ...['numRecordsIn', 'numRecordsOut', 'numBytesIn', 'numBytesOut', 'numBuffersOut', 'accumulatedBusyTimeMs', 'accumulatedIdleTimeMs'].map((m) => [`flink_taskmanager_job_task_${m}`, Shape.Counter] as const),
  ...['numBytesInLocal', 'numBytesInRemote', 'numBuffersInLocal', 'numBuffersInRemote'].map((m) => [`flink_taskmanager_job_task_Shuffle_Netty_${m}`, Shape.Counter] as const),
  ...['numRecordsIn', 'numRecordsOut', 'numLateRecordsDropped'].map((m) => [`flink_taskmanager_job_task_operator_${m}`, Shape.Counter] as const),
  ['flink_taskmanager_job_task_accumulatedBackPressuredTimeMs', Shape.IdleCounter],
  ['flink_taskmanager_job_task_operator_numRecordsInErrors', Shape.IdleCounter],
  ['flink_taskmanager_job_task_operator_commitsFailed', Shape.IdleCounter],
  ...['numRecordsInPerSecond', 'numRecordsOutPerSecond', 'numBytesInPerSecond', 'numBytesOutPerSecond', 'numBuffersOutPerSecond'].map((m) => [`flink_taskmanager_job_task_${m}`, Shape.Meter] as const),
  ...['numBytesInLocalPerSecond', 'numBytesInRemotePerSecond', 'numBuffersInLocalPerSecond', 'numBuffersInRemotePerSecond'].map((m) => [`flink_taskmanager_job_task_Shuffle_Netty_${m}`, Shape.Meter] as const),
  ...['numRecordsInPerSecond', 'numRecordsOutPerSecond'].map((m) => [`flink_taskmanager_job_task_operator_${m}`, Shape.Meter] as const),
  ['flink_taskmanager_job_task_busyTimeMsPerSecond', Shape.MsPerSecond],
  ['flink_taskmanager_job_task_idleTimeMsPerSecond', Shape.MsPerSecond],
  ...['backPressuredTimeMsPerSecond', 'softBackPressuredTimeMsPerSecond', 'hardBackPressuredTimeMsPerSecond'].map((m) => [`flink_taskmanager_job_task_${m}`, Shape.BackPressureMs] as const),
  ['flink_taskmanager_job_task_isBackPressured', Shape.Flag],
  ...['Input_Buffers_inPoolUsage', 'Input_Buffers_inputFloatingBuffersUsage', 'Input_Buffers_inputExclusiveBuffersUsage', 'Output_Buffers_outPoolUsage'].map(
    (m) => [`flink_taskmanager_job_task_Shuffle_Netty_${m}`, Shape.BufferUsage] as const,
  ),
  ...['Input_Buffers_inputQueueLength', 'Input_Buffers_inputQueueSize', 'Input_totalQueueLen', 'Output_Buffers_outputQueueLength', 'Output_Buffers_outputQueueSize'].map(
    (m) => [`flink_taskmanager_job_task_Shuffle_Netty_${m}`, Shape.QueueLength] as const,
  ),
  ['flink_taskmanager_job_task_currentInputWatermark', Shape.Watermark],
  ['flink_taskmanager_job_task_operator_currentInputWatermark', Shape.Watermark],
  ['flink_taskmanager_job_task_operator_currentOutputWatermark', Shape.Watermark],
  ['flink_taskmanager_job_task_operator_currentEmitEventTimeLag', Shape.Lag],
  ['flink_taskmanager_job_task_checkpointAlignmentTime', Shape.Checkpoint],
  ['flink_taskmanager_job_task_checkpointStartDelayNanos', Shape.Checkpoint],
  ['flink_taskmanager_job_task_initializationTime', Shape.Constant],
  ...['0.5', '0.75', '0.95', '0.98', '0.99', '0.999'].map((q) => [`flink_taskmanager_job_task_mailboxLatencyMs_q${q.slice(2)}`, Shape.Quantile] as const),
  ['flink_taskmanager_job_task_mailboxLatencyMs_count', Shape.SummaryCount],
  ['flink_taskmanager_job_task_mailboxLatencyMs_sum', Shape.Zero],
  ['flink_taskmanager_Status_JVM_Memory_Heap_Used', Shape.HeapUsed],
  ['flink_taskmanager_Status_JVM_Memory_Heap_Max', Shape.Constant],
  ['flink_taskmanager_Status_JVM_CPU_Load', Shape.CpuLoad],
  ['flink_taskmanager_Status_JVM_CPU_Time', Shape.CpuTime],
  ['flink_taskmanager_Status_JVM_GarbageCollector_G1_Young_Generation_Count', Shape.Steps],
  ['flink_taskmanager_Status_JVM_Threads_Count', Shape.Steps],
];

/**
 * Flink-shaped series: per task manager and subtask, the metric names Flink's reporter pushes
 * (see FLINK_METRICS), labelled like the Pushgateway relabels them.
 */
export function flinkSeries(n: number): Labels[] {
  const out: Labels[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      Labels.from({
        __name__: FLINK_METRICS[i % FLINK_METRICS.length]![0],
        job: 'flink',
        instance: 'pushgateway:9091',
        host: `tm-${Math.floor(i / 400) % 50}`,
        tm_id: `container_e01_1700000000000_0001_01_${String(Math.floor(i / 400)).padStart(6, '0')}`,
        job_name: `etl-${Math.floor(i / 2000)}`,
        task_name: `Source__kafka_-__Map_${Math.floor(i / FLINK_METRICS.length) % 50}`,
        subtask_index: String(Math.floor(i / FLINK_METRICS.length) % 16),
      }),
    );
  }
  return out;
}

/** A deterministic pseudo-random number in [0, 1) for series `i` and step `k`. */
function noise(i: number, k: number): number {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(k + 0x27d4eb2f, 0xc2b2ae35);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return (h >>> 0) / 4294967296;
}

/** A monotonic integer counter: about `perScrape` more every scrape, each increment between 0.5 and 1.5 times it. */
function counter(i: number, k: number, perScrape: number): number {
  return 1_000_000 + Math.floor(perScrape * (k + 0.5 * noise(i, k)));
}

/** Whether the task of series `i` is back-pressured at scrape `k`: a 4-scrape episode every 15 minutes or so. */
function backPressured(i: number, k: number): boolean {
  return (k + Math.floor(i / FLINK_METRICS.length) * 7) % 90 < 4;
}

/** The value of series `i` (as numbered by {@link flinkSeries}) at scrape `k` (10 s apart); shapes as documented on `Shape`. */
export function flinkValue(i: number, k: number): number {
  const perScrape = 1_000 + (i % 13) * 370;
  const n = noise(i, k);
  const hold = (scrapes: number): number => noise(i, Math.floor((k + i) / scrapes));
  switch (FLINK_METRICS[i % FLINK_METRICS.length]![1]) {
    case Shape.Counter:
      return counter(i, k, perScrape);
    case Shape.IdleCounter:
      return i % 5;
    case Shape.Meter:
      return (counter(i, k, perScrape) - counter(i, k - 6, perScrape)) / 60;
    case Shape.MsPerSecond:
      return 300 + Math.floor(n * 200);
    case Shape.BackPressureMs:
      return backPressured(i, k) ? 200 + Math.floor(n * 600) : 0;
    case Shape.Flag:
      return backPressured(i, k) ? 1 : 0;
    case Shape.BufferUsage: {
      const used = hold(6) < 0.7 ? 0 : Math.floor(hold(6) * 10) - 6;
      return used / 10;
    }
    case Shape.QueueLength:
      return hold(6) < 0.7 ? 0 : Math.floor(hold(6) * 10) - 6;
    case Shape.Watermark:
      return 1_700_000_000_000 + k * 10_000 - 2_000 - Math.floor(n * 500);
    case Shape.Lag:
      return 2_000 + Math.floor(n * 500);
    case Shape.Checkpoint:
      return Math.floor(hold(18) * 50_000);
    case Shape.Constant:
      return 1_073_741_824;
    case Shape.Quantile:
      return hold(3) < 0.6 ? 0 : Math.floor(hold(3) * 10) - 5;
    case Shape.SummaryCount:
      return 1_000 + k * 100;
    case Shape.Zero:
      return 0;
    case Shape.HeapUsed:
      return 200_000_000 + ((k + i) % 30) * 20_000_000 + Math.floor(n * 4_000_000);
    case Shape.CpuLoad:
      return n;
    case Shape.CpuTime:
      return counter(i, k, 2_500_000_000);
    case Shape.Steps:
      return 40 + Math.floor((k + i) / 25);
  }
}
