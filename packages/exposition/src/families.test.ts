import { describe, expect, it } from 'vitest';
import { ExpositionError } from './exposition-error.js';
import { parseFamilies } from './families.js';
import type { MetricFamily } from './metric-family.js';

const TEXT = 'text/plain; version=0.0.4; charset=utf-8';

function plain(families: MetricFamily[]): unknown {
  return families.map((f) => ({ ...f, metrics: f.metrics.map((m) => ({ ...m, labels: m.labels.toString() })) }));
}

describe('parseFamilies (text, expfmt TextParser semantics)', () => {
  it('assembles a Flink summary: _count before the quantiles, no _sum', () => {
    const body = [
      '# HELP flink_taskmanager_job_task_mailboxLatencyMs mailboxLatencyMs (scope: taskmanager_job_task)',
      '# TYPE flink_taskmanager_job_task_mailboxLatencyMs summary',
      'flink_taskmanager_job_task_mailboxLatencyMs_count{job_id="j1",subtask_index="0",} 60.0',
      'flink_taskmanager_job_task_mailboxLatencyMs{job_id="j1",subtask_index="0",quantile="0.5",} 1.0E-4',
      'flink_taskmanager_job_task_mailboxLatencyMs{job_id="j1",subtask_index="0",quantile="0.999",} 1.2345E9',
      'flink_taskmanager_job_task_mailboxLatencyMs_count{job_id="j1",subtask_index="1",} 3.0',
      '',
    ].join('\n');
    expect(plain(parseFamilies(body, TEXT))).toEqual([
      {
        name: 'flink_taskmanager_job_task_mailboxLatencyMs',
        help: 'mailboxLatencyMs (scope: taskmanager_job_task)',
        type: 'summary',
        metrics: [
          { labels: '{job_id="j1", subtask_index="0"}', summary: { sampleCount: 60, sampleSum: 0, quantiles: [{ quantile: 0.5, value: 1e-4 }, { quantile: 0.999, value: 1.2345e9 }] } },
          { labels: '{job_id="j1", subtask_index="1"}', summary: { sampleCount: 3, sampleSum: 0, quantiles: [] } },
        ],
      },
    ]);
  });

  it('assembles histograms, keeps timestamps, types untyped samples and drops families without samples', () => {
    const body = ['# HELP nothing Only help.', '# TYPE h histogram', 'h_bucket{le="1"} 1', 'h_bucket{le="+Inf"} 2', 'h_sum 3.5', 'h_count 2', 'u{a="b"} 7 1700000000000', ''].join('\n');
    expect(plain(parseFamilies(body, undefined))).toEqual([
      { name: 'h', help: undefined, type: 'histogram', metrics: [{ labels: '{}', histogram: { sampleCount: 2, sampleSum: 3.5, buckets: [{ upperBound: 1, cumulativeCount: 1 }, { upperBound: Infinity, cumulativeCount: 2 }] } }] },
      { name: 'u', help: undefined, type: 'untyped', metrics: [{ labels: '{a="b"}', value: 7, timestampMs: 1700000000000 }] },
    ]);
  });

  it.each([
    { name: 'second TYPE', body: '# TYPE m gauge\n# TYPE m gauge\n', message: 'text format parsing error in line 2: second TYPE line for metric name "m", or TYPE reported after samples' },
    { name: 'TYPE after samples', body: 'm 1\n# TYPE m gauge\n', message: 'text format parsing error in line 2: second TYPE line for metric name "m", or TYPE reported after samples' },
    { name: 'second HELP', body: '# HELP m a\n# HELP m b\n', message: 'text format parsing error in line 2: second HELP line for metric name "m"' },
    { name: 'second HELP via a summary part', body: '# TYPE s summary\n# HELP s a\n# HELP s_count b\n', message: 'text format parsing error in line 3: second HELP line for metric name "s"' },
    { name: 'duplicate label names', body: 'm{a="1",a="2"} 1\n', message: 'text format parsing error in line 1: duplicate label names for metric "m"' },
    { name: '__name__ label', body: 'm{__name__="x"} 1\n', message: 'text format parsing error in line 1: label name "__name__" is reserved' },
    { name: 'bad quantile', body: '# TYPE s summary\ns{quantile="x"} 1\n', message: 'text format parsing error in line 2: expected float as value for \'quantile\' label, got "x"' },
    { name: 'bad le', body: '# TYPE h histogram\nh_bucket{le="a"} 1\n', message: 'text format parsing error in line 2: expected float as value for \'le\' label, got "a"' },
    { name: 'missing final newline', body: 'm 1\nn 2', message: 'text format parsing error in line 2: unexpected end of input stream' },
  ])('rejects $name', ({ body, message }) => {
    let err: unknown;
    try {
      parseFamilies(body, TEXT);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ExpositionError);
    expect((err as ExpositionError).message).toBe(message);
    expect((err as ExpositionError).code).toBe('invalid-family');
  });

  it('unescapes \\" in HELP as expfmt does', () => {
    expect(parseFamilies('# HELP m a \\"b\\" \\\\ c\nm 1\n', TEXT)[0]?.help).toBe('a "b" \\ c');
  });

  it('passes syntax errors through with line and column', () => {
    expect(() => parseFamilies('m{a=1} 1\n', TEXT)).toThrow('1:5: expected quoted label value, got "1"');
  });
});

describe('parseFamilies (OpenMetrics)', () => {
  it('groups counters under their _total name and assembles histograms', () => {
    const body = ['# TYPE c counter', '# HELP c Requests.', 'c_total{a="b"} 3', 'c_created{a="b"} 1.7e9', '# TYPE h_seconds histogram', '# UNIT h_seconds seconds', 'h_seconds_bucket{le="1.0"} 1', 'h_seconds_bucket{le="+Inf"} 2', 'h_seconds_sum 3.5', 'h_seconds_count 2', '# EOF', ''].join('\n');
    expect(plain(parseFamilies(body, 'application/openmetrics-text; version=1.0.0'))).toEqual([
      { name: 'c_total', help: 'Requests.', type: 'counter', metrics: [{ labels: '{a="b"}', value: 3 }] },
      { name: 'h_seconds', help: undefined, type: 'histogram', unit: 'seconds', metrics: [{ labels: '{}', histogram: { sampleCount: 2, sampleSum: 3.5, buckets: [{ upperBound: 1, cumulativeCount: 1 }, { upperBound: Infinity, cumulativeCount: 2 }] } }] },
    ]);
  });
});
