import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultSimulatorOptions, FlinkSimulator, writeText004 } from '@pyrometer/flink-simulator';

/** The Flink cluster the benchmark scrapes: 10 jobs × parallelism 18 on 10 TaskManagers, about 51k series. */
const CLUSTER = { jobs: 10, parallelism: 18, taskManagers: 10 };

/** The running targets: one per Flink process (as the Pushgateway groups them). */
export interface FlinkTargets {
  addresses: string[];
  jobNames: string[];
  series: number;
  close(): void;
}

/**
 * Serves the simulated cluster's metrics, one target per JobManager/TaskManager, in the text format
 * Flink's reporter writes. The cluster advances one reporter tick every `tickMs`, so counters grow
 * between scrapes; bodies are rendered once per tick (in this process, which is not measured).
 */
export async function serveFlinkTargets(tickMs: number): Promise<FlinkTargets> {
  const now = Date.now();
  const sim = new FlinkSimulator({ ...defaultSimulatorOptions(), ...CLUSTER, slotsPerTaskManager: Math.ceil((CLUSTER.parallelism * CLUSTER.jobs) / CLUSTER.taskManagers), tickMs }, now);
  sim.tick(now);
  const render = () => sim.processes().map((p) => Buffer.from(writeText004(p.families(Date.now()), true)));
  let bodies = render();
  const timer = setInterval(() => {
    sim.tick(Date.now());
    bodies = render();
  }, tickMs);
  const servers: Server[] = [];
  for (let i = 0; i < bodies.length; i++) {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(bodies[i]);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    servers.push(server);
  }
  return {
    addresses: servers.map((s) => `127.0.0.1:${(s.address() as AddressInfo).port}`),
    jobNames: sim.jobs.map((j) => j.name.replace(/[^a-zA-Z0-9:_]/g, '_')),
    series: sim.seriesCount(now),
    close: () => {
      clearInterval(timer);
      for (const s of servers) s.closeAllConnections();
      for (const s of servers) s.close();
    },
  };
}

/** Recording rules per job: what the Flink dashboards read (flink-reporter.md §3), aggregated per job. */
const RECORDING: readonly [string, string][] = [
  ['records_in_per_second:sum', 'sum by (job_name) (flink_taskmanager_job_task_numRecordsInPerSecond{J})'],
  ['records_out_per_second:sum', 'sum by (job_name) (flink_taskmanager_job_task_numRecordsOutPerSecond{J})'],
  ['operator_records_out_per_second:sum', 'sum by (job_name, operator_name) (flink_taskmanager_job_task_operator_numRecordsOutPerSecond{J})'],
  ['operator_records_in_per_second:sum', 'sum by (job_name, operator_name) (flink_taskmanager_job_task_operator_numRecordsInPerSecond{J})'],
  ['watermark_lag_seconds:max', 'time() - max by (job_name, task_name) (flink_taskmanager_job_task_currentInputWatermark{J}) / 1000'],
  ['backpressured_subtasks:count', 'count by (job_name, task_name) (flink_taskmanager_job_task_isBackPressured{J} == 1)'],
  ['backpressured_ms_per_second:max', 'max by (job_name, task_name) (flink_taskmanager_job_task_backPressuredTimeMsPerSecond{J})'],
  ['busy_ms_per_second:avg', 'avg by (job_name, task_name) (flink_taskmanager_job_task_busyTimeMsPerSecond{J})'],
  ['records_in:rate1m', 'sum by (job_name) (rate(flink_taskmanager_job_task_numRecordsIn{J}[1m]))'],
  ['bytes_out:rate1m', 'sum by (job_name) (rate(flink_taskmanager_job_task_numBytesOut{J}[1m]))'],
  ['out_pool_usage:max', 'max by (job_name, task_name) (flink_taskmanager_job_task_Shuffle_Netty_Output_Buffers_outPoolUsage{J})'],
  ['in_pool_usage:max', 'max by (job_name, task_name) (flink_taskmanager_job_task_Shuffle_Netty_Input_Buffers_inPoolUsage{J})'],
  ['input_queue_length:sum', 'sum by (job_name, host) (flink_taskmanager_job_task_Shuffle_Netty_Input_Buffers_inputQueueLength{J})'],
  ['fetch_latency:max', 'max by (job_name, task_name) (flink_taskmanager_job_task_operator_fetch_latency_avg{J})'],
  ['late_records_dropped:delta1m', 'sum by (job_name) (delta(flink_taskmanager_job_task_operator_numLateRecordsDropped{J}[1m]))'],
  ['checkpoint_duration_seconds:max', 'max by (job_name) (flink_jobmanager_job_lastCheckpointDuration{J}) / 1000'],
  ['failed_checkpoints:delta5m', 'max by (job_name) (delta(flink_jobmanager_job_numberOfFailedCheckpoints{J}[5m]))'],
  ['restarts:changes5m', 'max by (job_name) (changes(flink_jobmanager_job_numRestarts{J}[5m]))'],
  ['emit_event_time_lag:max', 'max by (job_name, task_name) (flink_taskmanager_job_task_operator_currentEmitEventTimeLag{J})'],
  ['kafka_records_lag:sum', 'sum by (job_name, operator_name) (flink_taskmanager_job_task_operator_KafkaSourceReader_KafkaConsumer_records_lag_max{J})'],
];

