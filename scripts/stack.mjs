// Runs the Pyrometer stack locally without Docker: every service of docker-compose.yml that has a
// local equivalent, with configs from deploy/local, all data under one folder, logs prefixed per
// service. Ctrl-C stops everything; a second start keeps the data.
//
// Environment: PYROMETER_DATA_DIR (default ./data), PYROMETER_<SERVICE>_PORT to move a port
// (e.g. PYROMETER_SERVER_PORT=19090), PYROMETER_INTERVAL to shorten the push/scrape interval.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { root } from './pnpm.mjs';
import { localServices } from './stack-services.mjs';

const dataDir = resolve(process.env.PYROMETER_DATA_DIR ?? join(root, 'data'));
mkdirSync(dataDir, { recursive: true });

const port = (service, fallback) => Number(process.env[`PYROMETER_${service.toUpperCase().replace(/-/g, '_')}_PORT`] ?? fallback);
const services = localServices({ root, dataDir, port }).filter((s) => {
  if (existsSync(s.entry)) return true;
  console.log(`[stack] ${s.name}: skipped (${s.missing ?? `${s.entry} is not built`})`);
  return false;
});

const children = new Map();
let stopping = false;

function prefixLines(name, stream, write) {
  let pending = '';
  stream.on('data', (chunk) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop();
    for (const line of lines) write(`[${name}] ${line}\n`);
  });
}

function shutdown(exitCode) {
  if (stopping && children.size > 0) return;
  stopping = true;
  for (const child of children.values()) child.kill('SIGTERM');
  const force = setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
  }, 10_000);
  force.unref();
  const check = setInterval(() => {
    if (children.size === 0) {
      clearInterval(check);
      process.exit(exitCode);
    }
  }, 100);
}

process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

async function waitReady(service) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && children.has(service.name)) {
    try {
      const res = await fetch(service.ready);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (children.has(service.name)) console.error(`[stack] ${service.name} did not become ready within 60 s`);
}

for (const service of services) {
  if (stopping) break;
  mkdirSync(join(dataDir, service.name), { recursive: true });
  service.prepare?.();
  const child = spawn(service.command, service.args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  children.set(service.name, child);
  prefixLines(service.name, child.stdout, (s) => process.stdout.write(s));
  prefixLines(service.name, child.stderr, (s) => process.stderr.write(s));
  child.on('exit', (code, signal) => {
    children.delete(service.name);
    if (!stopping) console.error(`[stack] ${service.name} exited (${code ?? signal}); stopping the stack`);
    shutdown(stopping ? 0 : 1);
  });
  await waitReady(service);
}

console.log(`[stack] data folder: ${dataDir}`);
for (const s of services) if (s.url) console.log(`[stack] ${s.name}: ${s.url}`);
if (services.length === 0) console.log('[stack] no services are built yet');
console.log('[stack] press Ctrl-C to stop');

