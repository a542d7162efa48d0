import { describe, expect, it } from 'vitest';
import { GoTime } from '../gotime/time.js';
import { Alert, Alerts, buildTemplateData, KV, Pair, Pairs, quoteMeta } from './data.js';

// Alertmanager's template/template_test.go (v0.28.1): TestPairNames … TestData, restated.

const pairs = () => {
  const p = new Pairs();
  p.push(new Pair('name1', 'value1'), new Pair('name2', 'value2'), new Pair('name3', 'value3'));
  return p;
};

describe('pairs and KV', () => {
  it('Pairs.Names / Values / String', () => {
    expect([...pairs().Names()]).toEqual(['name1', 'name2', 'name3']);
    expect([...pairs().Values()]).toEqual(['value1', 'value2', 'value3']);
    const one = new Pairs();
    one.push(new Pair('name1', 'value1'));
    expect(one.String()).toBe('name1=value1');
    one.push(new Pair('name2', 'value2'));
    expect(one.String()).toBe('name1=value1, name2=value2');
  });

  it('KV.SortedPairs sorts by name with alertname first', () => {
    expect(new KV({ d: 'dVal', b: 'bVal', c: 'cVal' }).SortedPairs().map((p) => [p.Name, p.Value])).toEqual([['b', 'bVal'], ['c', 'cVal'], ['d', 'dVal']]);
    expect(new KV({ d: 'dVal', b: 'bVal', c: 'cVal', alertname: 'alert', a: 'aVal' }).SortedPairs().map((p) => p.Name)).toEqual(['alertname', 'a', 'b', 'c', 'd']);
  });

  it('KV.Remove returns a copy without the keys', () => {
    const kv = new KV({ key1: 'val1', key2: 'val2', key3: 'val3', key4: 'val4' });
    expect([...kv.Remove(['key2', 'key4']).Names()]).toEqual(['key1', 'key3']);
    expect(kv.size).toBe(4);
    expect(kv.String()).toBe('key1=val1, key2=val2, key3=val3, key4=val4');
  });

  it('Alerts.Firing / Resolved', () => {
    const alert = (status: 'firing' | 'resolved') => new Alert(status, new KV(), new KV(), GoTime.zero(), GoTime.zero(), '', '');
    const alerts = Alerts.fromList(['firing', 'resolved', 'firing', 'resolved', 'resolved'].map((s) => alert(s as 'firing' | 'resolved')));
    expect(alerts.Firing().map((a) => a.Status)).toEqual(['firing', 'firing']);
    expect(alerts.Resolved().map((a) => a.Status)).toEqual(['resolved', 'resolved', 'resolved']);
  });
});

describe('buildTemplateData (TestData)', () => {
  const start = GoTime.zero().Add(GoTime.fromUnix(1).Sub(GoTime.fromUnix(0)));
  const end = GoTime.zero().Add(GoTime.fromUnix(2).Sub(GoTime.fromUnix(0)));
  const now = Date.parse('2024-01-01T00:00:00Z');

  it('no alerts: resolved, empty sets', () => {
    const d = buildTemplateData({ receiver: 'webhook', groupLabels: {}, alerts: [], externalURL: 'http://example.com/', nowMs: now });
    expect(d.toJSON()).toMatchObject({ receiver: 'webhook', status: 'resolved', externalURL: 'http://example.com/' });
    expect(d.Alerts.length).toBe(0);
    expect(d.CommonLabels.size + d.CommonAnnotations.size + d.GroupLabels.size).toBe(0);
  });

  it('statuses from end times, common labels and annotations', () => {
    const d = buildTemplateData({
      receiver: 'webhook',
      groupLabels: { job: 'foo' },
      externalURL: 'http://example.com/',
      nowMs: now,
      alerts: [
        { labels: { severity: 'warning', job: 'foo' }, annotations: { description: 'something happened', runbook: 'foo' }, startsAt: start, generatorURL: '', fingerprint: '9266ef3da838ad95' },
        { labels: { severity: 'critical', job: 'foo' }, annotations: { description: 'something else happened', runbook: 'foo' }, startsAt: start, endsAt: end, generatorURL: '', fingerprint: '3b15fd163d36582e' },
      ],
    });
    expect(d.Status).toBe('firing');
    expect(d.Alerts.map((a) => [a.Status, a.Fingerprint, a.EndsAt.IsZero()])).toEqual([['firing', '9266ef3da838ad95', true], ['resolved', '3b15fd163d36582e', false]]);
    expect(d.GroupLabels.toJSON()).toEqual({ job: 'foo' });
    expect(d.CommonLabels.toJSON()).toEqual({ job: 'foo' });
    expect(d.CommonAnnotations.toJSON()).toEqual({ runbook: 'foo' });
  });

  it('nothing in common', () => {
    const d = buildTemplateData({
      receiver: 'webhook',
      groupLabels: {},
      externalURL: '',
      nowMs: now,
      alerts: [
        { labels: { severity: 'warning', job: 'foo' }, annotations: { runbook: 'foo' }, startsAt: start, generatorURL: '', fingerprint: 'a' },
        { labels: { severity: 'critical', job: 'bar' }, annotations: { runbook: 'bar' }, startsAt: start, endsAt: end, generatorURL: '', fingerprint: 'b' },
      ],
    });
    expect(d.CommonLabels.size + d.CommonAnnotations.size).toBe(0);
  });

  it('the receiver is regexp-quoted, as upstream does', () => {
    expect(quoteMeta('team.a+b')).toBe('team\\.a\\+b');
    expect(buildTemplateData({ receiver: 'a.b', groupLabels: {}, alerts: [], externalURL: '', nowMs: 0 }).Receiver).toBe('a\\.b');
  });
});
