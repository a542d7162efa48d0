import { readFileSync } from 'node:fs';

// Where a measured server's RSS goes, printed beside the ingestion figures: the kernel's split
// (anonymous memory vs file-backed pages such as the executable) and what the process says of its
// own heap on /metrics, under the names each one exports (Node's for ours, Go's for Prometheus).
// For ours, anonymous memory minus the main thread's V8 heap and external memory is the query
// workers' isolates plus Node's own allocations.

const MiB = 2 ** 20;
const METRICS = ['nodejs_heap_size_total_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_external_memory_bytes', 'go_memstats_heap_inuse_bytes', 'go_memstats_heap_alloc_bytes', 'go_memstats_stack_inuse_bytes'];

/** A one-line RSS breakdown of process `pid`, whose /metrics is at `metricsUrl`. */
export async function memoryBreakdown(pid: number, metricsUrl: string): Promise<string> {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0) * 1024;
  const parts = [`anonymous ${mib(kib('Anonymous'))}`, `file-backed ${mib(kib('Rss') - kib('Anonymous'))}`];
  const text = await (await fetch(metricsUrl)).text();
  for (const name of METRICS) {
    const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
    if (m !== null) parts.push(`${name.replace(/_bytes$/, '')} ${mib(Number(m[1]))}`);
  }
  const workers = /^pyrometer_query_workers (\S+)$/m.exec(text);
  if (workers !== null) parts.push(`query workers ${workers[1]}`);
  return parts.join(', ');
}

const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
