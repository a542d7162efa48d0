// The Flink workload the PromQL benchmarks share (packages/promql's engine figures and the
// server's whole-binary figures beside Prometheus): series shaped as flink-reporter.md §2 and the
// dashboard and alert queries of §3.

/** One generated series: its labels (with `__name__`) and a value function of the sample index. */
export interface WorkloadSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: (i: number) => number;
}

/** How {@link flinkWorkload} labels its series beyond the metrics' own labels. */
export interface FlinkWorkloadOptions {
  /**
   * Spread the jobs over this many clusters (`cluster="cluster-<n>"`, as the deploy/ dashboards
   * filter by) and give each series the `job` of the Pushgateway group its process pushes to
   * (`flink-<host>`, as the reporter's random job-name suffix makes them distinct). Without it,
   * every series has `job="flink"` and no cluster.
   */
  clusters?: number;
}

/** A gauge wandering around `base` by `amp`, and a counter growing by `rate` per sample. */
export const wanderingGauge = (base: number, amp: number, phase: number) => (i: number) => base + amp * Math.sin(i / 17 + phase);
export const growingCounter = (rate: number) => (i: number) => Math.floor(i * rate);

/**
 * A Flink workload as the reporter pushes it (flink-reporter.md §2): per job a JobManager, `tms`
 * TaskManagers and `operators × parallelism` subtasks, each with the metrics the §3 queries and
 * the deploy/ dashboards and rules use. Counters grow, gauges wander deterministically.
 */
export function flinkWorkload(jobs: number, tms: number, operators: number, parallelism: number, options: FlinkWorkloadOptions = {}): WorkloadSeries[] {
  const out: WorkloadSeries[] = [];
  let phase = 0;
  let common: Record<string, string> = { job: 'flink' };
  const add = (name: string, labels: Record<string, string>, value: (i: number) => number): void => {
    const group = options.clusters === undefined ? {} : { job: `flink-${labels['host']}` };
    out.push({ labels: { ...labels, __name__: name, ...common, ...group }, value });
  };
  for (let j = 0; j < jobs; j++) {
    if (options.clusters !== undefined) common = { cluster: `cluster-${j % options.clusters}` };
    const job = { job_name: `job-${j}`, job_id: `id${j.toString(16).padStart(8, '0')}` };
    const jm = { host: `jm-${j}` };
    add('flink_jobmanager_numRegisteredTaskManagers', jm, () => tms);
    add('flink_jobmanager_taskSlotsAvailable', jm, wanderingGauge(2, 1, j));
    add('flink_jobmanager_taskSlotsTotal', jm, () => tms * 2);
    add('flink_jobmanager_numRunningJobs', jm, () => 1);
    for (const [m, f] of [
      ['fullRestarts', growingCounter(0.01)],
      ['numRestarts', growingCounter(0.01)],
      ['lastCheckpointDuration', wanderingGauge(5000, 3000, j)],
      ['lastCheckpointSize', wanderingGauge(1e8, 5e7, j)],
      ['numberOfFailedCheckpoints', growingCounter(0.02)],
      ['downtime', () => 0],
      ['uptime', growingCounter(10_000)],
      ['runningTime', growingCounter(10_000)],
      ['numberOfCompletedCheckpoints', growingCounter(0.1)],
      ['totalNumberOfCheckpoints', growingCounter(0.12)],
    ] as const) add(`flink_jobmanager_job_${m}`, { ...jm, ...job }, f);
    add('flink_jobmanager_Status_JVM_GarbageCollector_PS_MarkSweep_Time', jm, growingCounter(3));
    add('flink_jobmanager_Status_JVM_GarbageCollector_PS_Scavenge_Time', jm, growingCounter(7));
    for (let t = 0; t < tms; t++) {
      const tm = { host: `tm-${j}-${t}`, tm_id: `tm${j}x${t}` };
      for (const [m, f] of [
        ['Status_JVM_GarbageCollector_G1_Old_Generation_Count', growingCounter(0.1)],
        ['Status_JVM_GarbageCollector_G1_Young_Generation_Count', growingCounter(2)],
        ['Status_JVM_CPU_Load', wanderingGauge(0.5, 0.3, t)],
        ['Status_JVM_GarbageCollector_G1_Old_Generation_Time', growingCounter(20)],
        ['Status_JVM_GarbageCollector_G1_Young_Generation_Time', growingCounter(150)],
        ['Status_JVM_GarbageCollector_All_Time', growingCounter(170)],
        ['Status_JVM_Memory_NonHeap_Committed', wanderingGauge(2e8, 1e6, t)],
        ['Status_JVM_Memory_NonHeap_Used', wanderingGauge(1.9e8, 1e6, t)],
        ['Status_JVM_Memory_Heap_Max', () => 4e9],
        ['Status_JVM_Memory_Heap_Used', wanderingGauge(2e9, 1e9, t)],
        ['Status_JVM_Threads_Count', wanderingGauge(80, 5, t)],
        ['Status_JVM_CPU_Time', growingCounter(1e6)],
        ['Status_Flink_Memory_Managed_Used', wanderingGauge(5e8, 1e8, t)],
        ['Status_Flink_Memory_Managed_Total', () => 1e9],
      ] as const) add(`flink_taskmanager_${m}`, tm, f);
    }
    for (let o = 0; o < operators; o++) {
      for (let p = 0; p < parallelism; p++) {
        const sub = { ...job, host: `tm-${j}-${p % tms}`, task_name: `task_${o}`, operator_name: `op_${o}`, subtask_index: String(p) };
        phase++;
        for (const [m, f] of [
          ['operator_numRecordsOutPerSecond', wanderingGauge(1000, 200, phase)],
          ['operator_numRecordsInPerSecond', wanderingGauge(1000, 200, phase + 1)],
          ['operator_fetch_latency_avg', wanderingGauge(20, 5, phase)],
          ['operator_numLateRecordsDropped', growingCounter(0.5)],
          ['operator_commitsFailed', growingCounter(0.001)],
          ['currentInputWatermark', (i: number) => 1.7e12 + i * 10_000],
          ['Shuffle_Netty_Output_Buffers_outPoolUsage', wanderingGauge(0.4, 0.3, phase)],
          ['Shuffle_Netty_Input_Buffers_inPoolUsage', wanderingGauge(0.4, 0.3, phase + 2)],
          ['Shuffle_Netty_Input_Buffers_inputQueueLength', wanderingGauge(3, 2, phase)],
          ['isBackPressured', (i: number) => ((i + phase) % 50 === 0 ? 1 : 0)],
          ['backPressuredTimeMsPerSecond', wanderingGauge(300, 300, phase)],
          ['numRecordsIn', growingCounter(1000)],
          ['numRecordsInPerSecond', wanderingGauge(1000, 200, phase + 1)],
          ['numRecordsOutPerSecond', wanderingGauge(1000, 200, phase)],
          ['busyTimeMsPerSecond', wanderingGauge(400, 300, phase + 3)],
        ] as const) add(`flink_taskmanager_job_task_${m}`, sub, f);
      }
    }
  }
  return out;
}

