import type { Matcher } from '../labels/matcher.js';

/**
 * A silence (`silencepb.Silence`): alerts matching all matchers are muted while it is active.
 * Times are nanoseconds since the epoch. Immutable; changes make new objects.
 */
export interface Silence {
  readonly id: string;
  readonly matchers: readonly Matcher[];
  readonly startsAt: bigint;
  readonly endsAt: bigint;
  readonly updatedAt: bigint;
  readonly createdBy: string;
  readonly comment: string;
}

/** A stored silence and when it may be garbage-collected (`endsAt` + `--data.retention`). */
export interface StoredSilence {
  readonly silence: Silence;
  readonly expiresAt: bigint;
}

export type SilenceState = 'expired' | 'active' | 'pending';

/** The silence's state at `now` as the silencer sees it (active through `endsAt` inclusive). */
export function silenceState(s: Silence, now: bigint): SilenceState {
  if (now < s.startsAt) return 'pending';
  if (now > s.endsAt) return 'expired';
  return 'active';
}

/** The state the API reports (`types.CalcSilenceState`: expired from `endsAt` on). */
export function apiSilenceState(s: Silence, now: bigint): SilenceState {
  if (now < s.startsAt) return 'pending';
  if (now < s.endsAt) return 'active';
  return 'expired';
}
