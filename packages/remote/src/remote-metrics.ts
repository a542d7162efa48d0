import { Labels } from '@pyrometer/model';
import type { MetricsRegistry } from '@pyrometer/telemetry';
import type { WriteDestination } from './write-destination.js';

type Read = (d: WriteDestination) => number;

/** Registers upstream's remote storage and WAL watcher metric names over the running destinations. */
export function registerQueueMetrics(registry: MetricsRegistry, destinations: () => readonly WriteDestination[]): void {
  const perQueue: [string, string, 'counter' | 'gauge', Read][] = [
    ['prometheus_remote_storage_samples_total', 'Total number of samples sent to remote storage.', 'counter', (d) => d.queue.stats.sent],
    ['prometheus_remote_storage_samples_failed_total', 'Total number of samples which failed on send to remote storage, non-recoverable errors.', 'counter', (d) => d.queue.stats.failed],
    ['prometheus_remote_storage_samples_retried_total', 'Total number of samples which failed on send to remote storage but were retried because the send error was recoverable.', 'counter', (d) => d.queue.stats.retried],
    ['prometheus_remote_storage_samples_dropped_total', 'Total number of samples which were dropped after being read from the WAL before being sent via remote write, either via relabelling or because of an unknown reference ID.', 'counter', (d) => d.stats.dropped],
    ['prometheus_remote_storage_samples_pending', 'The number of samples pending in the queues shards to be sent to the remote storage.', 'gauge', (d) => d.queue.pending()],
    ['prometheus_remote_storage_queue_highest_sent_timestamp_seconds', 'Timestamp from a WAL sample, the highest timestamp successfully sent by this queue, in seconds since epoch.', 'gauge', (d) => d.queue.stats.highestSentTimestampMs / 1000],
  ];
  registry.register({
    collect: () => {
      const running = destinations();
      return [
        ...perQueue.map(([name, help, type, read]) => ({ name, help, type, metrics: running.map((d) => ({ labels: queueLabels(d), value: read(d) })) })),
        {
          name: 'prometheus_remote_storage_highest_timestamp_in_seconds',
          help: 'Highest timestamp that has come into the remote storage via the WAL, in seconds since epoch.',
          type: 'gauge' as const,
          metrics: [{ labels: Labels.EMPTY, value: Math.max(0, ...running.map((d) => d.stats.highestReadTimestampMs)) / 1000 }],
        },
        {
          name: 'prometheus_wal_watcher_current_segment',
          help: 'Current segment the WAL watcher is reading records from.',
          type: 'gauge' as const,
          metrics: running.map((d) => ({ labels: Labels.from({ consumer: d.queue.options.name }), value: d.currentSegment })),
        },
      ];
    },
  });
}

function queueLabels(d: WriteDestination): Labels {
  return Labels.from({ remote_name: d.queue.options.name, url: d.queue.options.url });
}
