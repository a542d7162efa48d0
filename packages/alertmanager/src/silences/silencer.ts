import type { Labels } from '@pyrometer/model';
import type { Marker } from '../alerts/marker.js';
import type { Clock } from '../clock.js';
import { fingerprint } from '../labels/fingerprint.js';
import { fromMillis } from '../time/instant.js';
import { silenceState } from './silence.js';
import type { Silences } from './silences.js';

/**
 * Decides whether an alert is silenced and records why in the marker (`silence.Silencer`). The
 * marker remembers the silence ids found and the state version they came from, so while no
 * silence was added only those ids are re-checked instead of every silence.
 */
export class Silencer {
  constructor(private readonly silences: Silences, private readonly marker: Marker, private readonly clock: Clock) {}

  mutes(labels: Labels, fp = fingerprint(labels)): boolean {
    const cached = this.marker.silenced(fp);
    let found;
    let version = cached.version;
    if (cached.version === this.silences.version) {
      const ids = [...cached.active, ...cached.pending];
      if (ids.length === 0) return false;
      found = this.silences.query({ ids, states: ['active', 'pending'] }).silences;
    } else {
      const result = this.silences.query({ states: ['active', 'pending'], matching: labels });
      found = result.silences;
      version = result.version;
    }
    const now = fromMillis(this.clock.now());
    const active = found.filter((s) => silenceState(s, now) === 'active').map((s) => s.id).sort();
    const pending = found.filter((s) => silenceState(s, now) === 'pending').map((s) => s.id).sort();
    this.marker.setSilenced(fp, version, active, pending);
    return active.length > 0;
  }
}
