import { describe, expect, it } from 'vitest';
import { parseExpr } from './parser.js';
import { prettyPrint } from './pretty.js';
import { exprToString } from './printer.js';

describe('number literals', () => {
  it.each([
    { name: 'integer', q: '42', out: '42' },
    { name: 'fraction', q: '0.25', out: '0.25' },
    { name: 'large', q: '1e21', out: '1000000000000000000000' },
    { name: 'small', q: '1.5e-7', out: '0.00000015' },
    { name: 'infinities', q: '-Inf', out: '-Inf' },
    { name: 'sub-second duration', q: '1500ms', out: '1s500ms' },
  ])('$name', ({ q, out }) => {
    expect(exprToString(parseExpr(q))).toBe(out);
  });
});

describe('prettyPrint', () => {
  it('keeps short expressions on one line', () => {
    expect(prettyPrint(parseExpr('sum by (job) (rate(x[5m]))'))).toBe('sum by (job) (rate(x[5m]))');
  });

  it('splits long binary expressions around the operator', () => {
    const q = 'sum by (job) (rate(http_requests_total{job="api-server",code=~"5.."}[5m])) / on (job) group_left () sum by (job) (rate(http_requests_total[5m]))';
    expect(prettyPrint(parseExpr(q))).toBe(
      [
        '  sum by (job) (rate(http_requests_total{code=~"5..",job="api-server"}[5m]))',
        '/ on (job) group_left ()',
        '  sum by (job) (rate(http_requests_total[5m]))',
      ].join('\n'),
    );
  });

  it('splits long calls and aggregations argument by argument', () => {
    const q = 'histogram_quantile(0.99, sum by (le, job, instance, namespace, pod) (rate(flink_taskmanager_job_latency_bucket{job="flink"}[5m])))';
    expect(prettyPrint(parseExpr(q))).toBe(
      [
        'histogram_quantile(',
        '  0.99,',
        '  sum by (le, job, instance, namespace, pod) (',
        '    rate(flink_taskmanager_job_latency_bucket{job="flink"}[5m])',
        '  )',
        ')',
      ].join('\n'),
    );
  });

  it('splits at a custom width, indenting each level by two spaces', () => {
    expect(prettyPrint(parseExpr('-sum by (job) (a{x="1"} + on (job) b)'), 10)).toBe(
      ['-sum by (job) (', '    a{x="1"}', '  + on (job)', '    b', ')'].join('\n'),
    );
  });

  it('produces text that parses back to the same expression', () => {
    const q = 'topk(5, sum without (instance, pod, container, endpoint, service, namespace) (rate(container_cpu_usage_seconds_total[5m])) * 100)';
    const e = parseExpr(q);
    expect(prettyPrint(parseExpr(prettyPrint(e)))).toBe(prettyPrint(e));
  });
});
