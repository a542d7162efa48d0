import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { freePort, peer, startProcess, tempDir, type RunningProcess } from '@pyrometer/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debian, debianPromtool, ours } from './helpers.js';

// `query instant|range|series|labels` against Debian's Prometheus (an upstream server), side by
// side with Debian's promtool asking the same questions: the same text and JSON out, the same
// errors. (apps/server/test/promtool-interop.test.ts runs both against our server.)

const prometheus = peer('prometheus', 'prometheus');

describe.skipIf(prometheus.path === undefined || debianPromtool.path === undefined)(`query against Debian's Prometheus (${prometheus.missingReason ?? debianPromtool.missingReason ?? 'available'})`, () => {
  let upstream: RunningProcess;
  let base: string;
  let at: number;

  beforeAll(async () => {
    const dir = tempDir();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    writeFileSync(join(dir, 'prometheus.yml'), `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`);
    upstream = await startProcess(prometheus.path!, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { readyUrl: `${base}/-/ready` });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const body = (await (await fetch(`${base}/api/v1/query?query=count_over_time(up[1m])`)).json()) as { data: { result: { value: [number, string] }[] } };
      if (Number(body.data.result[0]?.value[1] ?? 0) >= 3) break;
      if (Date.now() > deadline) throw new Error('Prometheus did not scrape itself three times in 30 s');
      await new Promise((r) => setTimeout(r, 300));
    }
    at = Math.floor(Date.now() / 1000) - 1;
  }, 60_000);

  afterAll(async () => {
    await upstream?.stop();
  });

  const same = async (args: string[]) => {
    const [mine, theirs] = [await ours(args), await debian(args)];
    expect(mine).toEqual(theirs);
    return mine;
  };

  it('query instant, as text and as JSON', async () => {
    const text = await same(['query', 'instant', `--time=${at}`, base, 'up']);
    expect(text.stdout).toMatch(/^up\{instance="127\.0\.0\.1:\d+", job="self"\} => 1 @\[\d+\]\n$/);
    const json = await same(['query', '-o', 'json', 'instant', `--time=${at}`, base, 'sum by (job) (up)']);
    expect(JSON.parse(json.stdout)).toEqual([{ metric: { job: 'self' }, value: [at, '1'] }]);
    await same(['query', 'instant', `--time=${at}`, base, 'scalar(up) * 2']);
    await same(['query', 'instant', `--time=${at}`, base, 'nothing_here']);
  });

  it('query range, sorted by series', async () => {
    const run = await same(['query', 'range', `--start=${at - 2}`, `--end=${at}`, '--step=1s', base, 'up or vector(2)']);
    expect(run.stdout).toMatch(/^\{\} =>\n2 @\[\d+\]\n2 @\[\d+\]\n2 @\[\d+\]\nup\{.*\} =>\n/);
    await same(['query', '-o', 'json', 'range', `--start=${at - 2}`, `--end=${at}`, '--step=1s', base, 'up']);
  });

  it('query series and labels', async () => {
    const series = await same(['query', 'series', '--match=up', '--match=prometheus_build_info', base]);
    expect(series.stdout.split('\n')[0]).toMatch(/^\{__name__="prometheus_build_info", .*\}$|^\{__name__="up", .*\}$/);
    await same(['query', '-o', 'json', 'series', '--match=up', base]);
    expect((await same(['query', 'labels', base, 'job'])).stdout).toBe('self\n');
    await same(['query', 'labels', '--match=up', base, '__name__']);
  });

  it('reports API errors as promtool does', async () => {
    const bad = await same(['query', 'instant', base, 'sum(']);
    expect(bad.stderr).toMatch(/^query error: bad_data: invalid parameter "query": 1:5: parse error: unclosed left parenthesis\n$/);
    expect(bad.code).toBe(1);
    const notFound = await same(['query', 'instant', `${base}/nothing`, 'up']);
    expect(notFound.stderr).toBe('query error: client_error: client error: 404 (detail: 404 page not found)\n');
    await same(['query', 'range', '--start=10', '--end=5', base, 'up']);
    await same(['query', 'instant', '--time=yesterday', base, 'up']);
  });
});

describe('query errors without a server', () => {
  it('reports a refused connection in one line, exit 1', async () => {
    const port = await freePort();
    const run = await ours(['query', 'instant', `http://127.0.0.1:${port}`, 'up']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^query error: Post "http://127\\.0\\.0\\.1:${port}/api/v1/query": .*ECONNREFUSED.*\\n$`));
  });

  it('falls back to GET when POST is refused, and reports a body that is not JSON', async () => {
    const methods: string[] = [];
    const server: Server = createServer((req, res) => {
      methods.push(req.method ?? '');
      if (req.method === 'POST') res.writeHead(405).end();
      else res.writeHead(200, { 'Content-Type': 'application/json' }).end('not json');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const run = await ours(['query', 'instant', `http://127.0.0.1:${(server.address() as AddressInfo).port}`, 'up']);
      expect(methods).toEqual(['POST', 'GET']);
      expect(run).toMatchObject({ code: 1, stderr: expect.stringMatching(/^query error: bad_response: .*JSON.*\n$/) });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
