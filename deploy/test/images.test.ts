import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { freePort, peer, repoRoot, tempDir } from '@pyrometer/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCompose } from './compose-file.js';
import { hostIds } from './scratch/host-users.js';
import { ImageBuilder, type ScratchImage } from './scratch/image-builder.js';
import { runContainer } from './scratch/container.js';
import { serverLaunchEnv } from '../../scripts/stack-services.mjs';

// There is no Docker engine here, so each Dockerfile target is built and started the way Docker
// would, in scratch roots (see scratch/image-builder.ts): a fresh folder per stage standing for
// its `/`, the Dockerfile's own steps run on this machine's Node 20, the runtime started as the
// image's unprivileged user on a fresh volume, and ready only when its HEALTHCHECK passes.

const root = repoRoot();
const dockerfile = join(root, 'deploy/docker/Dockerfile');
const setpriv = peer('setpriv', 'util-linux');
const isRoot = process.getuid?.() === 0;
const nodeMajor = Number(process.versions.node.split('.')[0]);
const cannotEmulate = !isRoot
  ? 'needs root: the test creates the image users on this machine and runs the container as one of them'
  : setpriv.missingReason ?? (nodeMajor === 20 ? undefined : `this machine runs Node ${process.versions.node}; the image's is Node 20`);
if (cannotEmulate !== undefined && process.env['CI'] === 'true') throw new Error(`cannot emulate the Docker images under CI=true: ${cannotEmulate}`);
const alertmanagerApp = existsSync(join(root, 'apps/alertmanager/package.json'));

/** pnpm's store on this machine (what `pnpm store path` shows, minus its version folder). */
function hostPnpmStore(): string {
  if (process.env['PNPM_HOME'] !== undefined) return join(process.env['PNPM_HOME'], 'store');
  return join(process.env['XDG_DATA_HOME'] ?? join(homedir(), '.local/share'), 'pnpm/store');
}

/** The image's users exist here under the same names, so `chown node:node` and USER mean the same. */
function ensureImageUser(name: string): void {
  try {
    hostIds(name);
  } catch {
    const uidFree = !readFileSync('/etc/passwd', 'utf8').split('\n').some((l) => l.split(':')[2] === '1000');
    execFileSync('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', '--user-group', ...(uidFree ? ['--uid', '1000'] : []), name]);
  }
}

const compose = loadCompose(root);

/** Where docker-compose.yml mounts named volumes into the services built from `target`. */
function composeVolumePaths(target: string): string[] {
  const services = Object.values(compose.services).filter((s) => s.build?.target === target);
  return services.flatMap((s) => (s.volumes ?? []).map((v) => v.split(':')).filter(([source]) => !source!.startsWith('.') && !source!.startsWith('/')).map(([, path]) => path!));
}

/** Runs the image as `docker compose up` would for its service (named volumes included). */
async function start(image: ScratchImage, args?: string[]) {
  const ports = new Map<number, number>();
  for (const port of image.config.exposed) ports.set(port, await freePort());
  const container = await runContainer(image, { ports, volumes: composeVolumePaths(image.stage), healthTimeoutMs: 60_000, ...(args !== undefined ? { args } : {}) });
  const url = (containerPort: number) => `http://127.0.0.1:${ports.get(containerPort)}`;
  return { container, url };
}

/** Every VOLUME of the image is where compose mounts its data, owned by the user the image runs as. */
function expectVolumesOwnedByUser(image: ScratchImage): void {
  expect(image.config.user).toBe('node');
  expect(image.config.volumes.length, `${image.stage} declares its data folder as a VOLUME`).toBeGreaterThan(0);
  expect(image.config.volumes).toEqual(expect.arrayContaining(composeVolumePaths(image.stage)));
  const { uid } = hostIds(image.config.user);
  for (const volume of image.config.volumes) expect(statSync(image.root.path(volume)).uid, `${volume} is owned by ${image.config.user}`).toBe(uid);
}

