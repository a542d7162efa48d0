import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { freePort, peer, repoRoot, startProcess, tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { send, startOurs } from './helpers.js';

// Defects of issue 15 in the Pushgateway, each beside Debian's prometheus-pushgateway where it runs.

const upstream = peer('prometheus-pushgateway', 'prometheus-pushgateway');

/** A request whose path goes out exactly as written (fetch would resolve `.` and `..`). */
function put(base: string, path: string, body: string): Promise<{ status: number; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const req = request({ host: url.hostname, port: url.port, method: 'PUT', path }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, location: res.headers.location }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function startUpstream(args: string[] = []): Promise<string> {
  const port = await freePort();
  await startProcess(upstream.path!, [`--web.listen-address=127.0.0.1:${port}`, ...args], { readyUrl: `http://127.0.0.1:${port}/-/ready`, stopWithTest: true });
  return `http://127.0.0.1:${port}`;
}

const CASES = [
  { path: '/metrics/job/.', want: { status: 301, location: '/metrics/job' } },
  { path: '/metrics/job/..', want: { status: 301, location: '/metrics' } },
  { path: '/metrics/job/%2E%2E', want: { status: 301, location: '/metrics' } },
  { path: '/metrics/job/a/./x/y', want: { status: 301, location: '/metrics/job/a/x/y' } },
  { path: '/metrics/job/a//b', want: { status: 301, location: '/metrics/job/a/b' } },
  { path: `/metrics/job/long/label/${'v'.repeat(500_000)}`, want: { status: 200, location: undefined } },
];

describe('the Pushgateway and odd push paths', () => {
  it('redirects groups named "." and ".." (and other unclean paths) instead of storing them, and takes 500 KB paths', async () => {
    const ours = await startOurs();
    for (const c of CASES) expect(await put(ours.url, c.path, 'm 1\n'), c.path.slice(0, 40)).toEqual(c.want);
    const jobs = (JSON.parse((await send(`${ours.url}/api/v1/metrics`, 'GET')).text) as { data: { labels: { job: string } }[] }).data.map((g) => g.labels.job);
    expect(jobs).toEqual(['long']);
  });

  it.skipIf(upstream.path === undefined)(`answers those paths as Debian's pushgateway does ${upstream.missingReason ?? ''}`, async () => {
    const theirs = await startUpstream();
    for (const c of CASES) expect(await put(theirs, c.path, 'm 1\n'), c.path.slice(0, 40)).toEqual(c.want);
  });
});

describe('the Pushgateway and its persistence file', () => {
  const main = join(repoRoot(), 'apps', 'pushgateway', 'src', 'main.ts');
  const start = async (file: string) => {
    const port = await freePort();
    const args = ['--conditions=source', '--import', 'tsx', main, `--web.listen-address=127.0.0.1:${port}`, `--persistence.file=${file}`, '--persistence.interval=1ms'];
    const proc = await startProcess(process.execPath, args, { readyUrl: `http://127.0.0.1:${port}/-/ready`, stopWithTest: true });
    return { proc, url: `http://127.0.0.1:${port}` };
  };

  it('starts empty on an unreadable persistence file, logging why (it exited with a stack trace), and writes the file 0600', async () => {
    const file = join(tempDir(), 'groups.json');
    writeFileSync(file, '{"format":"pyrometer-pushgateway/v1","groups":[{"labels":');
    const { proc, url } = await start(file);
    expect(JSON.parse((await send(`${url}/api/v1/metrics`, 'GET')).text)).toEqual({ status: 'success', data: [] });
    expect(proc.output()).toMatch(/level=error .*msg="could not load persisted metrics; starting with no groups".*is not valid JSON/);
    expect(proc.output()).not.toMatch(/\n\s+at /);
    expect((await send(`${url}/metrics/job/j`, 'PUT', 'm 1\n')).status).toBe(200);
    await expect.poll(() => readFileSync(file, 'utf8'), { timeout: 10_000 }).toContain('"job":"j"');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  }, 60_000);

  it.skipIf(upstream.path === undefined)(`Debian's pushgateway also starts on an unreadable file and writes it 0600 ${upstream.missingReason ?? ''}`, async () => {
    const file = join(tempDir(), 'upstream.data');
    writeFileSync(file, 'not a gob stream');
    const url = await startUpstream([`--persistence.file=${file}`, '--persistence.interval=1ms']);
    expect((await send(`${url}/metrics/job/j`, 'PUT', 'm 1\n')).status).toBe(200);
    await expect.poll(() => readFileSync(file).includes('job'), { timeout: 10_000 }).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  }, 60_000);
});
