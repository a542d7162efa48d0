// Runs the Pyrometer stack locally without Docker: every service of docker-compose.yml that has a
// local equivalent (scripts/stack-services.mjs), configs from deploy/local, all data under one
// folder, logs prefixed per service. Services start one after another, each only once the
// previous one answers; Ctrl-C stops them in reverse order. A second start keeps the data.
//
// Environment (README.md lists every variable): PYROMETER_DATA_DIR, PYROMETER_INTERVAL,
// PYROMETER_ALERT_SPEEDUP and PYROMETER_<SERVICE>_PORT; unknown PYROMETER_* variables are warned about.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './pnpm.mjs';
import { portVariable, readStackEnv } from './stack-env.mjs';
import { listensOn, portInUse } from './stack-ports.mjs';
import { localServices } from './stack-services.mjs';

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

/** @param {string} line */
const say = (line) => process.stdout.write(`[stack] ${line}\n`);
/** @param {string} line */
const complain = (line) => process.stderr.write(`[stack] ${line}\n`);

const allServices = localServices(root);
const env = readStackEnv(process.env, root, allServices);
for (const w of env.warnings) complain(w);
if (env.errors.length > 0) {
  for (const e of env.errors) complain(`error: ${e}`);
  process.exit(2);
}
const { dataDir, ports, interval, speedup } = env;
const ctx = { root, dataDir, ports, interval, speedup };

const unwritable = writeProblem(dataDir);
if (unwritable !== undefined) {
  complain(`error: cannot write the data folder ${dataDir} (${unwritable}); set PYROMETER_DATA_DIR to a folder you can write`);
  process.exit(1);
}

const services = allServices.filter((s) => {
  if (existsSync(s.entry)) return true;
  say(`${s.name}: skipped (${s.missing ?? `${s.entry} is not built`})`);
  return false;
});
if (services.length === 0) {
  complain('error: no service is built yet (run npm start, which builds first)');
  process.exit(1);
}

const busy = [];
for (const s of services) if (await portInUse(ports[s.name] ?? 0)) busy.push(s);
if (busy.length > 0) {
  for (const s of busy) complain(`error: port ${ports[s.name]} for ${s.name} is in use by another program; stop it or set ${portVariable(s.name)} to a free port`);
  process.exit(1);
}

/** @typedef {{ name: string, child: import('node:child_process').ChildProcess, exited: Promise<string> }} Running */
/** @type {Running[]} */
const running = [];
let stopping = false;

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
// A safety net: whatever ends this process, its services do not outlive it.
process.on('exit', () => {
  for (const r of running) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
});

for (const service of services) {
  if (stopping) break;
  const started = start(service);
  const problem = started === undefined ? 'could not start' : await waitReady(service, started);
  if (stopping) break;
  if (problem !== undefined) {
    if (started !== undefined) complain(`error: ${service.name}: ${problem}; stopping the stack`);
    await stop(1);
  }
}

if (!stopping) {
  say(`data folder: ${dataDir}`);
  for (const s of services) say(`${s.name}: http://127.0.0.1:${ports[s.name]}${s.showPath}`);
  say('press Ctrl-C to stop');
}

/**
 * Spawns a service in its own process group (so a terminal's Ctrl-C reaches only the stack, which
 * then stops the services in order), its output prefixed with its name.
 * @param {import('./stack-services.mjs').Service} service
 * @returns {Running | undefined}
 */
function start(service) {
  let aliases = [];
  let env = process.env;
  try {
    mkdirSync(join(dataDir, service.name), { recursive: true });
    aliases = service.prepare?.(ctx) ?? [];
    env = { ...process.env, ...service.env?.(ctx) };
  } catch (err) {
    complain(`error: ${service.name}: cannot prepare its data folder or environment: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
  const child = spawn(service.command, service.args(ctx), { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  /** @param {string} line */
  const rename = (line) => aliases.reduce((text, a) => text.replaceAll(a.generated, a.source), line);
  prefixLines(service.name, child.stdout, (line) => process.stdout.write(rename(line)));
  prefixLines(service.name, child.stderr, (line) => process.stderr.write(rename(line)));
  /** @type {Promise<string>} */
  const exited = new Promise((resolve) => {
    child.once('error', (err) => resolve(err.message));
    child.once('exit', (code, signal) => resolve(code === null ? String(signal) : `exit code ${code}`));
  });
  const entry = { name: service.name, child, exited };
  running.push(entry);
  say(`${service.name}: started (pid ${child.pid ?? '?'}), waiting until it answers on port ${ports[service.name]}`);
  void exited.then((how) => {
    if (stopping) return;
    complain(`error: ${service.name} exited (${how}); stopping the stack`);
    void stop(1);
  });
  return entry;
}

/**
 * Waits until the service answers its readiness path and the listening socket is its own (on
 * Linux, read from /proc): a probe answered by another program does not count.
 * @param {import('./stack-services.mjs').Service} service
 * @param {Running} r
 * @returns {Promise<string | undefined>} the problem, or undefined when ready
 */
async function waitReady(service, r) {
  const port = ports[service.name] ?? 0;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let answeredByOther = false;
  while (Date.now() < deadline) {
    if (stopping || r.child.exitCode !== null || r.child.signalCode !== null) return 'exited before it was ready';
    try {
      const res = await fetch(`http://127.0.0.1:${port}${service.readyPath}`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      const ours = r.child.pid === undefined ? undefined : listensOn(r.child.pid, port);
      if (res.ok && ours !== false) return undefined;
      answeredByOther ||= ours === false;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (answeredByOther) return `another program answers on port ${port}; stop it or set ${portVariable(service.name)} to a free port`;
  return `did not answer http://127.0.0.1:${port}${service.readyPath} within ${READY_TIMEOUT_MS / 1000} s`;
}

/**
 * Stops the services in reverse start order, each with SIGTERM and, after 10 s, SIGKILL, then exits.
 * @param {number} exitCode
 */
async function stop(exitCode) {
  if (stopping) return;
  stopping = true;
  for (const r of [...running].reverse()) {
    if (r.child.exitCode !== null || r.child.signalCode !== null) continue;
    say(`stopping ${r.name}`);
    r.child.kill('SIGTERM');
    const timer = setTimeout(() => r.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await r.exited;
    clearTimeout(timer);
  }
  process.exit(exitCode);
}

/**
 * @param {string} name
 * @param {import('node:stream').Readable | null} stream
 * @param {(line: string) => void} write
 */
function prefixLines(name, stream, write) {
  let pending = '';
  stream?.on('data', (/** @type {Buffer} */ chunk) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) write(`[${name}] ${line}\n`);
  });
  stream?.on('end', () => pending !== '' && write(`[${name}] ${pending}\n`));
}

/**
 * Why `dir` cannot hold the stack's data, or undefined when it can (created if missing).
 * @param {string} dir
 */
function writeProblem(dir) {
  try {
    mkdirSync(dir, { recursive: true });
    const probe = join(dir, `.write-test-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
