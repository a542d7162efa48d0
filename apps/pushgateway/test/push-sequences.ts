/** One request of a push sequence sent identically to Debian's pushgateway and to ours. */
export interface Step {
  name: string;
  method: 'PUT' | 'POST' | 'DELETE';
  path: string;
  body?: string;
  contentType?: string;
  /** Compare only the status code (the message wording is the parser's, which differs). */
  statusOnly?: boolean;
  /**
   * A clash between groups: upstream reports whichever side its Go map iteration meets second (and
   * one error per metric of that side), so the wording varies from run to run; compare only the
   * families the message names.
   */
  orderDependent?: boolean;
}

const JAVA_TEXT = 'text/plain; version=0.0.4; charset=utf-8';
const TM_JOB = 'flinkJob3f9c1d2ab4e54c7f8a0b1c2d3e4f5a6b';
const JM_JOB = 'flinkJob0a1b2c3d4e5f60718293a4b5c6d7e8f9';

/** What Flink's PrometheusPushGatewayReporter (simpleclient 0.8.1) sends from a TaskManager. */
function taskManagerBody(load: string, records: string): string {
  return [
    '# HELP flink_taskmanager_Status_JVM_CPU_Load Load (scope: taskmanager_Status_JVM_CPU)',
    '# TYPE flink_taskmanager_Status_JVM_CPU_Load gauge',
    `flink_taskmanager_Status_JVM_CPU_Load{host="10_0_3_17",tm_id="10_0_3_17:36511_a1b2c3",} ${load}`,
    '# HELP flink_taskmanager_job_task_numRecordsIn numRecordsIn (scope: taskmanager_job_task)',
    '# TYPE flink_taskmanager_job_task_numRecordsIn gauge',
    `flink_taskmanager_job_task_numRecordsIn{job_id="a1",task_name="Source:_Kafka",subtask_index="0",host="10_0_3_17",tm_id="10_0_3_17:36511_a1b2c3",job_name="wordcount",} ${records}`,
    `flink_taskmanager_job_task_numRecordsIn{job_id="a1",task_name="Source:_Kafka",subtask_index="1",host="10_0_3_17",tm_id="10_0_3_17:36511_a1b2c3",job_name="wordcount",} 1.2345E9`,
    '# HELP flink_taskmanager_job_task_mailboxLatencyMs mailboxLatencyMs (scope: taskmanager_job_task)',
    '# TYPE flink_taskmanager_job_task_mailboxLatencyMs summary',
    'flink_taskmanager_job_task_mailboxLatencyMs_count{job_id="a1",subtask_index="0",host="10_0_3_17",} 60.0',
    'flink_taskmanager_job_task_mailboxLatencyMs{job_id="a1",subtask_index="0",host="10_0_3_17",quantile="0.5",} 0.0',
    'flink_taskmanager_job_task_mailboxLatencyMs{job_id="a1",subtask_index="0",host="10_0_3_17",quantile="0.99",} 1.0E-4',
    'flink_taskmanager_job_task_mailboxLatencyMs{job_id="a1",subtask_index="0",host="10_0_3_17",quantile="0.999",} NaN',
    '',
  ].join('\n');
}

const JOBMANAGER_BODY = [
  '# HELP flink_jobmanager_numRunningJobs numRunningJobs (scope: jobmanager)',
  '# TYPE flink_jobmanager_numRunningJobs gauge',
  'flink_jobmanager_numRunningJobs{host="jobmanager",} 1.0',
  '# HELP flink_jobmanager_job_numRestarts numRestarts (scope: jobmanager_job)',
  '# TYPE flink_jobmanager_job_numRestarts gauge',
  'flink_jobmanager_job_numRestarts{job_id="a1",job_name="wordcount",host="jobmanager",} 0.0',
  '',
].join('\n');

/** What Python's prometheus_client writes (counters with _total and a _created gauge, a histogram). */
const PYTHON_BODY = [
  '# HELP my_job_runs_total Runs of the batch job.',
  '# TYPE my_job_runs_total counter',
  'my_job_runs_total 3.0',
  '# HELP my_job_runs_created Runs of the batch job.',
  '# TYPE my_job_runs_created gauge',
  'my_job_runs_created 1.7000000001234e+09',
  '# HELP my_job_seconds Duration.',
  '# TYPE my_job_seconds histogram',
  'my_job_seconds_bucket{le="0.5"} 1.0',
  'my_job_seconds_bucket{le="1.0"} 2.0',
  'my_job_seconds_bucket{le="+Inf"} 3.0',
  'my_job_seconds_count 3.0',
  'my_job_seconds_sum 4.25',
  '',
].join('\n');

