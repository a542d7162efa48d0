// Matcher and relabel costs (CPU time per operation). No upstream binary runs this work in
// isolation, so the rows have no baseline: they show what the RE2 fast paths buy and what
// relabeling a target or a series costs.
import { reportBench } from '@pyrometer/testkit/bench';
import { compileRelabelConfig, defaultRelabelConfig, Labels, Matcher, MatchType, relabel, type RelabelConfig } from '../src/index.js';

const SUITE = 'model';

/**
 * Runs `fn` over `inputs` in 7 rounds of ~100 ms and returns the best round's CPU nanoseconds per
 * call. The machine's cores are shared with other work, so CPU time (not wall time) and the least
 * disturbed round give the steadiest figure.
 */
function nsPerOp(inputs: readonly string[], fn: (s: string) => unknown): number {
  let sink = 0;
  for (let i = 0; i < 20_000; i++) if (fn(inputs[i % inputs.length]!)) sink++; // warm up the JIT
  let best = Infinity;
  for (let round = 0; round < 7; round++) {
    let ops = 0;
    const cpu = process.cpuUsage();
    const start = performance.now();
    while (performance.now() - start < 100) {
      for (let i = 0; i < 2_000; i++) if (fn(inputs[i % inputs.length]!)) sink++;
      ops += 2_000;
    }
    const used = process.cpuUsage(cpu);
    best = Math.min(best, ((used.user + used.system) * 1e3) / ops);
  }
  if (sink < 0) console.log(sink);
  return best;
}

const values = Array.from({ length: 1000 }, (_, i) => `flink_taskmanager_job_task_operator_${i % 7 === 0 ? 'numRecordsIn' : 'numRecordsOut'}_${i}`);

const matchers: { name: string; matcher: Matcher }[] = [
  { name: 'equal', matcher: new Matcher(MatchType.Equal, 'l', 'flink_taskmanager_job_task_operator_numRecordsIn_7') },
  { name: '=~ literal alternation (set fast path)', matcher: new Matcher(MatchType.Regexp, 'l', 'a|b|flink_taskmanager_job_task_operator_numRecordsIn_7') },
  { name: '=~ prefix.* (fast path)', matcher: new Matcher(MatchType.Regexp, 'l', 'flink_taskmanager_job_task_operator_numRecordsIn.*') },
  { name: '=~ .*contains.* (fast path)', matcher: new Matcher(MatchType.Regexp, 'l', '.*numRecordsIn.*') },
  { name: '=~ general regex (RE2 automaton)', matcher: new Matcher(MatchType.Regexp, 'l', 'flink_.*_numRecords(In|Out)_[0-9]+') },
  { name: '=~ case-insensitive (RE2 automaton)', matcher: new Matcher(MatchType.Regexp, 'l', '(?i)FLINK_.*IN_7') },
];
for (const { name, matcher } of matchers) {
  const ns = nsPerOp(values, (v) => matcher.matches(v));
  reportBench({ suite: SUITE, case: `matcher ${name}`, unit: 'ns/match', ours: ns, higherIsBetter: false, note: 'CPU time, best of 7 rounds' });
}

const rule = (over: Partial<RelabelConfig>) => compileRelabelConfig({ ...defaultRelabelConfig(), ...over });
const targets = Array.from({ length: 200 }, (_, i) =>
  Labels.from({
    __address__: `10.0.${i >> 8}.${i & 255}:9249`,
    __meta_kubernetes_namespace: 'flink',
    __meta_kubernetes_pod_name: `taskmanager-${i}`,
    __meta_kubernetes_pod_label_app: 'flink',
    __meta_kubernetes_pod_label_component: i % 10 === 0 ? 'jobmanager' : 'taskmanager',
    __meta_kubernetes_pod_container_port_name: 'metrics',
    __metrics_path__: '/metrics',
    __scheme__: 'http',
    job: 'flink',
  }),
);
const targetRules = [
  rule({ sourceLabels: ['__meta_kubernetes_pod_label_app'], regex: 'flink', action: 'keep' }),
  rule({ sourceLabels: ['__meta_kubernetes_pod_container_port_name'], regex: 'metrics', action: 'keep' }),
  rule({ regex: '__meta_kubernetes_pod_label_(.+)', action: 'labelmap' }),
  rule({ sourceLabels: ['__meta_kubernetes_namespace'], targetLabel: 'namespace' }),
  rule({ sourceLabels: ['__meta_kubernetes_pod_name'], targetLabel: 'pod' }),
  rule({ sourceLabels: ['__address__'], modulus: 4, targetLabel: '__tmp_hash', action: 'hashmod' }),
  rule({ sourceLabels: ['__tmp_hash'], regex: '0|1|2|3', action: 'keep' }),
];
const targetKeys = targets.map((_, i) => String(i));
reportBench({
  suite: SUITE,
  case: `relabel target (${targetRules.length} rules: keep, labelmap, replace, hashmod)`,
  unit: 'µs/target',
  ours: nsPerOp(targetKeys, (k) => relabel(targets[Number(k)]!, targetRules)) / 1000,
  higherIsBetter: false,
  note: 'CPU time, best of 7 rounds',
});

const series = Array.from({ length: 1000 }, (_, i) => Labels.from({ __name__: values[i]!, job: 'flink', instance: 'tm-1:9249', task_name: `task_${i % 13}`, subtask_index: String(i % 4) }));
const metricRules = [rule({ sourceLabels: ['__name__'], regex: '.*numRecordsIn.*', action: 'drop' }), rule({ regex: 'subtask_index', action: 'labeldrop' })];
const seriesKeys = series.map((_, i) => String(i));
reportBench({
  suite: SUITE,
  case: 'metric relabel (drop by name, labeldrop)',
  unit: 'ns/series',
  ours: nsPerOp(seriesKeys, (k) => relabel(series[Number(k)]!, metricRules)),
  higherIsBetter: false,
  note: 'CPU time, best of 7 rounds',
});