/** Alerting rules per job, in the spirit of the public Flink alert sets (flink-reporter.md §3). */
const ALERTING: readonly [string, string, string][] = [
  ['JobRestarting', 'delta(flink_jobmanager_job_numRestarts{J}[5m]) > 1', '1m'],
  ['CheckpointsFailing', 'delta(flink_jobmanager_job_numberOfFailedCheckpoints{J}[10m]) > 1', '0s'],
  ['CheckpointSlow', 'flink_jobmanager_job_lastCheckpointDuration{J} / 1000 > 60', '5m'],
  ['SubtaskBackpressured', 'flink_taskmanager_job_task_isBackPressured{J} == 1', '5m'],
  ['BackpressureHigh', 'flink_taskmanager_job_task_backPressuredTimeMsPerSecond{J} > 500', '5m'],
  ['NoRecordsIn', 'delta(flink_taskmanager_job_task_numRecordsIn{J}[5m]) == 0 and flink_taskmanager_job_task_numRecordsIn{J} > 0', '10m'],
  ['WatermarkLagging', 'time() - flink_taskmanager_job_task_currentInputWatermark{J} / 1000 > 600', '5m'],
  ['TaskBusy', 'avg by (job_name, task_name) (flink_taskmanager_job_task_busyTimeMsPerSecond{J}) > 900', '10m'],
  ['InputPoolFull', 'flink_taskmanager_job_task_Shuffle_Netty_Input_Buffers_inPoolUsage{J} * 100 > 90', '5m'],
  ['LateRecords', 'sum by (job_name) (delta(flink_taskmanager_job_task_operator_numLateRecordsDropped{J}[5m])) > 100', '5m'],
];

/** The benchmark's rule file: one group per job with 20 recording and 10 alerting rules (200 + 100 in all). */
export function flinkRuleFile(jobNames: readonly string[], interval: string): string {
  let out = 'groups:\n';
  for (const job of jobNames) {
    const sel = (expr: string) => JSON.stringify(expr.replaceAll('{J}', `{job_name="${job}"}`));
    out += `  - name: ${job}\n    interval: ${interval}\n    rules:\n`;
    for (const [name, expr] of RECORDING) out += `      - record: flink_job:${name}\n        expr: ${sel(expr)}\n`;
    for (const [name, expr, holdFor] of ALERTING) {
      out += `      - alert: Flink${name}\n        expr: ${sel(expr)}\n        for: ${holdFor}\n        labels: {severity: warning}\n`;
      out += `        annotations: {summary: "{{ $labels.job_name }}: ${name} ({{ $value | humanize }})"}\n`;
    }
  }
  return out;
}
