import { describe, expect, it } from 'vitest';
import { substitute } from './dashboards.js';
import { pipelineOrder, vertexState, type GraphVertex } from './job-graph-model.js';
import { PANELS } from './panels.js';

describe('Flink panels from the Grafana dashboards', () => {
  it('finds every panel the pages show, each with a query', () => {
    for (const p of Object.values(PANELS).flat()) expect(p.targets[0]?.expr, p.title).toMatch(/flink_|push_time_seconds/);
  });

  it.each([
    { name: 'a value matches exactly, regex characters escaped', vars: { job_name: 'a.b' }, want: 'x{job_name=~"a\\\\.b"}' },
    { name: 'a missing variable matches everything', vars: {}, want: 'x{job_name=~".*"}' },
  ])('substitutes variables: $name', ({ vars, want }) => {
    expect(substitute('x{job_name=~"$job_name"}', vars)).toBe(want);
  });
});

describe('job graph model', () => {
  const v = (name: string, recordsInPerSecond: number, busy = 0, backPressured = 0): GraphVertex => ({ name, parallelism: 2, busy, backPressured, recordsInPerSecond });

  it('orders sources first, sinks last, the rest by records in per second', () => {
    const order = pipelineOrder([v('Sink: Writer', 1800), v('Window -> Map', 1800), v('Source: Kafka -> Map', 0), v('KeyedProcess -> Filter', 1950)]).map((x) => x.name);
    expect(order).toEqual(['Source: Kafka -> Map', 'KeyedProcess -> Filter', 'Window -> Map', 'Sink: Writer']);
  });

  it.each([
    { busy: 0.1, backPressured: 0.9, want: 'backpressured' },
    { busy: 0.95, backPressured: 0, want: 'busy' },
    { busy: 0.2, backPressured: 0.1, want: 'idle' },
  ])('colours busy $busy / back-pressured $backPressured as $want', ({ busy, backPressured, want }) => {
    expect(vertexState(v('x', 1, busy, backPressured))).toBe(want);
  });
});
