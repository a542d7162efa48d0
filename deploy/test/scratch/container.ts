import { existsSync, mkdirSync } from 'node:fs';
import { startProcess, type RunningProcess } from '@pyrometer/testkit';
import { ScratchError } from './errors.js';
import { hostIds } from './host-users.js';
import { containerEnv, type ScratchImage } from './image-builder.js';
import { runCommand } from './run-command.js';

export interface ContainerOptions {
  /** Replaces the image's CMD, as `docker run IMAGE ARG…` does. */
  readonly args?: readonly string[];
  /**
   * The host port standing for each exposed container port. With no network namespace of its
   * own, the container's `host:PORT` addresses (listen flags, health-check URLs) become
   * `127.0.0.1:<host port>`.
   */
  readonly ports: ReadonlyMap<number, number>;
  /** Paths that get a fresh named volume besides the image's VOLUMEs (`docker run -v name:/path`). */
  readonly volumes?: readonly string[];
  readonly healthTimeoutMs: number;
}

/**
 * Starts an image's ENTRYPOINT + CMD as `docker run` would: as the image's USER, in its WORKDIR,
 * with only its environment, and a fresh named volume on every VOLUME path and every path in
 * `volumes` — a path the image lacks is created owned by root, as Docker creates it. Resolves once the image's HEALTHCHECK
 * command (run as the same user) succeeds; throws with the process output if it exits first or
 * never becomes healthy.
 */
export async function runContainer(image: ScratchImage, options: ContainerOptions): Promise<RunningProcess> {
  const { root, config } = image;
  if (config.healthcheck === undefined) throw new ScratchError('not-healthy', `stage ${image.stage} has no HEALTHCHECK to tell when it is ready`);
  for (const volume of [...config.volumes, ...(options.volumes ?? [])]) if (!existsSync(root.path(volume))) mkdirSync(root.path(volume), { recursive: true, mode: 0o755 });
  const inContainer = (arg: string) => mapPorts(root.rewrite(arg), options.ports);
  const argv = [...config.entrypoint, ...(options.args ?? config.cmd)].map(inContainer);
  const ids = hostIds(config.user);
  const env = containerEnv(image);
  const cwd = root.path(config.workdir);
  const container = await startProcess('setpriv', [`--reuid=${ids.uid}`, `--regid=${ids.gid}`, '--clear-groups', '--', ...argv], { cwd, env });
  const exited = () => container.child.exitCode !== null || container.child.signalCode !== null;
  const deadline = Date.now() + options.healthTimeoutMs;
  const [command, ...args] = config.healthcheck.map(inContainer);
  let last = '';
  while (Date.now() < deadline && !exited()) {
    // A check that cannot even start (missing or not executable) is a failed check, as in Docker.
    const check = await runCommand(command!, args, { cwd, env, ids, timeoutMs: 5_000 }).catch((err: Error) => ({ code: -1, output: err.message }));
    if (check.code === 0) return container;
    last = check.output;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await container.stop();
  const why = exited() ? 'exited before it was healthy' : `was not healthy within ${options.healthTimeoutMs} ms (last check: ${last.trim()})`;
  throw new ScratchError('not-healthy', `${image.stage}: ${argv.join(' ')} ${why}\n--- output ---\n${container.output().slice(-4000)}`);
}

/** `host:PORT` of an exposed port, inside a word (a flag value or a URL), on the mapped loopback port. */
function mapPorts(text: string, ports: ReadonlyMap<number, number>): string {
  let mapped = text;
  for (const [containerPort, hostPort] of ports) {
    mapped = mapped.replace(new RegExp(`(^|=|//)(?:[\\w.-]*|\\[[\\w:]*\\]):${containerPort}(?=$|/)`, 'g'), `$1127.0.0.1:${hostPort}`);
  }
  return mapped;
}
