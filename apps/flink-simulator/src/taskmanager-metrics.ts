import { addJvmMetrics } from './jvm-metrics.js';
import { MetricsBuilder, type Family } from './metrics-builder.js';
import type { Job, Subtask, TaskManager, Vertex } from './topology.js';

/** Per-subtask figures of the last interval, computed by the dynamics. */
export interface SubtaskRates {
  recordsInPerSecond: number;
  recordsOutPerSecond: number;
  bytesOutPerSecond: number;
  backPressuredTimeMsPerSecond: number;
  busyTimeMsPerSecond: number;
  inPoolUsage: number;
  outPoolUsage: number;
  mailboxLatencyMs: number;
}

/**
 * What one TaskManager process reports: its JVM and memory, and for every subtask it runs the task
 * and operator metrics with Flink's label sets (`taskmanager_job_task` carries 9 variables, the
 * operator scope adds operator_id and operator_name).
 */
export function taskManagerFamilies(tm: TaskManager, jobs: readonly Job[], rates: (subtask: Subtask) => SubtaskRates, nowMs: number): Family[] {
  const b = new MetricsBuilder();
  const tmLabels = [['host', tm.host], ['tm_id', tm.id]] as const;
  addJvmMetrics(b, 'taskmanager', tmLabels, tm.jvm);
  const busySlots = jobs.reduce((n, job) => n + (job.state === 'RUNNING' ? job.vertices[0]!.subtasks.filter((s) => s.taskManager === tm).length : 0), 0);
  b.gauge('taskmanager', ['Status', 'Flink', 'Memory', 'Managed'], 'Used', tmLabels, busySlots * 64e6);
  b.gauge('taskmanager', ['Status', 'Flink', 'Memory', 'Managed'], 'Total', tmLabels, tm.slots * 128e6);
  b.gauge('taskmanager', ['Status', 'Shuffle', 'Netty'], 'AvailableMemorySegments', tmLabels, 4096 - busySlots * 200);
  b.gauge('taskmanager', ['Status', 'Shuffle', 'Netty'], 'TotalMemorySegments', tmLabels, 4096);
  b.gauge('taskmanager', ['Status', 'Shuffle', 'Netty'], 'UsedMemory', tmLabels, busySlots * 200 * 32768);
  b.gauge('taskmanager', ['Status', 'Shuffle', 'Netty'], 'TotalMemory', tmLabels, 4096 * 32768);
  for (const job of jobs) {
    if (job.state !== 'RUNNING') continue;
    for (const vertex of job.vertices) {
      for (const subtask of vertex.subtasks) {
        if (subtask.taskManager === tm) addSubtask(b, tm, job, vertex, subtask, rates(subtask), nowMs);
      }
    }
  }
  return b.build();
}

