import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { eventually, freePort, repoRoot, startProcess, tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { call, postJson } from './helpers.js';

// The built binary as users run it: `node apps/alertmanager/dist/main.js <flags>`, with its
// signals (SIGHUP reloads, SIGTERM writes the state and exits) and exit codes.

const main = join(repoRoot(), 'apps/alertmanager/dist/main.js');
const built = existsSync(main);
if (!built && process.env['CI'] === 'true') throw new Error(`${main} is missing: run the build before the binary test`);

const waitForExit = (child: { exitCode: number | null; once(event: 'exit', cb: () => void): unknown }) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', () => resolve(child.exitCode))));

/** Starts the built binary with a test fixture (`test/fixtures/<fixture>`) preloaded by `--import`, a one-receiver config, its own data dir and port. */
async function startWithPreload(fixture: string, ...extraFlags: string[]) {
  const dir = tempDir();
  writeFileSync(join(dir, 'am.yml'), 'route: {receiver: r}\nreceivers: [{name: r}]\n');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const preload = pathToFileURL(join(repoRoot(), 'apps/alertmanager/test/fixtures', fixture)).href;
  const flags = [`--config.file=${join(dir, 'am.yml')}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', ...extraFlags];
  const am = await startProcess(process.execPath, ['--import', preload, main, ...flags], { readyUrl: `${base}/-/ready`, stopWithTest: true });
  return { am, base };
}

describe.runIf(built)(`the alertmanager binary${built ? '' : ' — skipped: apps/alertmanager is not built'}`, () => {
  it('exits 2 naming a bad flag or an unknown feature, and 1 with one line for a bad config', () => {
    const bad = spawnSync(process.execPath, [main, '--no-such-flag'], { encoding: 'utf8' });
    expect([bad.status, bad.stderr]).toEqual([2, "pyrometer-alertmanager: error: unknown long flag '--no-such-flag', try --help\n"]);
    const feature = spawnSync(process.execPath, [main, '--enable-feature=warp-drive'], { encoding: 'utf8' });
    expect(feature.status).toBe(2);
    expect(feature.stderr).toContain('"warp-drive"');
    const dir = tempDir();
    writeFileSync(join(dir, 'am.yml'), 'route: {receiver: nobody}\n');
    const config = spawnSync(process.execPath, [main, `--config.file=${join(dir, 'am.yml')}`, `--storage.path=${join(dir, 'data')}`, '--web.listen-address=127.0.0.1:0', '--log.level=error'], { encoding: 'utf8' });
    expect(config.status).toBe(1);
    expect(config.stderr.trimEnd().split('\n').at(-1)).toBe(`pyrometer-alertmanager: error: ${join(dir, 'am.yml')}:1:8: undefined receiver "nobody" used in route`);
  });

  it('exits 2 for a claim TTL that is not positive, and 1 naming the URL when Redis cannot be reached', async () => {
    const ttl = spawnSync(process.execPath, [main, '--store.redis-claim-ttl=0s'], { encoding: 'utf8' });
    expect(ttl.status).toBe(2);
    expect(ttl.stderr).toContain('--store.redis-claim-ttl must be positive');
    const dir = tempDir();
    writeFileSync(join(dir, 'am.yml'), 'route: {receiver: r}\nreceivers: [{name: r}]\n');
    const url = `redis://127.0.0.1:${await freePort()}`;
    const args = [main, `--config.file=${join(dir, 'am.yml')}`, `--storage.path=${join(dir, 'data')}`, '--web.listen-address=127.0.0.1:0', '--log.level=error', `--store.redis-url=${url}`];
    const unreachable = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 20_000 });
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr.trimEnd().split('\n').at(-1)).toContain(`cannot connect to Redis at ${url}`);
  }, 30_000);

  it('reloads on SIGHUP, keeps the old config when the new one is bad, and writes its state on SIGTERM', async () => {
    const dir = tempDir();
    const configFile = join(dir, 'alertmanager.yml');
    const config = (receiver: string) => `route: {receiver: ${receiver}}\nreceivers: [{name: ${receiver}}]\n`;
    writeFileSync(configFile, config('first'));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const am = await startProcess(process.execPath, [main, `--config.file=${configFile}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='], { readyUrl: `${base}/-/ready`, stopWithTest: true });
    const receivers = async () => (await call(`${base}/api/v2/receivers`)).body;
    expect(await receivers()).toBe('[{"name":"first"}]\n');
    writeFileSync(configFile, config('second'));
    am.child.kill('SIGHUP');
    await eventually(async () => ((await receivers()).includes('second') ? true : undefined), 10_000, 'SIGHUP to load the new config');
    writeFileSync(configFile, 'route: [oops\n');
    am.child.kill('SIGHUP');
    await eventually(async () => (/Loading configuration file failed/.test(am.output()) ? true : undefined), 10_000, 'the failed reload to be logged');
    expect(await receivers()).toContain('second');
    const silence = { matchers: [{ name: 'a', value: 'b', isRegex: false }], startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString(), createdBy: 'ops', comment: 'c' };
    expect((await postJson(`${base}/api/v2/silences`, silence)).status).toBe(200);
    am.child.kill('SIGTERM');
    expect(await waitForExit(am.child)).toBe(0);
    for (const file of ['silences', 'alerts.json']) expect(existsSync(join(dir, 'data', file))).toBe(true);
  }, 30_000);

  it("keeps V8's young generation at the size it starts with, through loading and an ingest (main.ts; without it 16–32 MiB)", async () => {
    const { am, base } = await startWithPreload('young-generation.mjs');
    for (let batch = 0; batch < 40; batch++) {
      const alerts = Array.from({ length: 64 }, (_, i) => ({ labels: { alertname: 'FlinkTaskBackpressure', job_name: `job-${batch}`, task_name: `Map -> Sink ${i}` }, annotations: { summary: `task ${i} of job ${batch} is backpressured` } }));
      expect((await postJson(`${base}/api/v2/alerts`, alerts)).status).toBe(200);
    }
    am.child.kill('SIGTERM');
    expect(await waitForExit(am.child)).toBe(0);
    const kib = Number(/young generation: (\d+) KiB/.exec(am.output())?.[1]);
    expect(kib).toBeGreaterThan(0);
    expect(kib).toBeLessThanOrEqual(2048);
  }, 30_000);

  it('gives the heap back once a burst of work is over (heap-trim.ts, started by the binary)', async () => {
    const { am } = await startWithPreload('garbage-burst.mjs', '--log.level=debug');
    am.child.kill('SIGUSR2');
    const trim = await eventually(async () => /msg="heap trimmed after a burst" before_mib=(\d+) after_mib=(\d+)/.exec(am.output()) ?? undefined, 20_000, 'the heap trim after the burst');
    expect(Number(trim[1]) - Number(trim[2])).toBeGreaterThanOrEqual(16);
    am.child.kill('SIGTERM');
    expect(await waitForExit(am.child)).toBe(0);
  }, 30_000);
});
