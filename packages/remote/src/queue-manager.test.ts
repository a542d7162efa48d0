import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { snappyDecode } from '@pyrometer/codec';
import { Labels } from '@pyrometer/model';
import { silentLogger } from '@pyrometer/telemetry';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeWriteRequest, type WriteRequest } from './prompb.js';
import { QueueManager, type QueueOptions } from './queue-manager.js';

/** A real receiver on 127.0.0.1:0 answering each request with the next scripted status. */
async function receiver(statuses: number[], headers: Record<string, string> = {}): Promise<{ server: Server; url: string; requests: WriteRequest[]; rawHeaders: Record<string, string | string[] | undefined>[] }> {
  const requests: WriteRequest[] = [];
  const rawHeaders: Record<string, string | string[] | undefined>[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      rawHeaders.push(req.headers);
      const status = statuses.shift() ?? 204;
      if (status < 300) requests.push(decodeWriteRequest(snappyDecode(Buffer.concat(chunks))));
      res.writeHead(status, status === 429 ? headers : {});
      res.end(status < 300 ? '' : 'nope');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/write`, requests, rawHeaders };
}

const OPTIONS: Omit<QueueOptions, 'url'> = { name: 'test', timeoutMs: 5_000, headers: { 'X-Scope-OrgID': 'tenant' }, capacity: 1000, maxSamplesPerSend: 3, batchSendDeadlineMs: 20, minBackoffMs: 10, maxBackoffMs: 40, retryOnHttp429: true, userAgent: 'Pyrometer-test' };
const UP = Labels.from({ __name__: 'up', job: 'a' });
let servers: Server[] = [];
afterEach(() => {
  for (const s of servers) s.close();
  servers = [];
});

describe('QueueManager', () => {
  it('batches by maxSamplesPerSend, sends protobuf+snappy with upstream headers, groups samples by series', async () => {
    const r = await receiver([]);
    servers.push(r.server);
    const q = new QueueManager({ ...OPTIONS, url: r.url }, silentLogger());
    for (let i = 0; i < 7; i++) q.enqueue(UP, i * 1000, i, i === 6);
    await q.flush();
    expect(r.requests.map((req) => req.timeseries[0]!.samples.length)).toEqual([3, 3, 1]);
    expect(r.requests[2]!.timeseries[0]!.samples[0]).toMatchObject({ t: 6000, stale: true });
    expect(r.rawHeaders[0]).toMatchObject({ 'content-encoding': 'snappy', 'content-type': 'application/x-protobuf', 'x-prometheus-remote-write-version': '0.1.0', 'user-agent': 'Pyrometer-test', 'x-scope-orgid': 'tenant' });
    expect(q.stats).toMatchObject({ sent: 7, failed: 0, highestSentTimestampMs: 6000 });
  });

  it('sends a partial batch after the deadline', async () => {
    const r = await receiver([]);
    servers.push(r.server);
    const q = new QueueManager({ ...OPTIONS, url: r.url }, silentLogger());
    q.enqueue(UP, 1000, 1, false);
    for (let waited = 0; r.requests.length === 0 && waited < 5_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(r.requests).toHaveLength(1);
    expect(q.pending()).toBe(0);
    await q.stop();
  });

  it('retries 5xx and 429 with backoff until accepted, and drops a batch refused with 4xx', async () => {
    const r = await receiver([500, 429, 204, 400]);
    servers.push(r.server);
    const q = new QueueManager({ ...OPTIONS, url: r.url }, silentLogger());
    for (let i = 0; i < 3; i++) q.enqueue(UP, i, i, false);
    await q.flush();
    expect(q.stats).toMatchObject({ sent: 3, retried: 6, failed: 0 });
    for (let i = 3; i < 6; i++) q.enqueue(UP, i, i, false);
    await q.flush();
    expect(q.stats).toMatchObject({ sent: 3, failed: 3 });
    expect(r.requests).toHaveLength(1);
  });

  it('reports settled batches in order, counting a 4xx-refused batch as settled', async () => {
    const r = await receiver([204, 400, 204]);
    servers.push(r.server);
    const settled: number[] = [];
    const q = new QueueManager({ ...OPTIONS, url: r.url }, silentLogger(), (n) => settled.push(n));
    for (let i = 0; i < 8; i++) q.enqueue(UP, i, i, false);
    await q.flush();
    expect(settled).toEqual([3, 3, 2]);
    expect(q.stats).toMatchObject({ sent: 5, failed: 3 });
  });

  it('keeps everything beyond capacity (the feeder waits on hasRoom) and abandons a failing batch on stop', async () => {
    const r = await receiver([503, 503, 503, 503, 503, 503]);
    servers.push(r.server);
    const settled: number[] = [];
    const q = new QueueManager({ ...OPTIONS, url: r.url, capacity: 2, minBackoffMs: 60_000, maxBackoffMs: 60_000 }, silentLogger(), (n) => settled.push(n));
    for (let i = 0; i < 5; i++) q.enqueue(UP, i, i, false);
    expect(q.pending()).toBe(5);
    expect(q.hasRoom()).toBe(false);
    for (let waited = 0; q.stats.retried === 0 && waited < 5_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    await q.stop(60_000);
    expect(settled).toEqual([]);
    expect(q.stats).toMatchObject({ sent: 0, failed: 0 });
  });
});
