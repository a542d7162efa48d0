/** A user of an image's /etc/passwd. */
export interface ImageUser {
  readonly name: string;
  readonly home: string;
}

/**
 * What the emulation needs to know about an external base image: its environment, its users and
 * the directories its own layers create. Its binaries are not unpacked: `node`, `npm` and the
 * shell come from this machine (the test checks they are the same Node major and Debian release).
 */
export interface BaseImage {
  readonly env: ReadonlyArray<readonly [string, string]>;
  readonly users: readonly ImageUser[];
  /** Directories with their owner (a user name, or root) and mode. */
  readonly dirs: ReadonlyArray<{ readonly path: string; readonly owner: string; readonly mode: number }>;
  /** Where `npm install --global` puts packages (node's own install prefix in the image). */
  readonly npmGlobalPrefix: string;
  readonly nodeMajor: number;
}

const ROOT = { name: 'root', home: '/root' };

/** The official Node image's facts (github.com/nodejs/docker-node, 20/bookworm-slim/Dockerfile). */
const NODE_20_BOOKWORM_SLIM: BaseImage = {
  env: [
    ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    ['NODE_VERSION', '20'],
  ],
  users: [ROOT, { name: 'node', home: '/home/node' }],
  dirs: [
    { path: '/root', owner: 'root', mode: 0o700 },
    { path: '/tmp', owner: 'root', mode: 0o1777 },
    { path: '/home/node', owner: 'node', mode: 0o755 },
    { path: '/usr/local/bin', owner: 'root', mode: 0o755 },
    { path: '/usr/local/lib', owner: 'root', mode: 0o755 },
  ],
  npmGlobalPrefix: '/usr/local',
  nodeMajor: 20,
};

const BASE_IMAGES: Record<string, BaseImage> = { 'node:20-bookworm-slim': NODE_20_BOOKWORM_SLIM };

/** The facts of an external image, or undefined when the emulation does not know it. */
export function baseImage(reference: string): BaseImage | undefined {
  return BASE_IMAGES[reference];
}
