import { describe, expect, it } from 'vitest';
import type { Family } from './metrics-builder.js';
import { defaultSimulatorOptions, FlinkSimulator, type SimulatorOptions } from './simulator.js';
import { writeText004 } from './text-format.js';

const START = Date.UTC(2026, 10, 25, 0, 0, 0);
const TICK = 10_000;

function run(options: Partial<SimulatorOptions>, ticks: number): { sim: FlinkSimulator; now: number } {
  const sim = new FlinkSimulator({ ...defaultSimulatorOptions(), ...options }, START);
  let now = START;
  for (let i = 0; i < ticks; i++) sim.tick((now += TICK));
  return { sim, now };
}

function allFamilies(sim: FlinkSimulator, now: number): Family[] {
  return sim.processes().filter((p) => p.alive).flatMap((p) => p.families(now));
}

function values(families: Family[], name: string): number[] {
  return families.filter((f) => f.name === name).flatMap((f) => f.samples.map((s) => s.value));
}

describe('FlinkSimulator', () => {
  it('is deterministic for a seed', () => {
    const a = run({ seed: 7 }, 5);
    const b = run({ seed: 7 }, 5);
    const body = (r: typeof a) => r.sim.processes().map((p) => writeText004(p.families(r.now), true)).join('');
    expect(body(a)).toBe(body(b));
    expect(body(run({ seed: 8 }, 5))).not.toBe(body(a));
  });

  it("names metrics and labels per Flink's scopes", () => {
    const { sim, now } = run({}, 1);
    const [jm, tm] = sim.processes().map((p) => p.families(now));
    const jmFamily = jm!.find((f) => f.name === 'flink_jobmanager_job_numberOfCompletedCheckpoints')!;
    expect(jmFamily.help).toBe('numberOfCompletedCheckpoints (scope: jobmanager_job)');
    expect(jmFamily.samples[0]!.labels.map(([k]) => k).sort()).toEqual(['host', 'job_id', 'job_name']);
    const heap = tm!.find((f) => f.name === 'flink_taskmanager_Status_JVM_Memory_Heap_Used')!;
    expect(heap.help).toBe('Used (scope: taskmanager_Status_JVM_Memory_Heap)');
    const op = tm!.find((f) => f.name === 'flink_taskmanager_job_task_operator_numRecordsOutPerSecond')!;
    expect(op.samples[0]!.labels.map(([k]) => k).sort()).toEqual(['host', 'job_id', 'job_name', 'operator_id', 'operator_name', 'subtask_index', 'task_attempt_id', 'task_attempt_num', 'task_id', 'task_name', 'tm_id']);
    const mailbox = tm!.find((f) => f.name === 'flink_taskmanager_job_task_mailboxLatencyMs')!;
    expect(mailbox.type).toBe('summary');
    expect(mailbox.samples[0]!.suffix).toBe('_count');
    expect(mailbox.samples.slice(1, 7).map((s) => s.labels.at(-1))).toEqual(['0.5', '0.75', '0.95', '0.98', '0.99', '0.999'].map((q) => ['quantile', q]));
  });

  it('writes the Java client text format: trailing commas, Java numbers, filtered values, no _sum', () => {
    const { sim, now } = run({}, 1);
    const body = writeText004(sim.processes()[1]!.families(now), true);
    expect(body).toMatch(/^# HELP flink_taskmanager_Status_JVM_CPU_Load Load \(scope: taskmanager_Status_JVM_CPU\)\n# TYPE flink_taskmanager_Status_JVM_CPU_Load gauge\n/);
    expect(body).toMatch(/\nflink_taskmanager_Status_JVM_Memory_Heap_Max\{host="10_0_3_17",tm_id="10_0_3_17:36511_[0-9a-f]{6}",\} 1\.073741824E9\n/);
    expect(body).toMatch(/task_name="Source:_Kafka____Timestamps_Watermarks____Map"/);
    expect(body).toMatch(/quantile="0\.999",\} /);
    expect(body).not.toMatch(/_sum/);
  });

  it('shows backpressure: back-pressured upstream tasks, full output pools, growing watermark lag', () => {
    const steady = run({ scenario: 'steady' }, 3);
    const pressured = run({ scenario: 'backpressure' }, 3);
    const f = allFamilies(pressured.sim, pressured.now);
    expect(Math.max(...values(f, 'flink_taskmanager_job_task_isBackPressured'))).toBe(1);
    expect(Math.max(...values(f, 'flink_taskmanager_job_task_backPressuredTimeMsPerSecond'))).toBeGreaterThan(500);
    expect(Math.max(...values(f, 'flink_taskmanager_job_task_Shuffle_Netty_Output_Buffers_outPoolUsage'))).toBe(1);
    expect(Math.max(...values(allFamilies(steady.sim, steady.now), 'flink_taskmanager_job_task_isBackPressured'))).toBe(0);
    const lag = (r: typeof steady) => r.now - Math.min(...values(allFamilies(r.sim, r.now), 'flink_taskmanager_job_task_currentInputWatermark'));
    expect(lag(pressured)).toBeGreaterThan(lag(steady));
  });

  it('counts failed checkpoints in the checkpoint-failures scenario', () => {
    const { sim, now } = run({ scenario: 'checkpoint-failures' }, 4);
    const f = allFamilies(sim, now);
    expect(values(f, 'flink_jobmanager_job_numberOfFailedCheckpoints')).toEqual([4, 4]);
    expect(values(f, 'flink_jobmanager_job_numberOfCompletedCheckpoints')).toEqual([0, 0]);
  });

  it('loses a task manager: it stops reporting, jobs restart with new attempts on the survivor', () => {
    const before = run({ scenario: 'taskmanager-loss' }, 1);
    const attemptsBefore = new Set(before.sim.jobs.flatMap((j) => j.vertices.flatMap((v) => v.subtasks.map((s) => s.attemptId))));
    const { sim, now } = run({ scenario: 'taskmanager-loss' }, 3);
    expect(sim.processes().filter((p) => !p.alive).map((p) => p.name)).toEqual(['taskmanager-10.0.3.18']);
    const f = allFamilies(sim, now);
    expect(values(f, 'flink_jobmanager_numRegisteredTaskManagers')).toEqual([1]);
    expect(values(f, 'flink_jobmanager_job_numRestarts').every((n) => n === 1)).toBe(true);
    const attemptsAfter = sim.jobs.flatMap((j) => j.vertices.flatMap((v) => v.subtasks.map((s) => s.attemptId)));
    expect(attemptsAfter.some((id) => attemptsBefore.has(id))).toBe(false);
    expect(sim.jobs.every((j) => j.vertices.every((v) => v.subtasks.every((s) => s.taskManager.alive && s.attemptNum === 1)))).toBe(true);
  });

  it('restart-loop restarts the first job repeatedly and eventually resubmits it under a new job id', () => {
    const first = run({ scenario: 'restart-loop' }, 1).sim.jobs[0]!.id;
    const { sim } = run({ scenario: 'restart-loop' }, 10);
    expect(sim.jobs[0]!.name).toBe('clickstream-enrichment');
    expect(sim.jobs[0]!.id).not.toBe(first);
    expect(sim.jobs[1]!.numRestarts).toBe(0);
  });

  it('scales to 20 jobs × parallelism 8 with a realistic series count', () => {
    const { sim, now } = run({ jobs: 20, parallelism: 8, taskManagers: 20, slotsPerTaskManager: 8 }, 1);
    const series = sim.seriesCount(now);
    expect(series).toBeGreaterThan(20 * 2_000);
    expect(series).toBeLessThan(20 * 6_000);
  });
});
