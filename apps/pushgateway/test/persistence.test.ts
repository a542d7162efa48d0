import { repoRoot, startProcess, tempDir, freePort } from '@pyrometer/testkit';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pushedLines, send, startOurs } from './helpers.js';

describe('persistence', () => {
  it('restores every group after a restart', async () => {
    const file = join(tempDir(), 'pushgateway', 'groups.json');
    const first = await startOurs({ persistenceFile: file }, { stopWithTest: false });
    for (let i = 0; i < 5; i++) await send(`${first.url}/metrics/job/j${i}/instance@base64/=`, 'PUT', `# HELP m Some help.\n# TYPE m gauge\nm{i="${i}"} ${i}.5\n`);
    await send(`${first.url}/metrics/job/s`, 'PUT', '# TYPE lat summary\nlat{quantile="0.99"} NaN\nlat_count 3\n');
    const before = pushedLines((await send(`${first.url}/metrics`, 'GET')).text);
    const beforeApi = (await send(`${first.url}/api/v1/metrics`, 'GET')).text;
    await first.close();
    expect(existsSync(file)).toBe(true);
    const second = await startOurs({ persistenceFile: file });
    expect(pushedLines((await send(`${second.url}/metrics`, 'GET')).text)).toEqual(before);
    expect((await send(`${second.url}/api/v1/metrics`, 'GET')).text).toBe(beforeApi);
  });

  it('survives kill -9 in the middle of frequent persistence writes', async () => {
    const dir = tempDir();
    const file = join(dir, 'groups.json');
    // One node process with tsx as a loader (tsx's CLI would put a wrapper between us and the gateway).
    const main = join(repoRoot(), 'apps', 'pushgateway', 'src', 'main.ts');
    const args = (port: number) => ['--conditions=source', '--import', 'tsx', main, `--web.listen-address=127.0.0.1:${port}`, `--persistence.file=${file}`, '--persistence.interval=1ms'];
    let port = await freePort();
    const proc = await startProcess(process.execPath, args(port), { readyUrl: `http://127.0.0.1:${port}/-/ready`, stopWithTest: true });
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 20; i++) await send(`${url}/metrics/job/base${i}`, 'PUT', 'm 1\n');
    await expect.poll(() => (existsSync(file) ? (readFileSync(file, 'utf8').match(/"job":"base/g) ?? []).length : 0), { timeout: 10_000 }).toBe(20);
    // Keep pushing big groups so a state write is in progress, and kill without warning.
    const big = Array.from({ length: 2000 }, (_, i) => `big{i="${i}"} ${i}`).join('\n') + '\n';
    const pushes = Array.from({ length: 10 }, (_, i) => send(`${url}/metrics/job/big${i}`, 'PUT', big).catch(() => undefined));
    await new Promise((r) => setTimeout(r, 150));
    proc.child.kill('SIGKILL');
    await Promise.all(pushes);
    port = await freePort();
    await startProcess(process.execPath, args(port), { readyUrl: `http://127.0.0.1:${port}/-/ready`, stopWithTest: true });
    const api = JSON.parse((await send(`http://127.0.0.1:${port}/api/v1/metrics`, 'GET')).text) as { data: { labels: { job: string } }[] };
    const jobs = api.data.map((g) => g.labels.job);
    for (let i = 0; i < 20; i++) expect(jobs).toContain(`base${i}`);
  }, 90_000);
});
