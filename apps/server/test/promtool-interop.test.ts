import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { bufferIO, runPromtool } from '@pyrometer/promtool';
import { peer, tempDir } from '@pyrometer/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PyrometerServer } from '../src/server.js';
import { api, eventually, startServer, startTarget } from './harness.js';

const run = promisify(execFile);
const promtool = peer('promtool', 'prometheus');

describe.skipIf(promtool.path === undefined)(`promtool against our server (${promtool.missingReason ?? 'available'})`, () => {
  let server: PyrometerServer;
  let base: string;
  let closeTarget: () => void;

  beforeAll(async () => {
    const target = await startTarget(() => '# HELP demo_temperature_celsius Temperature.\n# TYPE demo_temperature_celsius gauge\ndemo_temperature_celsius{room="a"} 21.5\n');
    closeTarget = () => target.server.close();
    server = await startServer(tempDir(), `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: demo\n    static_configs:\n      - targets: ['${target.address}']\n`);
    base = `http://127.0.0.1:${server.port}`;
    await eventually(async () => ((await api<{ data: { result: unknown[] } }>(base, '/api/v1/query?query=demo_temperature_celsius')).data.result.length > 0 ? true : undefined), 20_000, 'a scrape');
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    closeTarget?.();
  });

  it('runs promtool query instant', async () => {
    const { stdout } = await run(promtool.path!, ['query', 'instant', base, 'demo_temperature_celsius']);
    expect(stdout).toMatch(/^demo_temperature_celsius\{instance="127\.0\.0\.1:\d+", job="demo", room="a"\} => 21\.5 @\[\d+(\.\d+)?\]$/m);
  });

  it('runs promtool query range', async () => {
    // The first sample may be less than a second old: end the range after now, so it is covered.
    const end = Math.ceil(Date.now() / 1000) + 1;
    const { stdout } = await run(promtool.path!, ['query', 'range', `--start=${end - 30}`, `--end=${end}`, '--step=1s', base, 'demo_temperature_celsius']);
    expect(stdout).toMatch(/demo_temperature_celsius\{instance="127\.0\.0\.1:\d+", job="demo", room="a"\} =>\n21\.5 @\[\d+\]/);
  });

  it('runs promtool query series and labels', async () => {
    const series = await run(promtool.path!, ['query', 'series', '--match=demo_temperature_celsius', base]);
    expect(series.stdout.trim()).toMatch(/^\{__name__="demo_temperature_celsius", instance="127\.0\.0\.1:\d+", job="demo", room="a"\}$/);
    const labels = await run(promtool.path!, ['query', 'labels', base, 'job']);
    expect(labels.stdout.trim().split('\n')).toEqual(['demo']);
  });

  it('accepts our /metrics with promtool check metrics', async () => {
    const body = await (await fetch(`${base}/metrics`)).text();
    const child = execFile(promtool.path!, ['check', 'metrics']);
    const result = new Promise<{ code: number | null; out: string }>((resolve) => {
      let out = '';
      child.stdout?.on('data', (d) => (out += d));
      child.stderr?.on('data', (d) => (out += d));
      child.on('close', (code) => resolve({ code, out }));
    });
    child.stdin?.end(body);
    const { code, out } = await result;
    expect(out).toBe('');
    expect(code).toBe(0);
  });

  it('our promtool gets the same answers from our server as Debian’s promtool', async () => {
    const at = Math.floor(Date.now() / 1000);
    const commands = [
      ['query', 'instant', `--time=${at}`, base, 'demo_temperature_celsius'],
      ['query', '-o', 'json', 'instant', `--time=${at}`, base, 'demo_temperature_celsius * 2'],
      ['query', 'range', `--start=${at - 5}`, `--end=${at}`, '--step=1s', base, 'demo_temperature_celsius'],
      ['query', 'series', '--match=demo_temperature_celsius', base],
      ['query', 'labels', base, 'job'],
      ['query', 'instant', base, 'sum('],
    ];
    for (const args of commands) {
      let theirs: { code: number; stdout: string; stderr: string };
      try {
        theirs = { code: 0, ...(await run(promtool.path!, args)) };
      } catch (err) {
        theirs = err as { code: number; stdout: string; stderr: string };
      }
      const io = bufferIO();
      const code = await runPromtool(args, io);
      expect({ code, stdout: io.stdout(), stderr: io.stderr() }, args.join(' ')).toEqual({ code: theirs.code, stdout: theirs.stdout, stderr: theirs.stderr });
    }
    const metrics = await (await fetch(`${base}/metrics`)).text();
    const io = bufferIO(metrics);
    expect(await runPromtool(['check', 'metrics'], io), io.stderr()).toBe(0);
  });
});
