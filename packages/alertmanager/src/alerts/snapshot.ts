import { readFile } from 'node:fs/promises';
import { Labels } from '@pyrometer/model';
import type { GroupTimerState } from '../dispatch/aggregation-group.js';
import { AlertmanagerError } from '../errors.js';
import { writeFileAtomic } from '../state/atomic-file.js';
import { formatRfc3339Nano, parseRfc3339 } from '../time/instant.js';
import { newAlert, type Alert } from './alert.js';

/** What the alerts file holds: the alerts and every aggregation group's timer state. */
export interface AlertsSnapshot {
  alerts: Alert[];
  groups: Map<string, GroupTimerState>;
}

interface AlertJson {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  updatedAt: string;
  timeout: boolean;
}

/**
 * Writes the alerts file (beyond upstream, which keeps alerts in memory only): JSON with times in
 * RFC 3339 with nanoseconds, replaced atomically.
 */
export async function saveAlertsSnapshot(path: string, s: AlertsSnapshot): Promise<void> {
  const alerts: AlertJson[] = s.alerts.map((a) => ({
    labels: a.labels.toRecord(),
    annotations: { ...a.annotations },
    startsAt: formatRfc3339Nano(a.startsAt),
    endsAt: formatRfc3339Nano(a.endsAt),
    generatorURL: a.generatorURL,
    updatedAt: formatRfc3339Nano(a.updatedAt),
    timeout: a.timeout,
  }));
  const groups = [...s.groups].map(([key, g]) => ({ key, hasFlushed: g.hasFlushed, nextFlushAt: g.nextFlushAt }));
  await writeFileAtomic(path, Buffer.from(JSON.stringify({ version: 1, alerts, groups })));
}

/** Reads the alerts file; a missing file is an empty snapshot, a corrupt one a `state` error naming it. */
export async function loadAlertsSnapshot(path: string): Promise<AlertsSnapshot> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { alerts: [], groups: new Map() };
    throw new AlertmanagerError('state', `reading ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const doc = JSON.parse(text) as { version: number; alerts: AlertJson[]; groups: { key: string; hasFlushed: boolean; nextFlushAt: number }[] };
    if (doc.version !== 1 || !Array.isArray(doc.alerts) || !Array.isArray(doc.groups)) throw new Error('unknown layout');
    const time = (s: string) => {
      const t = parseRfc3339(s);
      if (t === undefined) throw new Error(`bad time ${JSON.stringify(s)}`);
      return t;
    };
    const alerts = doc.alerts.map((a) =>
      newAlert({ labels: Labels.from(a.labels), annotations: a.annotations, startsAt: time(a.startsAt), endsAt: time(a.endsAt), generatorURL: a.generatorURL, updatedAt: time(a.updatedAt), timeout: a.timeout }),
    );
    return { alerts, groups: new Map(doc.groups.map((g) => [g.key, { hasFlushed: g.hasFlushed, nextFlushAt: g.nextFlushAt }])) };
  } catch (err) {
    throw new AlertmanagerError('state', `${path} is not a valid alerts file: ${(err as Error).message}`, { cause: err });
  }
}
