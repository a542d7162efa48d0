import { readdirSync, readFileSync } from 'node:fs';
import type { MetricsRegistry } from './registry.js';

const startTimeSeconds = Date.now() / 1000 - process.uptime();

/**
 * Registers client_golang's process collector names (`process_cpu_seconds_total`,
 * `process_resident_memory_bytes`, `process_virtual_memory_bytes`, `process_open_fds`,
 * `process_max_fds`, `process_start_time_seconds`) plus Node runtime metrics in the spirit of
 * prom-client (`nodejs_heap_size_used_bytes`, `nodejs_heap_size_total_bytes`,
 * `nodejs_external_memory_bytes`, `nodejs_version_info` is left out). Values are read at
 * collection time; `/proc` figures are 0 where `/proc` is unavailable.
 */
export function registerProcessMetrics(registry: MetricsRegistry): void {
  registry.counterFunc({ name: 'process_cpu_seconds_total', help: 'Total user and system CPU time spent in seconds.' }, () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1e6;
  });
  registry.gaugeFunc({ name: 'process_resident_memory_bytes', help: 'Resident memory size in bytes.' }, () => process.memoryUsage.rss());
  registry.gaugeFunc({ name: 'process_virtual_memory_bytes', help: 'Virtual memory size in bytes.' }, () => procStatusKiB('VmSize') * 1024);
  registry.gaugeFunc({ name: 'process_open_fds', help: 'Number of open file descriptors.' }, openFds);
  registry.gaugeFunc({ name: 'process_max_fds', help: 'Maximum number of open file descriptors.' }, maxFds);
  registry.gaugeFunc({ name: 'process_start_time_seconds', help: 'Start time of the process since unix epoch in seconds.' }, () => startTimeSeconds);
  registry.gaugeFunc({ name: 'nodejs_heap_size_used_bytes', help: 'V8 heap in use, in bytes.' }, () => process.memoryUsage().heapUsed);
  registry.gaugeFunc({ name: 'nodejs_heap_size_total_bytes', help: 'V8 heap allocated, in bytes.' }, () => process.memoryUsage().heapTotal);
  registry.gaugeFunc({ name: 'nodejs_external_memory_bytes', help: 'Memory of C++ objects bound to JavaScript objects, in bytes.' }, () => process.memoryUsage().external);
}

function procStatusKiB(field: string): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function openFds(): number {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return 0;
  }
}

function maxFds(): number {
  try {
    const match = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}
