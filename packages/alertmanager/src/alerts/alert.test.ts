import { Labels } from '@pyrometer/model';
import { describe, expect, it } from 'vitest';
import { fromMillis, ZERO_TIME } from '../time/instant.js';
import { compareForNotification, mergeAlerts, newAlert, type Alert } from './alert.js';
import { acceptAlerts } from './ingest.js';
import { MemoryAlertProvider } from './memory-provider.js';

const T = (s: number) => fromMillis(Date.UTC(2025, 0, 1) + s * 1000);
const alert = (f: Partial<Omit<Alert, 'fingerprint'>> = {}) => newAlert({ labels: Labels.from({ alertname: 'A' }), annotations: {}, startsAt: T(0), endsAt: T(300), generatorURL: '', updatedAt: T(0), timeout: false, ...f });
const isValid = (n: string) => n !== '';

describe('posted alerts (POST /api/v2/alerts semantics)', () => {
  it('fills missing times: start from end or now, end from resolve_timeout (a timeout)', () => {
    const now = T(100);
    const r = acceptAlerts(
      [
        { labels: { a: '1' }, annotations: {}, startsAt: ZERO_TIME, endsAt: ZERO_TIME, generatorURL: '' },
        { labels: { a: '2' }, annotations: {}, startsAt: ZERO_TIME, endsAt: T(50), generatorURL: '' },
      ],
      now,
      300_000,
      isValid,
    );
    expect(r.alerts.map((a) => [a.startsAt, a.endsAt, a.timeout, a.updatedAt])).toEqual([
      [now, T(400), true, now],
      [T(50), T(50), false, now],
    ]);
    expect([r.firing, r.resolved, r.errors]).toEqual([1, 1, []]);
  });

  it('drops empty label values, then refuses what upstream refuses', () => {
    const r = acceptAlerts(
      [
        { labels: { a: '' }, annotations: {}, startsAt: ZERO_TIME, endsAt: ZERO_TIME, generatorURL: '' },
        { labels: { a: 'b' }, annotations: { '': 'x' }, startsAt: ZERO_TIME, endsAt: ZERO_TIME, generatorURL: '' },
        { labels: { a: 'b' }, annotations: {}, startsAt: T(10), endsAt: T(5), generatorURL: '' },
      ],
      T(0),
      300_000,
      isValid,
    );
    expect(r.errors).toEqual(['at least one label pair required', 'invalid annotations: invalid name ""', 'start time must be before end time']);
    expect(r.alerts).toEqual([]);
  });
});

describe('merging an update into a stored alert', () => {
  it('keeps the earliest start and a later explicit end, but not an end that only came from a timeout', () => {
    const now = T(10);
    const stored = alert({ endsAt: T(600), updatedAt: T(1) });
    expect(mergeAlerts(stored, alert({ startsAt: T(5), endsAt: T(300), updatedAt: T(2) }), now)).toMatchObject({ startsAt: T(0), endsAt: T(600) });
    expect(mergeAlerts(alert({ endsAt: T(600), updatedAt: T(1), timeout: true }), alert({ endsAt: T(300), updatedAt: T(2) }), now).endsAt).toBe(T(300));
    // A resolution wins over a firing update that is older.
    expect(mergeAlerts(alert({ endsAt: T(8), updatedAt: T(3) }), alert({ endsAt: T(600), updatedAt: T(2) }), now).endsAt).toBe(T(8));
  });

  it('merges only when the active ranges overlap in the store', async () => {
    const provider = new MemoryAlertProvider(() => T(10), [alert({ endsAt: T(600) })]);
    await provider.put([alert({ startsAt: T(5), endsAt: T(300), updatedAt: T(2) })]);
    expect(provider.list()[0]).toMatchObject({ startsAt: T(0), endsAt: T(600) });
    await provider.put([alert({ startsAt: T(700), endsAt: T(900), updatedAt: T(3) })]);
    expect(provider.list()[0]).toMatchObject({ startsAt: T(700), endsAt: T(900) });
    expect((await provider.gc(T(1000))).length).toBe(1);
  });

  it("keeps the stored alert's label set and annotations when an update repeats them", async () => {
    const provider = new MemoryAlertProvider(() => T(10));
    const first = alert({ labels: Labels.from({ alertname: 'A', job: 'j' }), annotations: { summary: 's' }, generatorURL: 'http://p/graph' });
    await provider.put([first]);
    const resent = alert({ labels: Labels.from({ job: 'j', alertname: 'A' }), annotations: { summary: 's' }, generatorURL: 'http://p/graph', updatedAt: T(5) });
    await provider.put([resent]);
    const stored = provider.get(first.fingerprint)!;
    expect(stored.updatedAt).toBe(T(5));
    expect(stored.labels).toBe(first.labels);
    expect(stored.annotations).toBe(first.annotations);
    // A changed annotation is taken as sent.
    const changed = alert({ labels: first.labels, annotations: { summary: 'new' }, updatedAt: T(6) });
    await provider.put([changed]);
    expect(provider.get(first.fingerprint)!.annotations).toEqual({ summary: 'new' });
  });
});

describe('strings shared within one POST', () => {
  it('leaves every alert its labels, annotations and generator URL as sent', () => {
    const annotations = { runbook: 'https://r', summary: 'x' };
    const r = acceptAlerts(
      [
        { labels: { alertname: 'A', job: 'j', i: '1' }, annotations, startsAt: ZERO_TIME, endsAt: ZERO_TIME, generatorURL: 'http://g' },
        { labels: { alertname: 'A', job: 'j', i: '2' }, annotations: { ...annotations }, startsAt: ZERO_TIME, endsAt: ZERO_TIME, generatorURL: 'http://g' },
      ],
      T(0),
      300_000,
      isValid,
    );
    expect(r.alerts.map((a) => [a.labels.toString(), a.annotations, a.generatorURL])).toEqual([
      ['{alertname="A", i="1", job="j"}', annotations, 'http://g'],
      ['{alertname="A", i="2", job="j"}', annotations, 'http://g'],
    ]);
  });
});

it('orders notifications by job, then instance (alerts having them first), then labels', () => {
  const a = (labels: Record<string, string>) => alert({ labels: Labels.from(labels) });
  const list = [a({ x: '1' }), a({ instance: 'b', job: 'j' }), a({ job: 'k' }), a({ instance: 'a', job: 'j' }), a({ instance: 'z' })];
  expect(list.sort(compareForNotification).map((x) => x.labels.toString())).toEqual(['{instance="a", job="j"}', '{instance="b", job="j"}', '{job="k"}', '{instance="z"}', '{x="1"}']);
});
