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
 * Flink-shaped series: per task manager and operator, the metric names Flink's reporter pushes
 * (gauges of load/memory, counters of records and bytes), labelled like the Pushgateway relabels them.
 */
export function flinkSeries(n: number): Labels[] {
  const names = [
    'flink_taskmanager_job_task_operator_numRecordsIn',
    'flink_taskmanager_job_task_operator_numRecordsOut',
    'flink_taskmanager_job_task_numBytesInLocal',
    'flink_taskmanager_Status_JVM_CPU_Load',
    'flink_taskmanager_Status_JVM_Memory_Heap_Used',
    'flink_taskmanager_job_task_buffers_inPoolUsage',
    'flink_taskmanager_job_task_operator_currentInputWatermark',
    'flink_taskmanager_Status_JVM_GarbageCollector_G1_Young_Generation_Count',
  ];
  const out: Labels[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      Labels.from({
        __name__: names[i % names.length]!,
        job: 'flink',
        instance: 'pushgateway:9091',
        host: `tm-${Math.floor(i / 400) % 50}`,
        tm_id: `container_e01_1700000000000_0001_01_${String(Math.floor(i / 400)).padStart(6, '0')}`,
        job_name: `etl-${Math.floor(i / 2000)}`,
        task_name: `Source__kafka_-__Map_${Math.floor(i / 8) % 50}`,
        subtask_index: String(i % 16),
      }),
    );
  }
  return out;
}

/**
 * The value of series `i` at scrape `k` (10 s apart), shaped like Flink's metrics: record and byte
 * counters growing at a steady per-task rate, a JVM CPU load with two decimals, a heap that fills and
 * is collected, a buffer usage that is mostly 0, an event-time watermark trailing wall time, and a
 * GC count that rarely moves.
 */
export function flinkValue(i: number, k: number): number {
  const rate = 100 + (i % 13) * 37;
  switch (i % 8) {
    case 0:
    case 1:
      return k * rate * 10;
    case 2:
      return k * rate * 10 * 512;
    case 3:
      return Math.round(25 + 10 * Math.sin((k + i) / 40)) / 100;
    case 4:
      return 200_000_000 + ((k + i) % 60) * 4_194_304;
    case 5:
      return (k + i) % 50 === 0 ? 0.1 : 0;
    case 6:
      return 1_700_000_000_000 + k * 10_000 - 2000;
    default:
      return Math.floor((k + i) / 30);
  }
}
