import { panel } from './dashboards.js';

/**
 * Every Grafana panel the Flink pages show, looked up when this module loads: a panel renamed or
 * removed in deploy/grafana/dashboards fails the unit test (and the build's browser tests).
 */
export const PANELS = {
  overviewStats: ['TaskManagers', 'Task slots', 'Free slots', 'Running jobs'].map((t) => panel('overview', t)),
  jobUptime: panel('overview', 'Job uptime'),
  taskManagersReporting: panel('overview', 'TaskManagers reporting'),
  pushAge: panel('overview', 'Seconds since last push'),
  uptime: panel('job', 'Uptime'),
  restarts: panel('job', 'Restarts'),
  restartsIn5m: panel('job', 'Restarts in 5m'),
  completedCheckpoints: panel('job', 'Completed checkpoints'),
  failedCheckpoints: panel('job', 'Failed checkpoints in 2m'),
  checkpointDuration: panel('job', 'Last checkpoint duration'),
  checkpointSize: panel('job', 'Last checkpoint size'),
  recordsOut: panel('throughput', 'Records out per second by operator'),
  recordsIn: panel('throughput', 'Records in per second by operator'),
  recordsInRate: panel('throughput', 'Records in rate (from counters)'),
  watermarkLag: panel('throughput', 'Watermark lag by task'),
  backPressuredTime: panel('backpressure', 'Back-pressured time per second'),
  busyTime: panel('backpressure', 'Busy time per second'),
  heapRatio: panel('jvm', 'Heap used / max'),
  heapUsed: panel('jvm', 'Heap used'),
  nonHeapHeadroom: panel('jvm', 'Non-heap headroom'),
  gcTime: panel('jvm', 'GC time per second'),
  youngGcs: panel('jvm', 'Young GCs in 30s'),
  threads: panel('jvm', 'Threads'),
  cpuLoad: panel('jvm', 'CPU load'),
};