/** The dashboard and alert queries of flink-reporter.md §3 (Grafana's `$job_name` as a two-job regex). */
export const FLINK_QUERIES: readonly string[] = [
  'sum(flink_jobmanager_numRegisteredTaskManagers)',
  'sum(flink_jobmanager_taskSlotsAvailable)',
  'flink_jobmanager_job_fullRestarts{job_name=~"$job_name"}',
  'sum (flink_taskmanager_job_task_operator_numRecordsOutPerSecond{job_name=~"$job_name"})  by (operator_name)',
  'time() -  ( max(flink_taskmanager_job_task_currentInputWatermark{job_name=~"$job_name"}) by (task_name)/1000)',
  'flink_taskmanager_job_task_Shuffle_Netty_Output_Buffers_outPoolUsage{job_name=~"$job_name"} *100 >50',
  'sum(flink_taskmanager_job_task_Shuffle_Netty_Input_Buffers_inputQueueLength{job_name=~"$job_name"}) by (host)',
  'max (flink_taskmanager_job_task_operator_fetch_latency_avg{job_name=~"$job_name"}) by (task_name)',
  'delta(flink_taskmanager_Status_JVM_GarbageCollector_G1_Old_Generation_Count[30s]) > 50',
  'topk(10,delta(flink_taskmanager_Status_JVM_GarbageCollector_G1_Young_Generation_Time[30s]))',
  'sum(delta(flink_taskmanager_job_task_operator_numLateRecordsDropped{job_name=~"$job_name"}[30s]))',
  'flink_taskmanager_Status_JVM_Memory_NonHeap_Committed-flink_taskmanager_Status_JVM_Memory_NonHeap_Used  < 2000000',
  'rate(flink_taskmanager_Status_JVM_Threads_Count[5m]) > 1',
  'rate(flink_jobmanager_job_lastCheckpointSize{job_name=~"$job_name"}[2m])',
  'rate(flink_taskmanager_job_task_operator_commitsFailed{job_name=~"$job_name"}[2m])',
  'rate(flink_jobmanager_Status_JVM_GarbageCollector_PS_MarkSweep_Time[5m])/1000 + rate(flink_jobmanager_Status_JVM_GarbageCollector_PS_Scavenge_Time[5m])/1000',
  'max(changes(flink_jobmanager_job_uptime{job_name="job-1"}[1m])) > bool 0',
  'count(flink_taskmanager_Status_JVM_CPU_Time) < 2',
  '(sum(flink_taskmanager_Status_JVM_Memory_Heap_Used) / sum(flink_taskmanager_Status_JVM_Memory_Heap_Max)) * 100',
  'flink_taskmanager_Status_JVM_Memory_Heap_Used / flink_taskmanager_Status_JVM_Memory_Heap_Max > 0.9 and flink_taskmanager_Status_JVM_Memory_Heap_Max > 0',
  'delta(flink_jobmanager_job_numberOfFailedCheckpoints[10m]) > 1',
  'flink_taskmanager_job_task_isBackPressured == 1',
  'deriv(flink_taskmanager_Status_JVM_GarbageCollector_All_Time[5m]) > 100',
  'delta(flink_taskmanager_job_task_numRecordsIn[5m]) == 0 and flink_taskmanager_job_task_numRecordsIn > 0',
  'sum by (job_name) (rate(flink_taskmanager_job_task_numRecordsIn[1m]))',
  'max_over_time(flink_taskmanager_job_task_backPressuredTimeMsPerSecond[5m:30s])',
].map((q) => q.replaceAll('$job_name', 'job-1|job-2'));
