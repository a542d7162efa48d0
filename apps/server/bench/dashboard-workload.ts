import { flinkWorkload, growingCounter, wanderingGauge, type WorkloadSeries } from '@pyrometer/testkit/bench';

/** When the samples of a workload lie: `samples` points `intervalMs` apart from `startMs`. */
export interface SampleGrid {
  readonly startMs: number;
  readonly intervalMs: number;
  readonly samples: number;
}

/** Upper bounds (seconds) of the latency histogram's buckets, `+Inf` last. */
const LATENCY_BUCKETS = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];
/** Of every 1,000 records, how many fall at or below each bucket's bound. */
const LATENCY_SHARE = [80, 200, 420, 610, 760, 880, 940, 975, 991, 997, 999, 1000];

/**
 * The data every deploy/ dashboard and rule reads, for `jobs` Flink jobs of flink-reporter.md
 * §2.3's shape (4 TaskManagers, 4 operators × parallelism 8) over 2 clusters: the reporter's
 * series, the Pushgateway's `push_time_seconds`/`push_failure_time_seconds` per pushing process,
 * node_exporter's series per TaskManager host, and a classic latency histogram per operator (the
 * issue's `histogram_quantile` shape). 24 jobs give ~15k series, the issue's size.
 */
export function dashboardWorkload(jobs: number, grid: SampleGrid): WorkloadSeries[] {
  const flink = flinkWorkload(jobs, 4, 4, 8, { clusters: 2 });
  const out = [...flink];
  const groups = new Map<string, string>();
  for (const s of flink) groups.set(s.labels['job']!, s.labels['cluster']!);
  const pushTime = (i: number): number => (grid.startMs + i * grid.intervalMs) / 1000;
  for (const [job, cluster] of groups) {
    out.push({ labels: { __name__: 'push_time_seconds', job, cluster, instance: '' }, value: pushTime });
    out.push({ labels: { __name__: 'push_failure_time_seconds', job, cluster, instance: '' }, value: () => 0 });
  }
  const tmHosts = [...new Set(flink.filter((s) => s.labels['__name__'] === 'flink_taskmanager_Status_JVM_CPU_Load').map((s) => s.labels['host']!))];
  for (const [h, host] of tmHosts.entries()) out.push(...nodeExporter(`${host}:9100`, h));
  for (let j = 0; j < jobs; j++) {
    for (let o = 0; o < 4; o++) {
      for (const [b, le] of LATENCY_BUCKETS.entries()) {
        const labels = { __name__: 'flink_taskmanager_job_task_operator_latency_seconds_bucket', job: 'flink-app', cluster: `cluster-${j % 2}`, job_name: `job-${j}`, operator_name: `op_${o}`, le };
        out.push({ labels, value: growingCounter((LATENCY_SHARE[b]! * (5 + ((j + o) % 7))) / 100) });
      }
    }
  }
  return out;
}

/** The node_exporter series the node dashboard reads, for one host. */
function nodeExporter(instance: string, h: number): WorkloadSeries[] {
  const base = { job: 'node', instance };
  const out: WorkloadSeries[] = [];
  for (const cpu of ['0', '1']) {
    for (const [mode, rate] of [['idle', 6], ['user', 2.5], ['system', 1], ['iowait', 0.5]] as const) {
      out.push({ labels: { ...base, __name__: 'node_cpu_seconds_total', cpu, mode }, value: growingCounter(rate + (h % 3) / 10) });
    }
  }
  out.push({ labels: { ...base, __name__: 'node_load1' }, value: wanderingGauge(1.5, 1, h) });
  out.push({ labels: { ...base, __name__: 'node_load5' }, value: wanderingGauge(1.4, 0.5, h) });
  out.push({ labels: { ...base, __name__: 'node_memory_MemAvailable_bytes' }, value: wanderingGauge(8e9, 2e9, h) });
  out.push({ labels: { ...base, __name__: 'node_memory_MemTotal_bytes' }, value: () => 16e9 });
  for (const device of ['eth0', 'lo']) out.push({ labels: { ...base, __name__: 'node_network_receive_bytes_total', device }, value: growingCounter(device === 'lo' ? 2e4 : 3e6) });
  for (const [device, fstype, mountpoint] of [['/dev/sda1', 'ext4', '/'], ['tmpfs', 'tmpfs', '/run']] as const) {
    const fs = { ...base, device, fstype, mountpoint };
    out.push({ labels: { ...fs, __name__: 'node_filesystem_avail_bytes' }, value: wanderingGauge(5e10, 1e9, h) });
    out.push({ labels: { ...fs, __name__: 'node_filesystem_size_bytes' }, value: () => 1e11 });
  }
  return out;
}
