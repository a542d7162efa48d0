// A Flink TaskManager push as the reporter writes it (flink-reporter.md §1.3, §1.5): Java number
// formatting, a trailing comma in every label set, summaries with `_count` first and no `_sum`.

const QUANTILES = ['0.5', '0.75', '0.95', '0.98', '0.99', '0.999'];

/** Roughly `series` sample lines of Flink-shaped text 0.0.4. */
export function flinkBody(series: number): string {
  const lines: string[] = [];
  const gauges = ['numRecordsIn', 'numRecordsOut', 'numBytesInPerSecond', 'currentInputWatermark', 'idleTimeMsPerSecond', 'busyTimeMsPerSecond', 'backPressuredTimeMsPerSecond'];
  const jobId = '3f9c1d2ab4e54c7f8a0b1c2d3e4f5a6b';
  let n = 0;
  for (let op = 0; n < series; op++) {
    for (let sub = 0; sub < 8 && n < series; sub++) {
      const labels = `job_id="${jobId}",task_id="cbc357ccb763df2852fee8c4fc7d55f${op % 10}",task_attempt_id="a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d${sub}",host="10_0_3_${17 + (sub % 4)}",tm_id="10_0_3_${17 + (sub % 4)}:36511_a1b2c3",job_name="Kafka_to_Iceberg_${op % 3}",task_name="Source:_Kafka_${op}____Map_${op}",subtask_index="${sub}",task_attempt_num="0",operator_id="feca28aff5a3958840bee985ee7de4d${op % 10}",operator_name="Map_${op}",`;
      for (const g of gauges) {
        if (op === 0 && sub === 0) lines.push(`# HELP flink_taskmanager_job_task_operator_${g} ${g} (scope: taskmanager_job_task_operator)`, `# TYPE flink_taskmanager_job_task_operator_${g} gauge`);
        lines.push(`flink_taskmanager_job_task_operator_${g}{${labels}} ${((op + 1) * 1234.5 + sub).toFixed(1)}E${sub % 3}`);
        n++;
      }
      const name = 'flink_taskmanager_job_task_mailboxLatencyMs';
      lines.push(`${name}_count{${labels}} 60.0`);
      for (const q of QUANTILES) lines.push(`${name}{${labels}quantile="${q}",} ${sub === 0 ? '0.0' : `1.0E-${sub}`}`);
      n += 7;
    }
  }
  return lines.join('\n') + '\n';
}
