import { Labels } from '@pyrometer/model';
import { describe, expect, it } from 'vitest';
import type { Alert } from './alert.js';
import { sendAlerts, tableLinkForExpression } from './send-alerts.js';

describe('tableLinkForExpression', () => {
  it.each([
    { name: 'a plain metric', expr: 'up', link: '/graph?g0.expr=up&g0.tab=1' },
    { name: 'spaces become +, operators are escaped', expr: 'up == 0', link: '/graph?g0.expr=up+%3D%3D+0&g0.tab=1' },
    { name: 'selectors, ranges and quotes', expr: 'rate(x{code="5xx"}[5m]) > 0.1', link: '/graph?g0.expr=rate%28x%7Bcode%3D%225xx%22%7D%5B5m%5D%29+%3E+0.1&g0.tab=1' },
    { name: 'Go keeps only - _ . ~ unescaped', expr: "a-b_c.d~e!f'g*h", link: '/graph?g0.expr=a-b_c.d~e%21f%27g%2Ah&g0.tab=1' },
    { name: 'UTF-8 bytes and newlines', expr: 'ö\n', link: '/graph?g0.expr=%C3%B6%0A&g0.tab=1' },
    { name: 'a lone surrogate becomes U+FFFD', expr: 'x\uD800', link: '/graph?g0.expr=x%EF%BF%BD&g0.tab=1' },
  ])('$name', ({ expr, link }) => {
    expect(tableLinkForExpression(expr)).toBe(link);
  });
});

describe('sendAlerts', () => {
  const base = { labels: Labels.from({ alertname: 'A' }), annotations: Labels.from({ summary: 's' }), firedAt: 1_000, validUntil: 241_000 };

  it('turns rule alerts into notifier alerts: endsAt is the resolved time, else validUntil', () => {
    const sent: Alert[][] = [];
    const notify = sendAlerts({ send: (alerts) => sent.push([...alerts]) }, 'http://prom:9090/prefix');
    notify('up == 0', [
      { ...base, resolvedAt: 0 },
      { ...base, resolvedAt: 61_000 },
    ]);
    expect(sent).toEqual([
      [
        { labels: base.labels, annotations: base.annotations, startsAt: 1_000, endsAt: 241_000, generatorURL: 'http://prom:9090/prefix/graph?g0.expr=up+%3D%3D+0&g0.tab=1' },
        { labels: base.labels, annotations: base.annotations, startsAt: 1_000, endsAt: 61_000, generatorURL: 'http://prom:9090/prefix/graph?g0.expr=up+%3D%3D+0&g0.tab=1' },
      ],
    ]);
  });

  it('sends nothing for an empty list', () => {
    const sent: unknown[] = [];
    sendAlerts({ send: (alerts) => sent.push(alerts) }, 'http://p')('up', []);
    expect(sent).toEqual([]);
  });
});