function addSubtask(b: MetricsBuilder, tm: TaskManager, job: Job, vertex: Vertex, subtask: Subtask, r: SubtaskRates, nowMs: number): void {
  const task = [
    ['task_attempt_id', subtask.attemptId],
    ['host', tm.host],
    ['task_attempt_num', String(subtask.attemptNum)],
    ['tm_id', tm.id],
    ['job_name', job.name],
    ['subtask_index', String(subtask.index)],
    ['task_name', vertex.name],
    ['task_id', vertex.id],
    ['job_id', job.id],
  ] as const;
  const g = (groups: string[], metric: string, value: number) => b.gauge('taskmanager_job_task', groups, metric, task, value);
  g([], 'numRecordsIn', subtask.recordsIn);
  g([], 'numRecordsOut', subtask.recordsOut);
  g([], 'numRecordsInPerSecond', r.recordsInPerSecond);
  g([], 'numRecordsOutPerSecond', r.recordsOutPerSecond);
  g([], 'numBytesOut', subtask.bytesOut);
  g([], 'numBytesOutPerSecond', r.bytesOutPerSecond);
  g([], 'numBytesIn', subtask.recordsIn * 180);
  g([], 'numBytesInPerSecond', r.recordsInPerSecond * 180);
  g([], 'numBuffersOut', Math.floor(subtask.bytesOut / 32768));
  g([], 'numBuffersOutPerSecond', r.bytesOutPerSecond / 32768);
  for (const locality of ['Local', 'Remote']) {
    const share = locality === 'Local' ? 0.25 : 0.75;
    g(['Shuffle', 'Netty'], `numBytesIn${locality}`, subtask.recordsIn * 180 * share);
    g(['Shuffle', 'Netty'], `numBytesIn${locality}PerSecond`, r.recordsInPerSecond * 180 * share);
    g(['Shuffle', 'Netty'], `numBuffersIn${locality}`, Math.floor((subtask.recordsIn * 180 * share) / 32768));
    g(['Shuffle', 'Netty'], `numBuffersIn${locality}PerSecond`, (r.recordsInPerSecond * 180 * share) / 32768);
  }
  g([], 'accumulatedBackPressuredTimeMs', r.backPressuredTimeMsPerSecond * 60);
  g([], 'accumulatedBusyTimeMs', r.busyTimeMsPerSecond * 60);
  g([], 'accumulatedIdleTimeMs', Math.max(0, 1000 - r.busyTimeMsPerSecond) * 60);
  g([], 'initializationTime', 1_200);
  g([], 'isBackPressured', subtask.backPressured ? 1 : 0);
  g([], 'backPressuredTimeMsPerSecond', r.backPressuredTimeMsPerSecond);
  g([], 'softBackPressuredTimeMsPerSecond', r.backPressuredTimeMsPerSecond * 0.9);
  g([], 'hardBackPressuredTimeMsPerSecond', r.backPressuredTimeMsPerSecond * 0.1);
  g([], 'busyTimeMsPerSecond', r.busyTimeMsPerSecond);
  g([], 'idleTimeMsPerSecond', Math.max(0, 1000 - r.busyTimeMsPerSecond - r.backPressuredTimeMsPerSecond));
  g(['Shuffle', 'Netty', 'Input', 'Buffers'], 'inPoolUsage', r.inPoolUsage);
  g(['Shuffle', 'Netty', 'Input', 'Buffers'], 'inputQueueLength', Math.round(r.inPoolUsage * 8));
  g(['Shuffle', 'Netty', 'Input', 'Buffers'], 'inputQueueSize', Math.round(r.inPoolUsage * 8 * 32768));
  g(['Shuffle', 'Netty', 'Input', 'Buffers'], 'inputFloatingBuffersUsage', r.inPoolUsage * 0.8);
  g(['Shuffle', 'Netty', 'Input', 'Buffers'], 'inputExclusiveBuffersUsage', r.inPoolUsage * 0.6);
  g(['Shuffle', 'Netty', 'Input'], 'totalQueueLen', Math.round(r.inPoolUsage * 8));
  g(['Shuffle', 'Netty', 'Output', 'Buffers'], 'outPoolUsage', r.outPoolUsage);
  g(['Shuffle', 'Netty', 'Output', 'Buffers'], 'outputQueueLength', Math.round(r.outPoolUsage * 8));
  g(['Shuffle', 'Netty', 'Output', 'Buffers'], 'outputQueueSize', Math.round(r.outPoolUsage * 8 * 32768));
  g([], 'currentInputWatermark', subtask.watermarkMs);
  g([], 'checkpointAlignmentTime', r.backPressuredTimeMsPerSecond * 1e5);
  g([], 'checkpointStartDelayNanos', r.backPressuredTimeMsPerSecond * 1e6);
  const m = r.mailboxLatencyMs;
  b.histogram('taskmanager_job_task', [], 'mailboxLatencyMs', task, 100, [m, m * 1.5, m * 3, m * 4, m * 5, m * 8]);
  vertex.operators.forEach((operator, position) => {
    const labels = [...task, ['operator_id', operator.id], ['operator_name', operator.name.slice(0, 80)]] as const;
    const o = (groups: string[], metric: string, value: number) => b.gauge('taskmanager_job_task_operator', groups, metric, labels, value);
    const isSource = position === 0 && operator.name.startsWith('Source');
    o([], 'numRecordsIn', isSource ? 0 : subtask.recordsIn);
    o([], 'numRecordsOut', subtask.recordsOut);
    o([], 'numRecordsInPerSecond', isSource ? 0 : r.recordsInPerSecond);
    o([], 'numRecordsOutPerSecond', r.recordsOutPerSecond);
    o([], 'currentInputWatermark', subtask.watermarkMs);
    o([], 'currentOutputWatermark', subtask.watermarkMs);
    o([], 'numLateRecordsDropped', Math.floor(subtask.recordsIn / 50_000));
    o([], 'numRecordsInErrors', 0);
    o([], 'currentEmitEventTimeLag', nowMs - subtask.watermarkMs);
    if (isSource) {
      o(['KafkaSourceReader', 'KafkaConsumer'], 'records_lag_max', subtask.backPressured ? 50_000 + (nowMs % 10_000) : 120);
      o([], 'fetch_latency_avg', subtask.backPressured ? 450 : 12);
      o([], 'commitsSucceeded', Math.floor(subtask.recordsOut / 10_000));
      o([], 'commitsFailed', 0);
    }
  });
}
