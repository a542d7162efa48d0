import { Labels } from '@pyrometer/model';
import { freePort, peer, startProcess, type RunningProcess } from '@pyrometer/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_TYPES } from './content-type.js';
import { parseFamilies } from './families.js';
import type { MetricFamily } from './metric-family.js';
import { decodeDelimited, encodeDelimited } from './protobuf.js';
import { writeText } from './text-writer.js';

// Golden bytes come from Debian's prometheus-pushgateway 1.5 (Go expfmt via client_golang): we push
// a body, read /metrics back, and compare each pushed family's block with our writer's output.

const pgw = peer('prometheus-pushgateway', 'prometheus-pushgateway');

const CASES = [
  {
    name: 'flink',
    body: [
      '# HELP flink_taskmanager_Status_JVM_CPU_Load Load (scope: taskmanager_Status_JVM_CPU)',
      '# TYPE flink_taskmanager_Status_JVM_CPU_Load gauge',
      'flink_taskmanager_Status_JVM_CPU_Load{host="10_0_3_17",tm_id="10_0_3_17:36511_a1b2c3",} 0.0213',
      'flink_taskmanager_Status_JVM_CPU_Load{host="10_0_3_18",tm_id="10_0_3_18:36511_d4e5f6",} 1.2345E9',
      '# HELP flink_taskmanager_job_task_mailboxLatencyMs mailboxLatencyMs (scope: taskmanager_job_task)',
      '# TYPE flink_taskmanager_job_task_mailboxLatencyMs summary',
      'flink_taskmanager_job_task_mailboxLatencyMs_count{job_id="3f9c",task_name="Source:_Kafka",subtask_index="0",} 60.0',
      'flink_taskmanager_job_task_mailboxLatencyMs{job_id="3f9c",task_name="Source:_Kafka",subtask_index="0",quantile="0.5",} 1.0E-4',
      'flink_taskmanager_job_task_mailboxLatencyMs{job_id="3f9c",task_name="Source:_Kafka",subtask_index="0",quantile="0.999",} 12345.0',
      'flink_taskmanager_job_task_mailboxLatencyMs{job_id="3f9c",task_name="Source:_Kafka",subtask_index="0",quantile="1.0",} NaN',
    ],
  },
  {
    name: 'escaping',
    body: ['# HELP esc_gauge Back\\\\slash and \\n newline "quoted"', '# TYPE esc_gauge gauge', 'esc_gauge{path="a\\\\b\\"c\\nd",utf="Grüße ✓"} -1'],
  },
  {
    name: 'histogram',
    body: ['# TYPE hist_seconds histogram', 'hist_seconds_bucket{le="0.005"} 0', 'hist_seconds_bucket{le="1"} 2', 'hist_seconds_bucket{le="2.5e+06"} 3', 'hist_seconds_sum 1.5838723477166057e9', 'hist_seconds_count 3'],
  },
  {
    name: 'numbers',
    body: ['# TYPE num_counter counter', 'num_counter{k="a"} 0', 'num_counter{k="b"} 1e21', 'num_counter{k="c"} 123456', 'num_counter{k="d"} 1234567', 'num_counter{k="e"} 0.00001', 'num_counter{k="f"} +Inf', 'num_counter{k="g"} -0.0', 'untyped_thing 42'],
  },
];

/** Splits a text exposition into per-family blocks (comment lines plus samples), keyed by family name. */
function blocks(text: string, names: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.split('\n');
  for (const name of names) {
    const start = lines.findIndex((l) => l === `# HELP ${name}` || l.startsWith(`# HELP ${name} `) || l === `# TYPE ${name}` || l.startsWith(`# TYPE ${name} `));
    if (start < 0) continue;
    let end = start + 1;
    while (end < lines.length && (lines[end]!.startsWith(`# TYPE ${name} `) || (!lines[end]!.startsWith('#') && lines[end] !== ''))) end++;
    out.set(name, lines.slice(start, end).join('\n') + '\n');
  }
  return out;
}

/** What the Pushgateway stores for a pushed family: grouping labels added, metrics sorted. */
function asStored(family: MetricFamily, grouping: Record<string, string>): MetricFamily {
  const metrics = family.metrics.map((m) => {
    const b = m.labels.builder();
    for (const [k, v] of Object.entries(grouping)) b.set(k, v);
    return { ...m, labels: b.labels() };
  });
  metrics.sort((a, b) => Labels.compare(a.labels, b.labels));
  return { ...family, metrics };
}

