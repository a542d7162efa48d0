import { readFile } from 'node:fs/promises';
import type { GroupTimerState } from '../dispatch/aggregation-group.js';
import { AlertmanagerError } from '../errors.js';
import { writeFileAtomic } from '../state/atomic-file.js';
import type { Alert } from './alert.js';
import { alertFromJson, alertToJson, type AlertJson } from './alert-json.js';

/** About how much of the alerts file is built before it is written. */
const CHUNK_CHARS = 64 * 1024;

/**
 * The alerts file's JSON, `{"version":1,"alerts":[…],"groups":[…]}`, in chunks of about
 * `CHUNK_CHARS`: with 10k alerts the file is several MiB, and built whole (objects, string and
 * buffer) it was a peak of tens of MiB that the process kept as RSS.
 */
function* alertsFileText(alerts: readonly Alert[], groups: readonly { key: string; hasFlushed: boolean; nextFlushAt: number }[]): Generator<string> {
  let chunk = '{"version":1,"alerts":[';
  for (const [i, a] of alerts.entries()) {
    chunk += (i === 0 ? '' : ',') + JSON.stringify(alertToJson(a));
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}],"groups":${JSON.stringify(groups)}}`;
}

/** What the alerts file holds: the alerts and every aggregation group's timer state. */
export interface AlertsSnapshot {
  alerts: Alert[];
  groups: Map<string, GroupTimerState>;
}

/**
 * The alerts file (beyond upstream, which keeps alerts in memory only): JSON with times in
 * RFC 3339 with nanoseconds, replaced atomically. A periodic save writes only when alerts were
 * stored since the last one or groups came, went or flushed for the first time; a group's next
 * flush time alone moving on does not count (a restored time in the past flushes at once, and
 * the notification log keeps that flush from paging again). `force` writes regardless (at stop).
 */
export class AlertsFile {
  private lastGroups: string | undefined;

  constructor(private readonly path: string) {}

  async save(s: AlertsSnapshot, o: { alertsChanged: boolean; force: boolean }): Promise<void> {
    const groups = [...s.groups].map(([key, g]) => ({ key, hasFlushed: g.hasFlushed, nextFlushAt: g.nextFlushAt }));
    const shape = groups.map((g) => `${g.key}\u0000${g.hasFlushed}`).join('\u0000');
    if (!o.force && !o.alertsChanged && shape === this.lastGroups) return;
    await writeFileAtomic(this.path, alertsFileText(s.alerts, groups));
    this.lastGroups = shape;
  }

  /** Reads the file; a missing file is an empty snapshot, a corrupt one a `state` error naming it. */
  async load(): Promise<AlertsSnapshot> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { alerts: [], groups: new Map() };
      throw new AlertmanagerError('state', `reading ${this.path}: ${(err as Error).message}`, { cause: err });
    }
    try {
      const doc = JSON.parse(text) as { version: number; alerts: AlertJson[]; groups: { key: string; hasFlushed: boolean; nextFlushAt: number }[] };
      if (doc.version !== 1 || !Array.isArray(doc.alerts) || !Array.isArray(doc.groups)) throw new Error('unknown layout');
      const alerts = doc.alerts.map(alertFromJson);
      return { alerts, groups: new Map(doc.groups.map((g) => [g.key, { hasFlushed: g.hasFlushed, nextFlushAt: g.nextFlushAt }])) };
    } catch (err) {
      throw new AlertmanagerError('state', `${this.path} is not a valid alerts file: ${(err as Error).message}`, { cause: err });
    }
  }
}
