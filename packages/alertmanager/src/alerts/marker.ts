/** An alert's processing state in the API (`types.AlertState`). */
export type AlertState = 'unprocessed' | 'active' | 'suppressed';

/** What the API reports under `status` for an alert. */
export interface AlertStatus {
  readonly state: AlertState;
  readonly silencedBy: readonly string[];
  readonly inhibitedBy: readonly string[];
}

interface Entry {
  state: AlertState;
  silencedBy: readonly string[];
  inhibitedBy: readonly string[];
  pendingSilences: readonly string[];
  silencesVersion: number;
}

/** The one empty id list every unmarked entry shares (entries are many; lists are replaced, never changed). */
const NONE: readonly string[] = Object.freeze([]);
const UNPROCESSED: AlertStatus = { state: 'unprocessed', silencedBy: NONE, inhibitedBy: NONE };

/**
 * Remembers, per alert fingerprint, whether it is silenced or inhibited and by what, and, per
 * aggregation group, which time intervals mute it (`types.MemMarker`). The silencer and
 * inhibitor write it as they evaluate alerts; the API and `alertmanager_marked_alerts` read it.
 */
export class Marker {
  private readonly alerts = new Map<string, Entry>();
  private readonly groups = new Map<string, string[]>();

  status(fp: string): AlertStatus {
    return this.alerts.get(fp) ?? UNPROCESSED;
  }

  /** The silences last found for the alert: active and pending ids and the silence state version they came from. */
  silenced(fp: string): { active: readonly string[]; pending: readonly string[]; version: number } {
    const e = this.alerts.get(fp);
    return { active: e?.silencedBy ?? NONE, pending: e?.pendingSilences ?? NONE, version: e?.silencesVersion ?? 0 };
  }

  setSilenced(fp: string, version: number, activeIds: readonly string[], pendingIds: readonly string[]): void {
    const e = this.entry(fp);
    e.silencedBy = activeIds;
    e.pendingSilences = pendingIds;
    e.silencesVersion = version;
    e.state = activeIds.length === 0 && e.inhibitedBy.length === 0 ? 'active' : 'suppressed';
  }

  setInhibited(fp: string, ids: readonly string[]): void {
    const e = this.entry(fp);
    e.inhibitedBy = ids;
    e.state = ids.length === 0 && e.silencedBy.length === 0 ? 'active' : 'suppressed';
  }

  delete(fp: string): void {
    this.alerts.delete(fp);
  }

  /** How many alerts are in each state (for `alertmanager_marked_alerts`). */
  count(state: AlertState): number {
    let n = 0;
    for (const e of this.alerts.values()) if (e.state === state) n++;
    return n;
  }

  /** The time intervals muting a group (empty = not muted). */
  muted(routeId: string, groupKey: string): readonly string[] {
    return this.groups.get(routeId + groupKey) ?? [];
  }

  setMuted(routeId: string, groupKey: string, intervals: string[]): void {
    this.groups.set(routeId + groupKey, intervals);
  }

  deleteGroup(routeId: string, groupKey: string): void {
    this.groups.delete(routeId + groupKey);
  }

  private entry(fp: string): Entry {
    let e = this.alerts.get(fp);
    if (e === undefined) {
      e = { state: 'unprocessed', silencedBy: NONE, inhibitedBy: NONE, pendingSilences: NONE, silencesVersion: 0 };
      this.alerts.set(fp, e);
    }
    return e;
  }
}