describe.skipIf(cannotEmulate !== undefined)(`Dockerfile targets built and run in scratch roots${cannotEmulate === undefined ? '' : ` — skipped: ${cannotEmulate}`}`, () => {
  let builder: ImageBuilder;

  beforeAll(() => {
    ensureImageUser('node');
    builder = new ImageBuilder({
      dockerfile,
      context: root,
      workDir: tempDir('pyrometer-images-'),
      caches: { '/pnpm/store': hostPnpmStore(), '/root/.npm': join(homedir(), '.npm') },
      stepTimeoutMs: 10 * 60_000,
    });
  });

  it('server: runs as node, writes its TSDB to the volume, answers PromQL', async () => {
    const image = await builder.build('server');
    const { container, url } = await start(image);
    try {
      // Answered by a query worker, which the built server starts only from its bundle.
      const res = await fetch(`${url(9090)}/api/v1/query?query=${encodeURIComponent('vector(1)')}`);
      expect(((await res.json()) as { status: string }).status).toBe('success');
      expect(existsSync(image.root.path('/app/dist/query-worker.cjs')), 'the image holds the bundled query worker').toBe(true);
      // dist/main.js is a bundle too: the web UI is found through its package, not the module's folder.
      expect(await (await fetch(`${url(9090)}/query`)).text()).toContain('<meta name="pyrometer-app" content="prometheus" />');
    } finally {
      await container.stop();
    }
    expectVolumesOwnedByUser(image);
    expect(readdirSync(image.root.path('/var/lib/pyrometer'))).toContain('wal');
    expect(Object.fromEntries(image.config.env), 'the image sets the server launch environment').toMatchObject(serverLaunchEnv(root));
  }, 20 * 60_000);

  it('pushgateway and flink-simulator: the simulator image pushes to the Pushgateway image, which persists to its volume', async () => {
    const pushgateway = await builder.build('pushgateway');
    const simulator = await builder.build('flink-simulator');
    const gateway = await start(pushgateway);
    try {
      const sim = await start(simulator, [`--hostUrl=${gateway.url(9091)}`, '--interval=1 SECONDS', '--jobs=1', '--taskmanagers=1', '--control.listen-address=:9095']);
      try {
        const deadline = Date.now() + 30_000;
        let metrics = '';
        while (Date.now() < deadline && !metrics.includes('flink_jobmanager_numRunningJobs')) {
          metrics = await (await fetch(`${gateway.url(9091)}/metrics`)).text();
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        expect(metrics).toContain('flink_jobmanager_numRunningJobs');
      } finally {
        await sim.container.stop();
      }
    } finally {
      await gateway.container.stop();
    }
    expect(simulator.config.user).toBe('node');
    expectVolumesOwnedByUser(pushgateway);
    expect(readdirSync(pushgateway.root.path('/var/lib/pushgateway')).length, 'the persistence file is written on shutdown').toBeGreaterThan(0);
  }, 20 * 60_000);

  it.skipIf(!alertmanagerApp)(`alertmanager: runs as node with its storage on the volume, answers API v2${alertmanagerApp ? '' : ' — skipped: apps/alertmanager does not exist yet (branch h/alertmanager)'}`, async () => {
    const image = await builder.build('alertmanager');
    const { container, url } = await start(image);
    try {
      expect((await fetch(`${url(9093)}/api/v2/status`)).status).toBe(200);
    } finally {
      await container.stop();
    }
    expectVolumesOwnedByUser(image);
  }, 20 * 60_000);

  it('webhook-receiver: runs as node and lists a notification POSTed to it', async () => {
    const image = await builder.build('webhook-receiver');
    const { container, url } = await start(image);
    try {
      const notification = { receiver: 'warning', status: 'firing', alerts: [{ status: 'firing', labels: { alertname: 'FlinkBackpressure' }, annotations: {}, startsAt: '2025-01-01T00:00:00Z' }], groupLabels: { alertname: 'FlinkBackpressure' } };
      expect((await fetch(`${url(5001)}/warning`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(notification) })).status).toBe(200);
      expect(((await (await fetch(`${url(5001)}/api/notifications`)).json()) as { total: number }).total).toBe(1);
    } finally {
      await container.stop();
    }
    expect(image.config.user).toBe('node');
  }, 20 * 60_000);
});
