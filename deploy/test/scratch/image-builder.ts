import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { basename, dirname, join, posix } from 'node:path';
import { baseImage, type BaseImage } from './base-images.js';
import { BuildContext } from './build-context.js';
import { parseDockerfile, type CacheMount, type Stage, type Step } from './dockerfile.js';
import { ScratchError } from './errors.js';
import { hostIds } from './host-users.js';
import { runCommand } from './run-command.js';
import { ScratchRoot } from './scratch-root.js';

/** An image's runtime settings, as `docker inspect` would show them. Paths are image paths. */
export interface ImageConfig {
  readonly env: Map<string, string>;
  workdir: string;
  user: string;
  entrypoint: readonly string[];
  cmd: readonly string[];
  healthcheck: readonly string[] | undefined;
  readonly volumes: string[];
  readonly exposed: number[];
}

/** A built stage: its filesystem (a scratch root) and its settings. */
export interface ScratchImage {
  readonly stage: string;
  readonly root: ScratchRoot;
  readonly config: ImageConfig;
  /** The external image the stage chain starts from. */
  readonly base: BaseImage;
}

export interface ImageBuilderOptions {
  readonly dockerfile: string;
  readonly context: string;
  /** Where stage roots are created (a fresh folder per stage). */
  readonly workDir: string;
  /** Host folders standing for `RUN --mount=type=cache` targets; other cache mounts start empty. */
  readonly caches: Readonly<Record<string, string>>;
  readonly stepTimeoutMs: number;
}

/**
 * Builds Dockerfile targets without Docker, following the file: each stage gets a fresh scratch
 * root (a copy of its parent stage, or an external image's known folders), COPY takes files from
 * the build context minus `.dockerignore` or from another stage's root and gives them to root
 * (or `--chown`), RUN runs the shell command on this machine as the stage's user, with the image's
 * environment only, paths mapped into the root, no terminal, and cache mounts bound to `caches`.
 * Like BuildKit, only the stages a target needs are built, each once per builder.
 */
export class ImageBuilder {
  private readonly stages: Map<string, Stage>;
  private readonly built = new Map<string, Promise<ScratchImage>>();
  private readonly context: BuildContext;

  constructor(private readonly options: ImageBuilderOptions) {
    this.stages = new Map(parseDockerfile(readFileSync(options.dockerfile, 'utf8'), options.dockerfile).map((s) => [s.name, s]));
    this.context = new BuildContext(options.context);
    // Every user of an image must reach its root, as everyone reaches `/`.
    execFileSync('chmod', ['0755', options.workDir]);
  }

  /** The stage names, in file order. */
  stageNames(): string[] {
    return [...this.stages.keys()];
  }

  /** Builds `target` (and the stages it needs) and returns its image. */
  build(target: string): Promise<ScratchImage> {
    let image = this.built.get(target);
    if (image === undefined) {
      image = this.buildStage(target);
      this.built.set(target, image);
    }
    return image;
  }

  private async buildStage(name: string): Promise<ScratchImage> {
    const stage = this.stages.get(name);
    if (stage === undefined) throw new ScratchError('unknown-stage', `${this.options.dockerfile}: no stage named ${JSON.stringify(name)}`);
    const image = await this.fromBase(stage);
    for (const step of stage.steps) await this.apply(image, step);
    return image;
  }

  private async fromBase(stage: Stage): Promise<ScratchImage> {
    const root = new ScratchRoot(mkdtempSync(join(this.options.workDir, `${stage.name}-`)));
    execFileSync('chmod', ['0755', root.dir]);
    if (this.stages.has(stage.base)) {
      const parent = await this.build(stage.base);
      execFileSync('cp', ['-a', `${parent.root.dir}/.`, root.dir]);
      const c = parent.config;
      const config: ImageConfig = { ...c, env: new Map(c.env), volumes: [...c.volumes], exposed: [...c.exposed] };
      return { stage: stage.name, root, config, base: parent.base };
    }
    const base = baseImage(stage.base);
    if (base === undefined) throw new ScratchError('unknown-stage', `${this.options.dockerfile}: FROM ${stage.base}: neither a stage nor an image the emulation knows`);
    for (const dir of base.dirs) {
      mkdirSync(root.path(dir.path), { recursive: true });
      const ids = hostIds(dir.owner);
      execFileSync('chown', [`${ids.uid}:${ids.gid}`, root.path(dir.path)]);
      execFileSync('chmod', [dir.mode.toString(8), root.path(dir.path)]);
    }
    const config: ImageConfig = { env: new Map(base.env), workdir: '/', user: 'root', entrypoint: [], cmd: [], healthcheck: undefined, volumes: [], exposed: [] };
    return { stage: stage.name, root, config, base };
  }

