import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time (ns) each thread of a process has run and how long it waited for a core while runnable
 * (ns), by thread id, with its kind: main, worker (niced) or thread.
 */
export type ThreadCpu = Map<number, { name: string; ns: number; waitNs: number }>;

/**
 * The CPU time of every thread of `pid` now, from /proc/<pid>/task/<tid>/schedstat (nanoseconds,
 * where /proc's stat counts 10 ms ticks: a 2 ms query is then visible per thread). Threads that
 * exit between listing and reading are skipped.
 */
export function threadCpu(pid: number): ThreadCpu {
  const out: ThreadCpu = new Map();
  for (const entry of readdirSync(`/proc/${pid}/task`)) {
    try {
      const [ns, waitNs] = readFileSync(`/proc/${pid}/task/${entry}/schedstat`, 'utf8').split(' ').map(Number) as [number, number];
      // Node names every thread `node`; the query workers renice themselves (worker-main.ts).
      const stat = readFileSync(`/proc/${pid}/task/${entry}/stat`, 'utf8');
      const nice = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      const name = Number(entry) === pid ? 'main' : nice !== 0 ? 'worker' : 'thread';
      out.set(Number(entry), { name, ns, waitNs });
    } catch {
      // The thread exited meanwhile.
    }
  }
  return out;
}

/** The whole process's CPU time (ms) between two snapshots; threads started meanwhile count from 0. */
export function totalCpuMs(before: ThreadCpu, after: ThreadCpu): number {
  let ns = 0;
  for (const [tid, t] of after) ns += t.ns - (before.get(tid)?.ns ?? 0);
  return ns / 1e6;
}

/**
 * The threads that ran or waited for a core at least `minMs` between two snapshots, busiest first,
 * as `kind:tid ms (waited ms)` (threads of one kind, such as V8's helpers, are told apart by id).
 */
export function busyThreads(before: ThreadCpu, after: ThreadCpu, minMs = 0.2): string {
  const rows: [string, number, number][] = [];
  for (const [tid, t] of after) {
    const ms = (t.ns - (before.get(tid)?.ns ?? 0)) / 1e6;
    const waitMs = (t.waitNs - (before.get(tid)?.waitNs ?? 0)) / 1e6;
    if (ms >= minMs || waitMs >= minMs) rows.push([`${t.name}:${tid}`, ms, waitMs]);
  }
  return rows
    .sort((a, b) => b[1] - a[1])
    .map(([name, ms, waitMs]) => `${name} ${ms.toFixed(1)}${waitMs >= minMs ? ` (waited ${waitMs.toFixed(1)})` : ''}`)
    .join(', ');
}
