import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { snappyEncode } from '@pyrometer/codec';
import { Labels } from '@pyrometer/model';
import { MAX_EXPRESSION_DEPTH } from '@pyrometer/promql/parser';
import { encodeWriteRequest } from '@pyrometer/remote';
import { tempDir } from '@pyrometer/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import type { PyrometerServer } from '../src/server.js';
import { rawGet as raw, startServer } from './harness.js';

// Defects of issue 15, each reproduced against the server in-process: crashes before
// authentication, wrong status codes, limits, and the TSDB admin endpoints.

const running: PyrometerServer[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
});

async function start(dir = tempDir(), flags: string[] = []): Promise<{ server: PyrometerServer; base: string; dir: string }> {
  const server = await startServer(dir, 'global:\n  scrape_interval: 15s\n', flags);
  running.push(server);
  return { server, base: `http://127.0.0.1:${server.port}`, dir };
}

const healthy = async (base: string) => (await fetch(`${base}/-/healthy`)).status;

describe('requests that used to take the server down', () => {
  it('GET // redirects to / as upstream (it threw in the metrics wrapper, before authentication)', async () => {
    const { server, base } = await start();
    const root = await raw(server.port, '//');
    expect(root.status).toBe(301);
    expect(root.location).toBe('/');
    const api = await raw(server.port, '//api/v1/query?query=up');
    expect(api.location).toBe('/api/v1/query?query=up');
    expect(await healthy(base)).toBe(200);
  });

  it('a malformed escape in the path is a 400 naming it (decodeURIComponent threw in the router)', async () => {
    const { server, base } = await start();
    const answer = await raw(server.port, '/api/v1/label/%ZZ/values');
    expect(answer.status).toBe(400);
    expect(answer.body).toBe('Bad Request: invalid URL escape "%ZZ" in the path "/api/v1/label/%ZZ/values"\n');
    expect(await healthy(base)).toBe(200);
  });
});

