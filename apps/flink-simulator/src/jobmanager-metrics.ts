import { addJvmMetrics, type JvmState } from './jvm-metrics.js';
import { MetricsBuilder, type Family } from './metrics-builder.js';
import type { Job, TaskManager } from './topology.js';

/** What the JobManager process reports: its JVM, the cluster gauges and one `jobmanager_job` set per job. */
export function jobManagerFamilies(host: string, jvm: JvmState, jobs: readonly Job[], taskManagers: readonly TaskManager[], parallelism: number, nowMs: number): Family[] {
  const b = new MetricsBuilder();
  const labels = [['host', host]] as const;
  addJvmMetrics(b, 'jobmanager', labels, jvm);
  const live = taskManagers.filter((tm) => tm.alive);
  const slotsTotal = live.reduce((n, tm) => n + tm.slots, 0);
  const running = jobs.filter((j) => j.state === 'RUNNING').length;
  b.gauge('jobmanager', [], 'numRegisteredTaskManagers', labels, live.length);
  b.gauge('jobmanager', [], 'numRunningJobs', labels, running);
  b.gauge('jobmanager', [], 'taskSlotsTotal', labels, slotsTotal);
  b.gauge('jobmanager', [], 'taskSlotsAvailable', labels, Math.max(0, slotsTotal - running * parallelism));
  for (const job of jobs) {
    const jobLabels = [['job_id', job.id], ['host', host], ['job_name', job.name]] as const;
    const gauge = (metric: string, value: number) => b.gauge('jobmanager_job', [], metric, jobLabels, value);
    const restarting = job.state === 'RESTARTING' && job.restartingSinceMs !== undefined;
    gauge('uptime', restarting ? 0 : nowMs - job.submittedAtMs);
    gauge('downtime', restarting ? nowMs - job.restartingSinceMs! : 0);
    gauge('runningTime', restarting ? 0 : nowMs - job.submittedAtMs);
    gauge('restartingTime', restarting ? nowMs - job.restartingSinceMs! : 0);
    gauge('numRestarts', job.numRestarts);
    gauge('fullRestarts', job.numRestarts);
    const cp = job.checkpoints;
    gauge('lastCheckpointDuration', cp.lastDurationMs);
    gauge('lastCheckpointSize', cp.lastSizeBytes);
    gauge('lastCheckpointFullSize', cp.lastSizeBytes * 4);
    gauge('numberOfCompletedCheckpoints', cp.completed);
    gauge('numberOfFailedCheckpoints', cp.failed);
    gauge('numberOfInProgressCheckpoints', cp.inProgress);
    gauge('totalNumberOfCheckpoints', cp.completed + cp.failed + cp.inProgress);
    gauge('lastCheckpointRestoreTimestamp', cp.lastRestoreMs === 0 ? -1 : cp.lastRestoreMs);
  }
  return b.build();
}
