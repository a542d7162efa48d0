import { snappyEncode } from '@pyrometer/codec';
import { Labels } from '@pyrometer/model';
import { encodeWriteRequest, type RemoteSeries } from '@pyrometer/remote';
import type { WorkloadSeries } from '@pyrometer/testkit/bench';
import type { SampleGrid } from './dashboard-workload.js';

/** Timestamps per remote-write request: 2 minutes at 15 s, well inside the 1 h a head accepts behind its newest sample. */
const TIMESTAMPS_PER_REQUEST = 8;

/**
 * Sends every sample of `series` on `grid` to each server's /api/v1/write (remote write 1.0,
 * snappy), oldest first, `TIMESTAMPS_PER_REQUEST` timestamps of every series per request; the
 * servers receive the same bytes in the same order, concurrently. Throws on any non-2xx answer.
 * Prints progress every 10% of the requests.
 */
export async function remoteWriteAll(bases: readonly string[], series: readonly WorkloadSeries[], grid: SampleGrid): Promise<void> {
  const labels = series.map((s) => Labels.from(s.labels));
  // Each series' labels are encoded once for all requests.
  const cache: Parameters<typeof encodeWriteRequest>[2] = new WeakMap();
  const requests = Math.ceil(grid.samples / TIMESTAMPS_PER_REQUEST);
  const started = performance.now();
  for (let r = 0; r < requests; r++) {
    const from = r * TIMESTAMPS_PER_REQUEST;
    const to = Math.min(grid.samples, from + TIMESTAMPS_PER_REQUEST);
    const batch: RemoteSeries[] = series.map((s, k) => {
      const samples = [];
      for (let i = from; i < to; i++) samples.push({ t: grid.startMs + i * grid.intervalMs, v: s.value(i), stale: false });
      return { labels: labels[k]!, samples };
    });
    const body = snappyEncode(encodeWriteRequest(batch, [], cache));
    await Promise.all(bases.map((base) => post(`${base}/api/v1/write`, body)));
    if ((r + 1) % Math.ceil(requests / 10) === 0) console.log(`remote write: ${r + 1}/${requests} requests (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
}

async function post(url: string, body: Uint8Array): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`remote write to ${url}: HTTP ${res.status} ${text.slice(0, 300)}`);
}
