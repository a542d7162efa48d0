import { Labels } from '@pyrometer/model';
import { Engine, type Sample } from '@pyrometer/promql';
import { parseExpr } from '@pyrometer/promql/parser';
import { MemoryStorage } from '@pyrometer/storage';
import { silentLogger } from '@pyrometer/telemetry';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AlertingRule, RESOLVED_RETENTION, type AlertingRuleOptions } from './alerting-rule.js';
import { engineQueryFunc, type QueryFunc } from './query-func.js';
import { load } from './test-harness.js';

const MIN = 60_000;

function rule(options: Partial<Omit<AlertingRuleOptions, 'expr'>> & { expr: string }): AlertingRule {
  return new AlertingRule({ name: 'HTTPRequestRateLow', holdDuration: 0, keepFiringFor: 0, labels: {}, annotations: {}, externalLabels: {}, externalURL: '', restored: true, logger: silentLogger(), ...options, expr: parseExpr(options.expr) });
}

/** The ALERTS samples of a result as `alertstate/instance` strings, sorted. */
const alertsOf = (out: Sample[]) =>
  out
    .filter((s) => s.metric.metricName === 'ALERTS')
    .map((s) => `${s.metric.get('alertstate')}/${s.metric.get('instance')}`)
    .sort();

describe('AlertingRule', () => {
  let storage: MemoryStorage;
  let query: QueryFunc;
  beforeEach(async () => {
    storage = new MemoryStorage();
    query = engineQueryFunc(new Engine(), storage);
    await load(
      storage,
      {
        'http_requests{job="app-server", instance="0", group="canary", severity="overwrite-me"}': '75 85  95 105 105  95  85',
        'http_requests{job="app-server", instance="1", group="canary", severity="overwrite-me"}': '80 90 100 110 120 130 140',
      },
      5 * MIN,
    );
  });

  it('goes pending, then firing after `for`, resolves and starts over (upstream TestAlertingRule)', async () => {
    const r = rule({ expr: 'http_requests{group="canary", job="app-server"} < 100', holdDuration: MIN, labels: { severity: 'critical' } });
    const expected = [
      [0, ['pending/0', 'pending/1']],
      [5, ['firing/0', 'firing/1']],
      [10, ['firing/0']],
      [15, []],
      [20, []],
      [25, ['pending/0']],
      [30, ['firing/0']],
    ] as const;
    for (const [minute, alerts] of expected) {
      const out = await r.eval({ ts: minute * MIN, queryOffset: 0, query, limit: 0 });
      expect(alertsOf(out), `at ${minute}m`).toEqual(alerts);
      for (const s of out) {
        expect(s.t).toBe(minute * MIN);
        expect(s.metric.get('severity')).toBe('critical');
        expect(s.metric.get('alertname')).toBe('HTTPRequestRateLow');
      }
      for (const a of r.activeAlerts()) expect(a.labels.has('__name__')).toBe(false);
    }
  });

  it('writes ALERTS_FOR_STATE with activeAt in seconds, at ts - queryOffset (upstream TestForStateAddSamples)', async () => {
    const r = rule({ expr: 'http_requests{group="canary", job="app-server"} < 100', holdDuration: MIN });
    const forState = async (minute: number) => (await r.eval({ ts: minute * MIN + 1500, queryOffset: MIN, query, limit: 0 })).filter((s) => s.metric.metricName === 'ALERTS_FOR_STATE').map((s) => [s.metric.get('instance'), s.t, s.f]);
    expect(await forState(1)).toEqual([
      ['0', 1500, 61],
      ['1', 1500, 61],
    ]);
    expect(await forState(6)).toEqual([
      ['0', 5 * MIN + 1500, 61],
      ['1', 5 * MIN + 1500, 61],
    ]);
  });

  it('writes no series until its `for` state is restored', async () => {
    const r = rule({ expr: 'http_requests < 100', restored: false });
    expect(await r.eval({ ts: 0, queryOffset: 0, query, limit: 0 })).toEqual([]);
    expect(r.activeAlerts()).toHaveLength(2);
  });

  it('state is unknown before the first evaluation, then the highest alert state', async () => {
    const r = rule({ expr: 'http_requests < 100', holdDuration: 7 * MIN });
    expect(r.state()).toBe('unknown');
    await r.eval({ ts: 0, queryOffset: 0, query, limit: 0 });
    r.evaluationTimestamp = 0;
    expect(r.state()).toBe('pending');
    await r.eval({ ts: 15 * MIN, queryOffset: 0, query, limit: 0 });
    expect(r.state()).toBe('inactive');
  });

  it('fails on two samples with the same alert labels (upstream TestAlertingRuleDuplicate)', async () => {
    const r = rule({ expr: 'http_requests < 1000 or label_replace(http_requests, "x", "y", "", "")', labels: {} });
    await expect(r.eval({ ts: 0, queryOffset: 0, query, limit: 0 })).resolves.toHaveLength(8);
    const dup = rule({ expr: 'vector(0) or label_replace(vector(0),"test","x","","")', labels: { test: 'test' } });
    await expect(dup.eval({ ts: 0, queryOffset: 0, query, limit: 0 })).rejects.toThrow('vector contains metrics with the same labelset after applying alert labels');
  });

  it('fails beyond the limit and forgets its alerts (upstream TestAlertingRuleLimit)', async () => {
    const r = rule({ expr: 'http_requests' });
    await expect(r.eval({ ts: 0, queryOffset: 0, query, limit: 2 })).resolves.toHaveLength(4);
    await expect(r.eval({ ts: 0, queryOffset: 0, query, limit: 1 })).rejects.toThrow('exceeded limit of 1 with 2 alerts');
    expect(r.activeAlerts()).toEqual([]);
  });

  it('keep_firing_for holds a firing alert after its condition ends, then resolves it (upstream TestKeepFiringFor)', async () => {
    const r = rule({ expr: 'http_requests{instance="0"} < 100', holdDuration: MIN, keepFiringFor: 5 * MIN });
    const at = async (minute: number) => {
      const out = alertsOf(await r.eval({ ts: minute * MIN, queryOffset: 0, query, limit: 0 }));
      return { out, keepFiringSince: r.activeAlerts()[0]?.keepFiringSince };
    };
    expect(await at(0)).toEqual({ out: ['pending/0'], keepFiringSince: undefined });
    expect(await at(5)).toEqual({ out: ['firing/0'], keepFiringSince: undefined });
    expect(await at(15)).toEqual({ out: ['firing/0'], keepFiringSince: 15 * MIN });
    expect(await at(19)).toEqual({ out: ['firing/0'], keepFiringSince: 15 * MIN });
    expect(await at(20)).toEqual({ out: [], keepFiringSince: undefined });
    expect([...r.active.values()].map((a) => [a.state, a.resolvedAt])).toEqual([['inactive', 20 * MIN]]);
  });

  it('keep_firing_for does not hold a pending alert (upstream TestPendingAndKeepFiringFor)', async () => {
    const r = rule({ expr: 'http_requests{instance="0"} < 100', holdDuration: 10 * MIN, keepFiringFor: 5 * MIN });
    await r.eval({ ts: 0, queryOffset: 0, query, limit: 0 });
    expect(alertsOf(await r.eval({ ts: 15 * MIN, queryOffset: 0, query, limit: 0 }))).toEqual([]);
    expect(r.active.size).toBe(0);
  });

  it('keeps a resolved alert for 15 minutes, sending it as resolved once and then per resend delay', async () => {
    const r = rule({ expr: 'http_requests{instance="1"} < 100' });
    const interval = MIN;
    await r.eval({ ts: 0, queryOffset: 0, query, limit: 0 });
    expect(r.alertsToSend(0, MIN, interval).map((a) => [a.state, a.validUntil])).toEqual([['firing', 4 * MIN]]);
    expect(r.alertsToSend(30_000, MIN, interval)).toEqual([]);
    await r.eval({ ts: 10 * MIN, queryOffset: 0, query, limit: 0 });
    expect(r.alertsToSend(10 * MIN, MIN, interval).map((a) => [a.state, a.resolvedAt])).toEqual([['inactive', 10 * MIN]]);
    expect(r.alertsToSend(10 * MIN + 30_000, MIN, interval)).toEqual([]);
    expect(r.alertsToSend(11 * MIN + 1, MIN, interval)).toHaveLength(1);
    expect(r.activeAlerts()).toEqual([]);
    await r.eval({ ts: 10 * MIN + RESOLVED_RETENTION, queryOffset: 0, query, limit: 0 });
    expect(r.active.size).toBe(1);
    await r.eval({ ts: 10 * MIN + RESOLVED_RETENTION + 1, queryOffset: 0, query, limit: 0 });
    expect(r.active.size).toBe(0);
  });

  it('never sends pending alerts, and sending does not change the alerts it copies (upstream TestSendAlertsDontAffectActiveAlerts)', async () => {
    const r = rule({ expr: 'http_requests{instance="0"} < 100', holdDuration: 10 * MIN });
    await r.eval({ ts: 0, queryOffset: 0, query, limit: 0 });
    expect(r.alertsToSend(0, MIN, MIN)).toEqual([]);
    const r2 = rule({ expr: 'http_requests{instance="0"} < 100' });
    await r2.eval({ ts: 0, queryOffset: 0, query, limit: 0 });
    const [sent] = r2.alertsToSend(0, MIN, MIN);
    sent!.labels = Labels.EMPTY;
    expect(r2.activeAlerts()[0]!.labels.get('instance')).toBe('0');
  });

  it('an empty rule label value removes the label from the alert', async () => {
    const r = rule({ expr: 'http_requests{instance="0"} < 100', labels: { group: '' } });
    await r.eval({ ts: 0, queryOffset: 0, query, limit: 0 });
    expect(r.activeAlerts()[0]!.labels.toString()).toBe('{alertname="HTTPRequestRateLow", instance="0", job="app-server", severity="overwrite-me"}');
  });

  it('the definition is canonical: equal rules compare equal, any field change shows', () => {
    const base = { expr: 'up == 0', holdDuration: MIN, labels: { a: 'b' }, annotations: { s: 't' } };
    expect(rule(base).definition()).toBe(rule({ ...base, expr: 'up==0' }).definition());
    const changes: Partial<Omit<AlertingRuleOptions, 'expr'> & { expr: string }>[] = [{ holdDuration: 2 * MIN }, { keepFiringFor: MIN }, { labels: { a: 'c' } }, { annotations: { s: 'u' } }, { expr: 'up == 1' }, { name: 'Other' }];
    for (const change of changes) {
      expect(rule({ ...base, ...change }).definition()).not.toBe(rule(base).definition());
    }
  });
});

