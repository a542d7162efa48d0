import { readFile } from 'node:fs/promises';
import type { GroupTimerState } from '../dispatch/aggregation-group.js';
import { AlertmanagerError } from '../errors.js';
import { writeFileAtomic } from '../state/atomic-file.js';
import type { Alert } from './alert.js';
import { alertFromJson, alertToJson, type AlertJson } from './alert-json.js';

/** What the alerts file holds: the alerts and every aggregation group's timer state. */
export interface AlertsSnapshot {
  alerts: Alert[];
  groups: Map<string, GroupTimerState>;
}

/**
 * Writes the alerts file (beyond upstream, which keeps alerts in memory only): JSON with times in
 * RFC 3339 with nanoseconds, replaced atomically.
 */
export async function saveAlertsSnapshot(path: string, s: AlertsSnapshot): Promise<void> {
  const alerts = s.alerts.map(alertToJson);
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
    const alerts = doc.alerts.map(alertFromJson);
    return { alerts, groups: new Map(doc.groups.map((g) => [g.key, { hasFlushed: g.hasFlushed, nextFlushAt: g.nextFlushAt }])) };
  } catch (err) {
    throw new AlertmanagerError('state', `${path} is not a valid alerts file: ${(err as Error).message}`, { cause: err });
  }
}
