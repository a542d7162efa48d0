import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Labels } from '@pyrometer/model';
import { tempDir } from '@pyrometer/testkit';
import { describe, expect, it } from 'vitest';
import { AlertmanagerError } from '../errors.js';
import type { GroupTimerState } from '../dispatch/aggregation-group.js';
import { fromMillis } from '../time/instant.js';
import { newAlert } from './alert.js';
import { alertToJson } from './alert-json.js';
import { AlertsFile } from './snapshot.js';

const KEY = '{}:{alertname="Lag"}';
const T0 = 1_700_000_000_000;
const alert = newAlert({ labels: Labels.from({ alertname: 'Lag', job: 'flink' }), annotations: { summary: 'lagging' }, startsAt: fromMillis(T0), endsAt: fromMillis(T0 + 60_000), generatorURL: 'http://p/graph', updatedAt: fromMillis(T0 + 123), timeout: false });
const groups = (timer: GroupTimerState) => new Map([[KEY, timer]]);

describe('the alerts file', () => {
  it('is written when alerts were stored, a group first flushed, or at stop — not when only a next flush time moved — and reads back what it wrote', async () => {
    const path = join(tempDir(), 'alerts.json');
    const file = new AlertsFile(path);
    await file.save({ alerts: [alert], groups: groups({ hasFlushed: false, nextFlushAt: T0 + 1_000 }) }, { alertsChanged: true, force: false });
    const first = await readFile(path, 'utf8');
    await file.save({ alerts: [alert], groups: groups({ hasFlushed: false, nextFlushAt: T0 + 2_000 }) }, { alertsChanged: false, force: false });
    expect(await readFile(path, 'utf8')).toBe(first);
    await file.save({ alerts: [alert], groups: groups({ hasFlushed: true, nextFlushAt: T0 + 3_000 }) }, { alertsChanged: false, force: false });
    expect((await file.load()).groups.get(KEY)).toEqual({ hasFlushed: true, nextFlushAt: T0 + 3_000 });
    await file.save({ alerts: [alert], groups: groups({ hasFlushed: true, nextFlushAt: T0 + 4_000 }) }, { alertsChanged: false, force: true });
    const loaded = await new AlertsFile(path).load();
    expect(loaded.groups.get(KEY)).toEqual({ hasFlushed: true, nextFlushAt: T0 + 4_000 });
    expect(loaded.alerts).toEqual([alert]);
  });

  it('with more alerts than one written chunk holds: one JSON document, every alert in order, read back whole', async () => {
    const path = join(tempDir(), 'alerts.json');
    const many = Array.from({ length: 2_000 }, (_, i) => newAlert({ ...alert, labels: Labels.from({ alertname: 'Lag', job: 'flink', task: `Map -> Sink ${i}` }), annotations: { summary: `lagging ${'é'.repeat(i % 50)}` } }));
    const timers = groups({ hasFlushed: true, nextFlushAt: T0 });
    await new AlertsFile(path).save({ alerts: many, groups: timers }, { alertsChanged: true, force: false });
    const text = await readFile(path, 'utf8');
    expect(text.length).toBeGreaterThan(4 * 64 * 1024);
    expect(text).toBe(JSON.stringify({ version: 1, alerts: many.map(alertToJson), groups: [{ key: KEY, hasFlushed: true, nextFlushAt: T0 }] }));
    expect((await new AlertsFile(path).load()).alerts).toEqual(many);
  });

  it('reads a missing file as empty, and refuses a corrupt one with a state error naming it', async () => {
    const dir = tempDir();
    expect(await new AlertsFile(join(dir, 'none.json')).load()).toEqual({ alerts: [], groups: new Map() });
    const path = join(dir, 'alerts.json');
    await writeFile(path, '{"version":2}');
    const err = await new AlertsFile(path).load().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlertmanagerError);
    expect((err as AlertmanagerError).code).toBe('state');
    expect((err as AlertmanagerError).message).toContain(path);
  });
});