describe.skipIf(pgw.path === undefined)('golden bytes from Debian prometheus-pushgateway', () => {
  let proc: RunningProcess | undefined;
  let base = '';

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // Debian's build persists to /var/lib/prometheus/pushgateway.data by default: keep this run in memory.
    proc = await startProcess(pgw.path!, [`--web.listen-address=127.0.0.1:${port}`, '--persistence.file='], { readyUrl: `${base}/-/ready` });
    for (const c of CASES) {
      const res = await fetch(`${base}/metrics/job/${c.name}/instance/i1`, { method: 'PUT', body: c.body.join('\n') + '\n', headers: { 'Content-Type': CONTENT_TYPES.text } });
      expect(res.status, await res.text()).toBe(200);
    }
  });

  afterAll(async () => {
    await proc?.stop();
  });

  it.each(CASES)('text: our parse + write of the $name push equals what the Pushgateway serves', async ({ name, body }) => {
    const served = await (await fetch(`${base}/metrics`)).text();
    const pushed = parseFamilies(body.join('\n') + '\n', CONTENT_TYPES.text);
    const golden = blocks(
      served,
      pushed.map((f) => f.name),
    );
    expect(golden.size).toBe(pushed.length);
    for (const family of pushed) expect(writeText([asStored(family, { job: name, instance: 'i1' })])).toBe(golden.get(family.name));
  });

  it('text: parsing and rewriting the whole /metrics page reproduces it byte for byte', async () => {
    const served = await (await fetch(`${base}/metrics`)).text();
    expect(writeText(parseFamilies(served, 'text/plain; version=0.0.4'))).toBe(served);
  });

  it('protobuf: each served MetricFamily record re-encodes to the same bytes, and decodes to the text families', async () => {
    const res = await fetch(`${base}/metrics`, { headers: { Accept: CONTENT_TYPES.protobuf } });
    expect(res.headers.get('content-type')).toContain('application/vnd.google.protobuf');
    const body = new Uint8Array(await res.arrayBuffer());
    const text = await (await fetch(`${base}/metrics`)).text();
    const textFamilies = new Map(parseFamilies(text, 'text/plain').map((f) => [f.name, f]));
    let checked = 0;
    for (let pos = 0; pos < body.length; ) {
      let len = 0;
      let shift = 0;
      let p = pos;
      for (;;) {
        const c = body[p++]!;
        len += (c & 0x7f) * 2 ** shift;
        shift += 7;
        if ((c & 0x80) === 0) break;
      }
      const record = body.subarray(pos, p + len);
      pos = p + len;
      const [family] = decodeDelimited(record);
      if (family === undefined || family.name.startsWith('go_') || family.name.startsWith('process_') || family.name.startsWith('pushgateway_')) continue;
      // Go leaves an unset proto2 field out; our model has no "unset" sum, so the Flink summary
      // (no _sum line) is compared by value: it encodes with an explicit sample_sum of 0.
      const noSum = family.metrics.some((m) => m.summary !== undefined && m.summary.sampleSum === 0);
      if (!noSum) expect(Buffer.from(encodeDelimited([family]))).toEqual(Buffer.from(record));
      expect(writeText([family])).toBe(writeText([textFamilies.get(family.name)!]));
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(7);
  });

  it('protobuf: a push we encode is accepted and served back as the same families', async () => {
    const families = parseFamilies(CASES[0]!.body.join('\n') + '\n', CONTENT_TYPES.text);
    const res = await fetch(`${base}/metrics/job/proto/instance/i2`, { method: 'PUT', body: encodeDelimited(families), headers: { 'Content-Type': CONTENT_TYPES.protobuf } });
    expect(res.status, await res.text()).toBe(200);
    const served = await (await fetch(`${base}/metrics`)).text();
    const back = parseFamilies(served, 'text/plain').filter((f) => families.some((g) => g.name === f.name));
    const mine = back.map((f) => ({ ...f, metrics: f.metrics.filter((m) => m.labels.get('job') === 'proto') }));
    expect(writeText(mine)).toBe(writeText(families.map((f) => asStored(f, { job: 'proto', instance: 'i2' }))));
  });
});
