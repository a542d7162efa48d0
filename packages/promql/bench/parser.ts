// Parser benchmark: our hand-written parser (lex + parse + type check + AST) against
// @prometheus-io/lezer-promql (Prometheus UI's grammar; concrete syntax tree only, no checking),
// over the Flink dashboard and alert queries of shared/reference/flink-reporter.md §3.
// Called by bench/index.ts through benchParser(reportBench).
import { parser as lezer } from '@prometheus-io/lezer-promql';
import type { BenchRow } from '@pyrometer/testkit/bench';
import { exprToString, parseExpr, prettyPrint } from '../src/parser/index.js';

const JOB = 'wordcount|top_speed_windowing';
const SCOPE = 'cluster="prod-1",location="eu-west1",namespace="flink"';

/** flink-reporter.md §3, verbatim except that Grafana variables are filled in. */
const FLINK_QUERIES = [
  'sum(flink_jobmanager_numRegisteredTaskManagers)',
  'sum(flink_jobmanager_taskSlotsAvailable)',
  'sum(flink_jobmanager_taskSlotsTotal)',
  'sum(flink_jobmanager_numRunningJobs)',
  'flink_jobmanager_job_fullRestarts{job_name=~"$job_name"}',
  'sum (flink_taskmanager_job_task_operator_numRecordsOutPerSecond{job_name=~"$job_name"})  by (operator_name) ',
  'sum (flink_taskmanager_job_task_operator_numRecordsInPerSecond{job_name=~"$job_name"})  by (operator_name) ',
  'time() -  ( max(flink_taskmanager_job_task_currentInputWatermark{job_name=~"$job_name"}) by (task_name)/1000)',
  'flink_taskmanager_job_task_Shuffle_Netty_Output_Buffers_outPoolUsage{job_name=~"$job_name"} *100 >50',
  'flink_taskmanager_job_task_Shuffle_Netty_Input_Buffers_inPoolUsage{job_name=~"$job_name"} *100  > 50',
  'sum(flink_taskmanager_job_task_Shuffle_Netty_Input_Buffers_inputQueueLength{job_name=~"$job_name"}) by (host)',
  'max (flink_taskmanager_job_task_operator_fetch_latency_avg{job_name=~"$job_name"}) by (task_name)',
  'delta(flink_taskmanager_Status_JVM_GarbageCollector_G1_Old_Generation_Count[30s]) > 50',
  'delta(flink_taskmanager_Status_JVM_GarbageCollector_G1_Young_Generation_Time[30s]) > 1000',
  'topk(10,delta(flink_taskmanager_Status_JVM_GarbageCollector_G1_Young_Generation_Time[30s]))',
  'sum(delta(flink_taskmanager_job_task_operator_numLateRecordsDropped{job_name=~"$job_name"}[30s]))',
  'flink_taskmanager_Status_JVM_Memory_NonHeap_Committed-flink_taskmanager_Status_JVM_Memory_NonHeap_Used  < 2000000',
  'flink_taskmanager_Status_JVM_Memory_Heap_Max-flink_taskmanager_Status_JVM_Memory_Heap_Used < 1000000000',
  'rate(flink_taskmanager_Status_JVM_Threads_Count[5m]) > 1',
  'flink_jobmanager_job_lastCheckpointDuration{job_name=~"$job_name"}',
  'rate(flink_jobmanager_job_lastCheckpointSize{job_name=~"$job_name"}[2m])',
  'delta(flink_jobmanager_job_numberOfFailedCheckpoints{job_name=~"$job_name"}[2m])',
  'rate(flink_taskmanager_job_task_operator_commitsFailed{job_name=~"$job_name"}[2m])',
  'flink_jobmanager_job_downtime{job_name=~"$job_name"}',
  'rate(flink_jobmanager_Status_JVM_GarbageCollector_PS_MarkSweep_Time[5m])/1000 + rate(flink_jobmanager_Status_JVM_GarbageCollector_PS_Scavenge_Time[5m])/1000',
  'rate(flink_taskmanager_Status_JVM_GarbageCollector_G1_Old_Generation_Time[5m])/1000 + rate(flink_taskmanager_Status_JVM_GarbageCollector_G1_Young_Generation_Time[5m])/1000',
  'max(changes(flink_jobmanager_job_uptime{job_name="$job"}[1m])) > bool 0',
  'flink_taskmanager_job_task_operator_value_histogram',
  'count(flink_taskmanager_Status_JVM_CPU_Time) < 2',
  '(sum(flink_taskmanager_Status_JVM_Memory_Heap_Used{${Cluster},${Location},${Namespace}}) / sum(flink_taskmanager_Status_JVM_Memory_Heap_Max{${Cluster},${Location},${Namespace}})) * 100',
  '(sum(flink_taskmanager_Status_Flink_Memory_Managed_Used{${Cluster},${Location},${Namespace}}) / sum(flink_taskmanager_Status_Flink_Memory_Managed_Total{${Cluster},${Location},${Namespace}})) * 100',
  'flink_taskmanager_Status_JVM_Memory_Heap_Used / flink_taskmanager_Status_JVM_Memory_Heap_Max > 0.9 and flink_taskmanager_Status_JVM_Memory_Heap_Max > 0',
  'flink_jobmanager_numRunningJobs == 0',
  'delta(flink_jobmanager_job_numRestarts[5m]) > 1',
  'delta(flink_jobmanager_job_numberOfFailedCheckpoints[10m]) > 1',
  'flink_jobmanager_job_lastCheckpointDuration / 1000 > 60',
  'flink_taskmanager_job_task_isBackPressured == 1',
  'flink_taskmanager_job_task_backPressuredTimeMsPerSecond > 500',
  'deriv(flink_taskmanager_Status_JVM_GarbageCollector_All_Time[5m]) > 100',
  'delta(flink_taskmanager_job_task_numRecordsIn[5m]) == 0 and flink_taskmanager_job_task_numRecordsIn > 0',
].map((q) => q.replaceAll('$job_name', JOB).replaceAll('$job', 'wordcount').replace(/\$\{Cluster\},\$\{Location\},\$\{Namespace\}/g, SCOPE));