  private async apply(image: ScratchImage, step: Step): Promise<void> {
    const { config } = image;
    switch (step.kind) {
      case 'WORKDIR':
        config.workdir = posix.resolve(config.workdir, step.path);
        mkdirSync(image.root.path(config.workdir), { recursive: true });
        return;
      case 'ENV':
        for (const [key, value] of step.vars) config.env.set(key, value.replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, a?: string, b?: string) => config.env.get((a ?? b)!) ?? ''));
        return;
      case 'USER':
        hostIds(step.user);
        config.user = step.user;
        return;
      case 'VOLUME':
        config.volumes.push(...step.paths);
        return;
      case 'EXPOSE':
        config.exposed.push(...step.ports);
        return;
      case 'ENTRYPOINT':
        config.entrypoint = step.argv;
        config.cmd = []; // as Docker: a new ENTRYPOINT drops the CMD inherited from the base
        return;
      case 'CMD':
        config.cmd = step.argv;
        return;
      case 'HEALTHCHECK':
        config.healthcheck = step.argv;
        return;
      case 'COPY':
        return this.copy(image, step);
      case 'RUN':
        return this.run(image, step);
    }
  }

  private async copy(image: ScratchImage, step: Extract<Step, { kind: 'COPY' }>): Promise<void> {
    const where = `${this.options.dockerfile}:${step.line} (${image.stage})`;
    const fromStage = step.from === undefined ? undefined : await this.build(step.from);
    const hostPath = (src: string) => (fromStage === undefined ? join(this.options.context, src) : fromStage.root.path(posix.resolve('/', src)));
    const destPath = posix.resolve(image.config.workdir, step.dest);
    const intoDir = step.dest.endsWith('/') || step.sources.length > 1 || isDir(image.root.path(destPath));
    // A single file copied to a path that is not a folder takes that path's name.
    const toFile = !intoDir && !isDir(hostPath(step.sources[0]!));
    // Staged first, so ownership is set on the copied files only, then merged into the root.
    const staging = mkdtempSync(join(this.options.workDir, 'copy-'));
    try {
      for (const src of step.sources) {
        if (/[*?[]/.test(src)) throw new ScratchError('unsupported-instruction', `${where}: COPY wildcards are not emulated`);
        const from = hostPath(src);
        const target = isDir(from) ? staging : join(staging, basename(toFile ? destPath : src));
        if (fromStage === undefined) this.context.copy(src, target, where);
        else if (!existsSync(from)) throw new ScratchError('missing-source', `${where}: COPY --from=${step.from} ${src}: no such path in that stage`);
        else execFileSync('cp', ['-a', isDir(from) ? `${from}/.` : from, target]);
      }
      const ids = hostIds(step.chown?.split(':')[0] ?? 'root');
      execFileSync('chown', ['-hR', `${ids.uid}:${ids.gid}`, staging]);
      const mergeInto = image.root.path(toFile ? dirname(destPath) : destPath);
      mkdirSync(mergeInto, { recursive: true });
      const entries = readdirSync(staging).map((e) => join(staging, e));
      if (entries.length > 0) execFileSync('cp', ['-a', ...entries, `${mergeInto}/`]);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }

  private async run(image: ScratchImage, step: Extract<Step, { kind: 'RUN' }>): Promise<void> {
    const { root, config } = image;
    const where = `${this.options.dockerfile}:${step.line} (${image.stage})`;
    const restore = step.cacheMounts.map((m) => this.mountCache(root, m));
    try {
      const result = await runCommand('/bin/sh', ['-c', root.rewrite(step.shell)], {
        cwd: root.path(config.workdir),
        env: { ...containerEnv(image), ...buildHostNetwork() },
        ids: hostIds(config.user),
        timeoutMs: this.options.stepTimeoutMs,
      });
      if (result.code !== 0) {
        const why = result.timedOut ? `did not finish within ${this.options.stepTimeoutMs} ms` : `exited with code ${result.code}`;
        throw new ScratchError('run-failed', `${where}: RUN ${step.shell}\n${why}; its last output:\n${result.output.slice(-4000)}`);
      }
    } finally {
      for (const undo of restore.reverse()) undo();
    }
  }

  /** Binds a cache mount for one RUN (a symlink to the host cache); returns how to take it away. */
  private mountCache(root: ScratchRoot, mount: CacheMount): () => void {
    const target = root.path(mount.target);
    const cacheDir = this.options.caches[mount.target] ?? join(this.options.workDir, `cache-${mount.id.replace(/\W/g, '_')}`);
    mkdirSync(cacheDir, { recursive: true });
    mkdirSync(dirname(target), { recursive: true });
    const hidden = existsSync(target) ? `${target}.hidden-by-mount` : undefined;
    if (hidden !== undefined) renameSync(target, hidden);
    symlinkSync(cacheDir, target);
    return () => {
      rmSync(target, { force: true });
      if (hidden !== undefined) renameSync(hidden, target);
    };
  }
}

/**
 * The environment a step or the container's process sees: the image's variables with paths
 * mapped into the root, HOME of the user, this machine's tool folders after the image's PATH (the
 * image's binaries are not unpacked) and npm's global prefix where the image has it.
 */
export function containerEnv(image: ScratchImage): NodeJS.ProcessEnv {
  const { root, config, base } = image;
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of config.env) env[key] = root.rewrite(value);
  const user = base.users.find((u) => u.name === config.user);
  env['HOME'] = root.path(user?.home ?? '/');
  env['TMPDIR'] = root.path('/tmp');
  env['PATH'] = `${env['PATH'] ?? ''}:${dirname(process.execPath)}:/usr/bin:/bin`;
  env['npm_config_prefix'] = root.path(base.npmGlobalPrefix);
  return env;
}

/**
 * This machine's proxy variables (Docker passes them to RUN as predefined build arguments) and
 * the CA bundle its network needs: the build host's network, not part of any image.
 */
function buildHostNetwork(): NodeJS.ProcessEnv {
  const names = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'ALL_PROXY'].flatMap((n) => [n, n.toLowerCase()]);
  return Object.fromEntries([...names, 'NODE_EXTRA_CA_CERTS'].filter((n) => process.env[n] !== undefined).map((n) => [n, process.env[n]]));
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

