// Port checks for `npm start`: is a port free before a service starts, and does the listening
// socket on a port belong to the process the stack started (so a probe answered by some other
// program never counts as our service being ready).
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Resolves true when something already listens on 127.0.0.1:`port` (binding it fails with
 * EADDRINUSE); any other bind error (e.g. EACCES below 1024) rejects with that error.
 * @param {number} port
 * @returns {Promise<boolean>}
 */
export function portInUse(port) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (/** @type {NodeJS.ErrnoException} */ err) => (err.code === 'EADDRINUSE' ? resolve(true) : reject(err)));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(false)));
  });
}

/**
 * Whether process `pid` or one of its descendants holds the listening socket of TCP `port`, read
 * from Linux's /proc; undefined where /proc cannot tell (another OS), so callers fall back to
 * the process being alive.
 * @param {number} pid
 * @param {number} port
 * @returns {boolean | undefined}
 */
export function listensOn(pid, port) {
  const inodes = listeningInodes(port);
  if (inodes === undefined) return undefined;
  for (const p of selfAndDescendants(pid)) {
    for (const fd of safeReaddir(`/proc/${p}/fd`)) {
      const link = safeReadlink(`/proc/${p}/fd/${fd}`);
      const inode = link === undefined ? undefined : /^socket:\[(\d+)\]$/.exec(link)?.[1];
      if (inode !== undefined && inodes.has(inode)) return true;
    }
  }
  return false;
}

/** @param {number} port @returns {Set<string> | undefined} inodes of sockets listening on the port */
function listeningInodes(port) {
  const tables = ['/proc/net/tcp', '/proc/net/tcp6'].map((f) => safeRead(f));
  if (tables.every((t) => t === undefined)) return undefined;
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set();
  for (const table of tables) {
    for (const line of (table ?? '').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // cols: sl, local_address (hex ip:port), rem_address, st (0A = LISTEN), …, inode at 9.
      if (cols.length > 9 && cols[1]?.endsWith(`:${hexPort}`) && cols[3] === '0A') inodes.add(cols[9]);
    }
  }
  return inodes;
}

/** @param {number} pid @returns {number[]} */
function selfAndDescendants(pid) {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    for (const task of safeReaddir(`/proc/${out[i]}/task`)) {
      for (const child of (safeRead(`/proc/${out[i]}/task/${task}/children`) ?? '').split(/\s+/)) if (child !== '') out.push(Number(child));
    }
  }
  return out;
}

/** @param {string} path */
function safeRead(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** @param {string} path @returns {string[]} */
function safeReaddir(path) {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

/** @param {string} path */
function safeReadlink(path) {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}
