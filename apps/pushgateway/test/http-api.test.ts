import { encodeDelimited, parseFamilies } from '@pyrometer/exposition';
import { gzipSync } from 'node:zlib';
import { snappyFramedEncode } from '@pyrometer/codec';
import { describe, expect, it } from 'vitest';
import { pushedLines, send, startOurs } from './helpers.js';

const TEXT = 'text/plain; version=0.0.4; charset=utf-8';

describe('push API', () => {
  it('PUT stores the group with grouping labels, instance="" and timestamps', async () => {
    const gw = await startOurs();
    const res = await send(`${gw.url}/metrics/job/batch/env/prod`, 'PUT', '# TYPE jobs_done counter\njobs_done{job="ignored",kind="x"} 3\n', { 'Content-Type': TEXT });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    const metrics = await send(`${gw.url}/metrics`, 'GET');
    expect(metrics.headers.get('content-type')).toBe(TEXT);
    const lines = pushedLines(metrics.text).map((l) => l.replace(/^(push_time_seconds\{.*\}) \S+$/, '$1 <now>'));
    expect(lines).toEqual([
      '# TYPE jobs_done counter',
      'jobs_done{env="prod",instance="",job="batch",kind="x"} 3',
      '# HELP push_failure_time_seconds Last Unix time when changing this group in the Pushgateway failed.',
      '# TYPE push_failure_time_seconds gauge',
      'push_failure_time_seconds{env="prod",instance="",job="batch"} 0',
      '# HELP push_time_seconds Last Unix time when changing this group in the Pushgateway succeeded.',
      '# TYPE push_time_seconds gauge',
      'push_time_seconds{env="prod",instance="",job="batch"} <now>',
    ]);
  });

  it.each([
    { name: 'timestamps', path: 'job/a', body: 'm 1 1000\n', want: 'pushed metrics are invalid or inconsistent with existing metrics: pushed metrics must not have timestamps\n' },
    { name: 'text parse error', path: 'job/a', body: 'm{ 1\n', want: /^(text format parsing error in line 1|1:\d+: )/ },
    { name: 'empty base64 job', path: 'job@base64/=', body: '', want: 'job name is required\n' },
    { name: 'odd label path', path: 'job/a/b', body: '', want: 'odd number of components in label string "/b"\n' },
    { name: 'bad base64', path: 'job@base64/%21', body: '', want: /^invalid base64 encoding in job name/ },
  ])('answers 400 for $name', async ({ path, body, want }) => {
    const gw = await startOurs();
    const res = await send(`${gw.url}/metrics/${path}`, 'PUT', body);
    expect(res.status).toBe(400);
    if (typeof want === 'string') expect(res.text).toBe(want);
    else expect(res.text).toMatch(want);
  });

  it('rejects an inconsistent push with 400 and leaves the group as it was', async () => {
    const gw = await startOurs();
    expect((await send(`${gw.url}/metrics/job/a`, 'PUT', '# TYPE m gauge\nm 1\n')).status).toBe(200);
    expect((await send(`${gw.url}/metrics/job/b`, 'PUT', '# TYPE keep gauge\nkeep 1\n')).status).toBe(200);
    const res = await send(`${gw.url}/metrics/job/b`, 'PUT', '# TYPE m counter\nm 1\n');
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/^pushed metrics are invalid or inconsistent with existing metrics: collected metric "m" \{ .*\} is not a GAUGE\n$/);
    const lines = pushedLines((await send(`${gw.url}/metrics`, 'GET')).text);
    expect(lines).toContain('keep{instance="",job="b"} 1');
    expect(lines.filter((l) => l.startsWith('m{'))).toEqual(['m{instance="",job="a"} 1']);
  });

  it('answers 202 without the check when it is disabled', async () => {
    const gw = await startOurs({ disableConsistencyCheck: true });
    expect((await send(`${gw.url}/metrics/job/a`, 'PUT', 'm 1\n')).status).toBe(202);
    expect((await send(`${gw.url}/metrics/job/a`, 'POST', 'n 1\n')).status).toBe(202);
  });

  it('accepts gzip and delimited protobuf bodies, @base64 segments and empty values', async () => {
    const gw = await startOurs();
    const gz = await send(`${gw.url}/metrics/job@base64/L3Zhci90bXA/instance@base64/=`, 'PUT', gzipSync('# TYPE a gauge\na 1\n'), { 'Content-Encoding': 'gzip' });
    expect(gz.status).toBe(200);
    const proto = encodeDelimited(parseFamilies('# TYPE b counter\nb{x="y"} 2\n', TEXT));
    const pb = await send(`${gw.url}/metrics/job/p`, 'POST', proto, { 'Content-Type': 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited' });
    expect(pb.status).toBe(200);
    const lines = pushedLines((await send(`${gw.url}/metrics`, 'GET')).text);
    expect(lines).toContain('a{instance="",job="/var/tmp"} 1');
    expect(lines).toContain('b{instance="",job="p",x="y"} 2');
  });

  it('accepts snappy-framed bodies and refuses corrupt ones with 400 naming the encoding', async () => {
    const gw = await startOurs();
    const ok = await send(`${gw.url}/metrics/job/s`, 'PUT', snappyFramedEncode(new TextEncoder().encode('# TYPE c gauge\nc 3\n')), { 'Content-Encoding': 'snappy' });
    expect(ok.status).toBe(200);
    expect(pushedLines((await send(`${gw.url}/metrics`, 'GET')).text)).toContain('c{instance="",job="s"} 3');
    const bad = await send(`${gw.url}/metrics/job/s`, 'PUT', 'not snappy', { 'Content-Encoding': 'snappy' });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/invalid snappy body/);
  });

  it('POST replaces same-named families only; DELETE answers 202 and removes the group', async () => {
    const gw = await startOurs();
    await send(`${gw.url}/metrics/job/a`, 'PUT', 'x 1\ny 2\n');
    await send(`${gw.url}/metrics/job/a`, 'POST', 'y 3\n');
    let lines = pushedLines((await send(`${gw.url}/metrics`, 'GET')).text);
    expect(lines.filter((l) => /^[xy]\{/.test(l))).toEqual(['x{instance="",job="a"} 1', 'y{instance="",job="a"} 3']);
    expect((await send(`${gw.url}/metrics/job/a`, 'DELETE')).status).toBe(202);
    expect((await send(`${gw.url}/metrics/job/missing`, 'DELETE')).status).toBe(202);
    lines = pushedLines((await send(`${gw.url}/metrics`, 'GET')).text);
    expect(lines).toEqual([]);
  });

  it('serves protobuf and gzip when the scraper asks', async () => {
    const gw = await startOurs();
    await send(`${gw.url}/metrics/job/a`, 'PUT', 'x 1\n');
    const res = await fetch(`${gw.url}/metrics`, { headers: { Accept: 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited', 'Accept-Encoding': 'gzip' } });
    expect(res.headers.get('content-type')).toContain('application/vnd.google.protobuf');
    const families = parseFamilies(new Uint8Array(await res.arrayBuffer()), res.headers.get('content-type'));
    expect(families.find((f) => f.name === 'x')?.metrics[0]?.value).toBe(1);
  });
});

describe('v1 API, health and admin endpoints', () => {
  it('GET /api/v1/metrics lists groups as upstream', async () => {
    const gw = await startOurs();
    await send(`${gw.url}/metrics/job/a/i/1`, 'PUT', '# HELP s A summary.\n# TYPE s summary\ns{quantile="0.5"} 1.5\ns_sum 10\ns_count 4\n');
    const body = JSON.parse((await send(`${gw.url}/api/v1/metrics`, 'GET')).text) as { status: string; data: Record<string, unknown>[] };
    expect(body.status).toBe('success');
    const group = body.data[0]!;
    expect(group['labels']).toEqual({ i: '1', job: 'a' });
    expect(group['last_push_successful']).toBe(true);
    expect(group['s']).toMatchObject({ type: 'SUMMARY', help: 'A summary.', metrics: [{ labels: { i: '1', instance: '', job: 'a' }, quantiles: { '0.5': '1.5' }, count: '4', sum: '10' }] });
    expect(group['push_time_seconds']).toMatchObject({ type: 'GAUGE', metrics: [{ value: expect.stringMatching(/^\d\.\d+e\+09$/) }] });
  });

  it('GET /api/v1/status, /-/healthy and /-/ready answer', async () => {
    const gw = await startOurs();
    const status = JSON.parse((await send(`${gw.url}/api/v1/status`, 'GET')).text) as { data: { flags: Record<string, string>; build_information: Record<string, string> } };
    expect(status.data.flags['web.telemetry-path']).toBe('/metrics');
    expect(status.data.build_information['version']).toBeTypeOf('string');
    expect(await send(`${gw.url}/-/healthy`, 'GET')).toMatchObject({ status: 200, text: 'OK' });
    expect(await send(`${gw.url}/-/ready`, 'GET')).toMatchObject({ status: 200, text: 'OK' });
  });

  it('wipes only with --web.enable-admin-api', async () => {
    const off = await startOurs();
    expect((await send(`${off.url}/api/v1/admin/wipe`, 'PUT')).status).toBe(404);
    const on = await startOurs({ enableAdminApi: true });
    await send(`${on.url}/metrics/job/a`, 'PUT', 'x 1\n');
    expect((await send(`${on.url}/api/v1/admin/wipe`, 'PUT')).status).toBe(202);
    await expect.poll(async () => pushedLines((await send(`${on.url}/metrics`, 'GET')).text)).toEqual([]);
  });

  it('deletes groups by label matchers only with --web.enable-delete-by-matchers', async () => {
    const off = await startOurs();
    expect((await send(`${off.url}/api/v1/groups?match[]=${encodeURIComponent('{job=~"f.*"}')}`, 'DELETE')).status).toBe(403);
    const gw = await startOurs({ enableDeleteByMatchers: true });
    for (const job of ['flinkaaaa', 'flinkbbbb', 'other']) await send(`${gw.url}/metrics/job/${job}`, 'PUT', 'x 1\n');
    const bad = await send(`${gw.url}/api/v1/groups?match[]=${encodeURIComponent('{job=~"("}')}`, 'DELETE');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toMatchObject({ status: 'error', errorType: 'bad_data' });
    const res = await send(`${gw.url}/api/v1/groups?match[]=${encodeURIComponent('{job=~"flink.*"}')}`, 'DELETE');
    expect(JSON.parse(res.text)).toEqual({ status: 'success', data: { deleted: 2 } });
    expect(pushedLines((await send(`${gw.url}/metrics`, 'GET')).text).filter((l) => l.startsWith('x{'))).toEqual(['x{instance="",job="other"} 1']);
  });

  it('serves every route under --web.route-prefix, and CORS preflight on the v1 API', async () => {
    const gw = await startOurs({ routePrefix: '/pg' });
    expect((await send(`${gw.url}/pg/metrics/job/a`, 'PUT', 'x 1\n')).status).toBe(200);
    expect(pushedLines((await send(`${gw.url}/pg/metrics`, 'GET')).text)).toContain('x{instance="",job="a"} 1');
    expect((await send(`${gw.url}/metrics`, 'GET')).status).toBe(404);
    const preflight = await send(`${gw.url}/pg/api/v1/metrics`, 'OPTIONS');
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('counts requests in pushgateway_http_requests_total', async () => {
    const gw = await startOurs();
    await send(`${gw.url}/metrics/job/a`, 'PUT', 'x 1\n');
    await send(`${gw.url}/metrics/job/a`, 'PUT', 'x{ 1\n');
    const text = (await send(`${gw.url}/metrics`, 'GET')).text;
    expect(text).toContain('pushgateway_http_requests_total{code="200",handler="push",method="put"} 1');
    expect(text).toContain('pushgateway_http_requests_total{code="400",handler="push",method="put"} 1');
    expect(text).toMatch(/\npushgateway_build_info\{.*version="0\.1\.0"\} 1\n/);
    expect(text).toMatch(/\nprocess_resident_memory_bytes \d/);
  });
});