describe('AlertingRule templates (packages/template)', () => {
  const storage = new MemoryStorage();
  const query = engineQueryFunc(new Engine(), storage);
  beforeAll(() => load(storage, { 'http_requests{job="app-server", instance="0"}': '75 85 70 70' }, MIN));
  const labelsAt0 = async (r: AlertingRule) => (await r.eval({ ts: 0, queryOffset: 0, query, limit: 0 })).filter((s) => s.metric.metricName === 'ALERTS').map((s) => s.metric.toString());

  it('expands labels with $labels and a literal (upstream TestAlertingRule: {{"c"}}ritical)', async () => {
    expect(await labelsAt0(rule({ expr: 'http_requests < 100', labels: { severity: '{{"c"}}ritical', where: '{{ $labels.job }}/{{ $labels.instance }}' } }))).toEqual([
      '{__name__="ALERTS", alertname="HTTPRequestRateLow", alertstate="firing", instance="0", job="app-server", severity="critical", where="app-server/0"}',
    ]);
  });

  it.each([
    { name: 'without external labels', externalLabels: {}, want: 'There are 0 external Labels, of which foo is .' },
    { name: 'with external labels', externalLabels: { foo: 'bar', dings: 'bums' }, want: 'There are 2 external Labels, of which foo is bar.' },
  ])('sees $externalLabels ($name) (upstream TestAlertingRuleExternalLabelsInTemplate)', async ({ externalLabels, want }) => {
    const r = rule({ expr: 'http_requests < 100', externalLabels, labels: { templated_label: 'There are {{ len $externalLabels }} external Labels, of which foo is {{ $externalLabels.foo }}.' } });
    await r.eval({ ts: 0, queryOffset: 0, query, limit: 0 });
    expect(r.activeAlerts()[0]!.labels.get('templated_label')).toBe(want);
  });

  it('sees $externalURL and $value in annotations', async () => {
    const r = rule({ expr: 'http_requests < 100', externalURL: 'http://localhost:1234', annotations: { link: 'The external URL is {{ $externalURL }}.', value: '{{ $value | humanize }} requests' } });
    await r.eval({ ts: 0, queryOffset: 0, query, limit: 0 });
    expect(r.activeAlerts()[0]!.annotations).toEqual({ link: 'The external URL is http://localhost:1234.', value: '75 requests' });
  });

  it('an empty label value removes the label (upstream TestAlertingRuleEmptyLabelFromTemplate)', async () => {
    expect(await labelsAt0(rule({ name: 'EmptyLabel', expr: 'http_requests < 100', labels: { empty_label: '' } }))).toEqual(['{__name__="ALERTS", alertname="EmptyLabel", alertstate="firing", instance="0", job="app-server"}']);
    // A template expanding to nothing removes it from the alert; ALERTS starts from the rule's
    // unexpanded labels, as upstream's does, so there the template text stays.
    const templated = rule({ expr: 'http_requests < 100', labels: { empty_label: '{{ "" }}' } });
    expect(await labelsAt0(templated)).toEqual(['{__name__="ALERTS", alertname="HTTPRequestRateLow", alertstate="firing", empty_label="{{ \\"\\" }}", instance="0", job="app-server"}']);
    expect(templated.activeAlerts()[0]!.labels.has('empty_label')).toBe(false);
  });

  it('runs queries from templates at the evaluation time (upstream TestAlertingRuleQueryInTemplate)', async () => {
    const r = rule({
      expr: 'sum(http_requests) < 100',
      annotations: { templated: '{{- with "sort(sum(http_requests) by (instance))" | query -}}{{- range $i,$v := . -}}instance: {{ $v.Labels.instance }}, value: {{ printf "%.0f" $v.Value }};{{- end -}}{{- end -}}' },
    });
    await r.eval({ ts: 2 * MIN, queryOffset: 0, query, limit: 0 });
    expect(r.activeAlerts()[0]!.annotations).toEqual({ templated: 'instance: 0, value: 70;' });
  });

  it('renders a failing template as <error expanding template: …> and goes on', async () => {
    const r = rule({ expr: 'http_requests < 100', annotations: { broken: '{{ query "sum(" }}', fine: 'ok' } });
    await r.eval({ ts: 0, queryOffset: 0, query, limit: 0 });
    const { broken, fine } = r.activeAlerts()[0]!.annotations;
    expect(broken).toMatch(/^<error expanding template: error executing template __alert_HTTPRequestRateLow: .*parse error.*>$/);
    expect(fine).toBe('ok');
    expect(r.activeAlerts()).toHaveLength(1);
  });
});