describe('limits and status codes', () => {
  it('accepts request targets of about 1 MB, as Go (Node alone answered 431 above 16 KiB)', async () => {
    const { base } = await start();
    const names = Array.from({ length: 60_000 }, (_, i) => `metric_${i}`).join('|');
    const res = await fetch(`${base}/api/v1/series?match[]=${encodeURIComponent(`{__name__=~"${names}"}`)}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'success', data: [] });
  });

  it('refuses invalid UTF-8 in a query with upstream\'s 400 instead of running it', async () => {
    const { base } = await start();
    const res = await fetch(`${base}/api/v1/query?query=up%7Bjob%3D%22%FF%22%7D`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": 1:8: parse error: invalid UTF-8 rune' });
  });

  it('reads a parameter with a malformed escape as absent, as Go\'s ParseQuery', async () => {
    const { base } = await start();
    const malformed = await fetch(`${base}/api/v1/query?query=%ZZ&time=1`);
    const absent = await fetch(`${base}/api/v1/query?time=1`);
    expect(await malformed.json()).toEqual(await absent.json());
  });

  it('answers 413 to a remote-write body over the limit, so senders drop it instead of retrying forever', async () => {
    const { base } = await start(undefined, ['--web.enable-remote-write-receiver', '--web.max-request-body-bytes=64KB']);
    const post = (body: Uint8Array) => fetch(`${base}/api/v1/write`, { method: 'POST', headers: { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'snappy' }, body });
    const tooLong = await post(new Uint8Array(70_000));
    expect([tooLong.status, await tooLong.text()]).toEqual([413, 'request body of 70000 bytes exceeds the limit of 65536 bytes\n']);
    const series = Array.from({ length: 2000 }, (_, i) => ({ labels: Labels.from({ __name__: 'm', i: String(i) }), samples: [{ t: Date.now(), v: 1, stale: false }] }));
    const decodesTooLong = await post(snappyEncode(encodeWriteRequest(series)));
    expect(decodesTooLong.status).toBe(413);
    expect(await decodesTooLong.text()).toMatch(/^remote write body: decoded length \d+ exceeds the limit of 65536 bytes\n$/);
  });

  it('lists metadata received by remote write in /api/v1/metadata', async () => {
    const { base } = await start(undefined, ['--web.enable-remote-write-receiver']);
    const body = snappyEncode(encodeWriteRequest([], [{ type: 2, metricFamilyName: 'flink_taskmanager_Status_JVM_CPU_Load', help: 'CPU load.', unit: '' }]));
    expect((await fetch(`${base}/api/v1/write`, { method: 'POST', headers: { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'snappy' }, body })).status).toBe(204);
    expect(await (await fetch(`${base}/api/v1/metadata`)).json()).toEqual({ status: 'success', data: { flink_taskmanager_Status_JVM_CPU_Load: [{ type: 'gauge', help: 'CPU load.', unit: '' }] } });
  });
});

describe('deep expressions', () => {
  it('answers queries at the depth limit on every endpoint that walks the tree, and a clear 400 beyond it (it answered "Maximum call stack size exceeded")', async () => {
    const { base } = await start();
    const deep = (levels: number) => encodeURIComponent('abs('.repeat(levels - 1) + 'up' + ')'.repeat(levels - 1));
    for (const endpoint of ['query', 'query_range?start=0&end=60&step=15&', 'format_query', 'parse_query']) {
      const path = endpoint.includes('?') ? `/api/v1/${endpoint}query=` : `/api/v1/${endpoint}?query=`;
      expect((await fetch(`${base}${path}${deep(MAX_EXPRESSION_DEPTH)}`)).status, endpoint).toBe(200);
      const refused = await fetch(`${base}${path}${encodeURIComponent(Array(5000).fill('up').join(' + '))}`);
      expect([refused.status, ((await refused.json()) as { error: string }).error], endpoint).toEqual([400, `invalid parameter "query": 1:1: parse error: expression nested too deeply: more than ${MAX_EXPRESSION_DEPTH} levels`]);
    }
  });
});

describe('the TSDB admin endpoints and the data directory', () => {
  it('writes each snapshot to snapshots/<YYYYMMDDTHHMMSSZ>-<16 hex> and answers that name, also twice with blocks', async () => {
    const { server, base, dir } = await start(undefined, ['--web.enable-admin-api']);
    const app = server.tsdb.appender();
    const start0 = Date.now() - 5 * 3_600_000;
    for (let t = start0; t < Date.now(); t += 60_000) app.append(0, Labels.from({ __name__: 'm' }), t, 1);
    await app.commit();
    await server.tsdb.compact();
    expect(server.tsdb.blockMetas().length).toBeGreaterThan(0);
    const names: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${base}/api/v1/admin/tsdb/snapshot`, { method: 'POST' });
      expect(res.status).toBe(200);
      names.push(((await res.json()) as { data: { name: string } }).data.name);
    }
    for (const name of names) expect(name).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{16}$/);
    expect(readdirSync(join(dir, 'data', 'snapshots')).sort()).toEqual([...names].sort());
    for (const name of names) expect(readdirSync(join(dir, 'data', 'snapshots', name)).length).toBeGreaterThan(server.tsdb.blockMetas().length);
    const bad = await fetch(`${base}/api/v1/admin/tsdb/snapshot?skip_head=maybe`, { method: 'POST' });
    expect([bad.status, await bad.json()]).toEqual([400, { status: 'error', errorType: 'bad_data', error: 'invalid parameter "skip_head": unable to parse boolean: strconv.ParseBool: parsing "maybe": invalid syntax' }]);
  });

  it('refuses to open a data directory another server holds, and opens it with --storage.tsdb.no-lockfile', async () => {
    const { dir } = await start();
    await expect(startServer(dir, 'global:\n  scrape_interval: 15s\n')).rejects.toThrow(/^opening storage failed: lock DB directory: .*\/lock is held by this process already/);
    const second = await startServer(dir, 'global:\n  scrape_interval: 15s\n', ['--storage.tsdb.no-lockfile']);
    running.push(second);
  });
});