/** Mean µs per query over `rounds` passes through all queries, after a warm-up pass. */
function timePerQuery(queries: readonly string[], rounds: number, parse: (q: string) => unknown): number {
  for (let i = 0; i < Math.max(1, rounds / 10); i++) for (const q of queries) parse(q);
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) for (const q of queries) parse(q);
  return Number(process.hrtime.bigint() - start) / 1000 / (rounds * queries.length);
}

/** Runs the parser benchmarks and hands each row to `report`. */
export function benchParser(report: (row: BenchRow) => void): void {
  const rounds = 300;
  const lezerName = 'lezer-promql 0.315 (tree only)';
  const ours = timePerQuery(FLINK_QUERIES, rounds, (q) => parseExpr(q));
  const theirs = timePerQuery(FLINK_QUERIES, rounds, (q) => lezer.parse(q));
  report({
    suite: 'promql-parser',
    case: `parse+check Flink §3 queries (${FLINK_QUERIES.length})`,
    unit: 'µs/query',
    ours,
    baseline: { name: lezerName, value: theirs },
    higherIsBetter: false,
    note: 'ours builds a typed AST; lezer builds a syntax tree without type checking',
  });

  // The same without the queries holding regex matchers: their RE2 compilation (in @pyrometer/model's
  // Matcher) dominates the figure above and is not parsing work.
  const plain = FLINK_QUERIES.filter((q) => !q.includes('=~'));
  report({
    suite: 'promql-parser',
    case: `parse+check Flink §3 queries without =~ (${plain.length})`,
    unit: 'µs/query',
    ours: timePerQuery(plain, rounds, (q) => parseExpr(q)),
    baseline: { name: lezerName, value: timePerQuery(plain, rounds, (q) => lezer.parse(q)) },
    higherIsBetter: false,
  });

  // One long query: every Flink query joined with `or`, as a stress on deep binary nesting.
  const long = [FLINK_QUERIES.map((q) => `(${q})`).join(' or ')];
  report({
    suite: 'promql-parser',
    case: `parse one ${long[0]!.length}-char query`,
    unit: 'µs/query',
    ours: timePerQuery(long, 50, (q) => parseExpr(q)),
    baseline: { name: lezerName, value: timePerQuery(long, 50, (q) => lezer.parse(q)) },
    higherIsBetter: false,
  });

  const trees = FLINK_QUERIES.map((q) => parseExpr(q));
  report({
    suite: 'promql-parser',
    case: 'print (String) Flink §3 queries',
    unit: 'µs/query',
    ours: timePerQuery(trees.map((_, i) => String(i)), rounds, (i) => exprToString(trees[Number(i)]!)),
    higherIsBetter: false,
  });
  report({
    suite: 'promql-parser',
    case: 'pretty-print (format_query) Flink §3 queries',
    unit: 'µs/query',
    ours: timePerQuery(trees.map((_, i) => String(i)), rounds, (i) => prettyPrint(trees[Number(i)]!)),
    higherIsBetter: false,
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchParser((row) => console.log(JSON.stringify(row)));
}