/** A push sequence covering valid and invalid pushes, Flink-shaped and Python-shaped. */
export const DIFFERENTIAL_STEPS: Step[] = [
  { name: 'flink TM first push', method: 'PUT', path: `/metrics/job/${TM_JOB}/tm/tm1`, body: taskManagerBody('0.0213', '60.0'), contentType: JAVA_TEXT },
  { name: 'flink TM second push', method: 'PUT', path: `/metrics/job/${TM_JOB}/tm/tm1`, body: taskManagerBody('0.5', '120.0'), contentType: JAVA_TEXT },
  { name: 'flink TM2 push', method: 'PUT', path: `/metrics/job/${TM_JOB}/tm/tm2`, body: taskManagerBody('0.25', '7.0'), contentType: JAVA_TEXT },
  { name: 'flink JM push', method: 'PUT', path: `/metrics/job/${JM_JOB}`, body: JOBMANAGER_BODY, contentType: JAVA_TEXT },
  { name: 'python pushadd', method: 'POST', path: '/metrics/job/batch/instance/host1', body: PYTHON_BODY, contentType: 'text/plain; version=0.0.4; charset=utf-8' },
  { name: 'python push replaces', method: 'PUT', path: '/metrics/job/batch/instance/host1', body: PYTHON_BODY.replace('3.0\n# HELP my_job_runs_created', '4.0\n# HELP my_job_runs_created'), contentType: 'text/plain; version=0.0.4; charset=utf-8' },
  { name: 'type conflict across groups', method: 'PUT', path: '/metrics/job/other', body: '# TYPE flink_jobmanager_numRunningJobs counter\nflink_jobmanager_numRunningJobs 1\n', orderDependent: true },
  { name: 'untyped against gauge', method: 'PUT', path: `/metrics/job/${JM_JOB}/x/1`, body: 'flink_jobmanager_numRunningJobs{host="jobmanager"} 1\n', orderDependent: true },
  { name: 'same family from a second group (same HELP: upstream keeps a random one)', method: 'PUT', path: `/metrics/job/${JM_JOB}/x/1`, body: '# HELP flink_jobmanager_numRunningJobs numRunningJobs (scope: jobmanager)\n# TYPE flink_jobmanager_numRunningJobs gauge\nflink_jobmanager_numRunningJobs{host="jobmanager"} 1\n' },
  { name: 'series for the duplicate check', method: 'PUT', path: '/metrics/job/dup/a/1', body: 'd{b="2"} 1\n' },
  { name: 'duplicate series across groups', method: 'PUT', path: '/metrics/job/dup/b/2', body: 'd{a="1"} 1\n' },
  { name: 'timestamps rejected', method: 'PUT', path: '/metrics/job/ts', body: 'some_metric 1 1700000000000\n' },
  { name: 'summary with quantile grouping label', method: 'PUT', path: '/metrics/job/q/quantile/0.5', body: '# TYPE s summary\ns_sum 1\ns_count 1\n' },
  { name: '_count clashing with a summary', method: 'PUT', path: '/metrics/job/clash', body: '# TYPE flink_taskmanager_job_task_mailboxLatencyMs_count gauge\nflink_taskmanager_job_task_mailboxLatencyMs_count 1\n', orderDependent: true },
  { name: 'parse error', method: 'PUT', path: '/metrics/job/bad', body: 'metric{a="b" 1\n', statusOnly: true },
  { name: 'empty job', method: 'PUT', path: '/metrics/job/', body: 'm 1\n' },
  { name: 'odd label components', method: 'PUT', path: '/metrics/job/j/a', body: 'm 1\n' },
  { name: 'improper label name', method: 'PUT', path: '/metrics/job/j/__x/1', body: 'm 1\n' },
  { name: 'base64 job and empty instance', method: 'PUT', path: '/metrics/job@base64/L3Zhci90bXA/instance@base64/=', body: '# TYPE b64 gauge\nb64 1\n' },
  { name: 'grouping label overrides body', method: 'PUT', path: '/metrics/job/override/env/prod', body: 'ov{env="dev",instance="i9"} 2\n' },
  { name: 'post empty body', method: 'POST', path: '/metrics/job/override/env/prod', body: '' },
  { name: 'put empty body', method: 'PUT', path: '/metrics/job/batch/instance/host1', body: '' },
  { name: 'delete flink TM2 on shutdown', method: 'DELETE', path: `/metrics/job/${TM_JOB}/tm/tm2`, contentType: JAVA_TEXT },
  { name: 'delete missing group', method: 'DELETE', path: '/metrics/job/never' },
];
