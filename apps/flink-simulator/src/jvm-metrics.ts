import type { LabelPairs, MetricsBuilder } from './metrics-builder.js';

/** The JVM state a Flink process reports under `Status.JVM`. */
export interface JvmState {
  heapUsed: number;
  heapMax: number;
  cpuLoad: number;
  cpuTimeNs: number;
  threads: number;
  gcYoungCount: number;
  gcYoungTimeMs: number;
  gcOldCount: number;
  gcOldTimeMs: number;
}

/** Adds the `Status.JVM.*` metrics every JobManager and TaskManager reports. */
export function addJvmMetrics(builder: MetricsBuilder, scope: string, labels: LabelPairs, jvm: JvmState): void {
  const status = (groups: string[], metric: string, value: number) => builder.gauge(scope, ['Status', 'JVM', ...groups], metric, labels, value);
  status(['CPU'], 'Load', jvm.cpuLoad);
  status(['CPU'], 'Time', jvm.cpuTimeNs);
  status(['Memory', 'Heap'], 'Used', jvm.heapUsed);
  status(['Memory', 'Heap'], 'Committed', jvm.heapMax * 0.8);
  status(['Memory', 'Heap'], 'Max', jvm.heapMax);
  status(['Memory', 'NonHeap'], 'Used', 95e6 + jvm.threads * 1e5);
  status(['Memory', 'NonHeap'], 'Committed', 110e6);
  status(['Memory', 'NonHeap'], 'Max', -1);
  status(['Memory', 'Metaspace'], 'Used', 80e6);
  status(['Memory', 'Metaspace'], 'Max', 256e6);
  status(['Memory', 'Direct'], 'Count', 42);
  status(['Memory', 'Direct'], 'MemoryUsed', 134217728);
  status(['Memory', 'Direct'], 'TotalCapacity', 134217728);
  status(['Threads'], 'Count', jvm.threads);
  status(['ClassLoader'], 'ClassesLoaded', 11_234);
  status(['ClassLoader'], 'ClassesUnloaded', 12);
  status(['GarbageCollector', 'G1_Young_Generation'], 'Count', jvm.gcYoungCount);
  status(['GarbageCollector', 'G1_Young_Generation'], 'Time', jvm.gcYoungTimeMs);
  status(['GarbageCollector', 'G1_Old_Generation'], 'Count', jvm.gcOldCount);
  status(['GarbageCollector', 'G1_Old_Generation'], 'Time', jvm.gcOldTimeMs);
  status(['GarbageCollector', 'All'], 'Count', jvm.gcYoungCount + jvm.gcOldCount);
  status(['GarbageCollector', 'All'], 'Time', jvm.gcYoungTimeMs + jvm.gcOldTimeMs);
}
