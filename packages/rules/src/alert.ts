import type { Labels } from '@pyrometer/model';

/** The state of one alert; a rule's state is the highest of its alerts' (unknown before its first evaluation). */
export const AlertState = { Unknown: 'unknown', Inactive: 'inactive', Pending: 'pending', Firing: 'firing' } as const;
export type AlertState = (typeof AlertState)[keyof typeof AlertState];

const ORDER: Record<AlertState, number> = { unknown: 0, inactive: 1, pending: 2, firing: 3 };

/** Orders states as upstream: firing > pending > inactive > unknown. */
export function compareAlertStates(a: AlertState, b: AlertState): number {
  return ORDER[a] - ORDER[b];
}

/**
 * One alert of an alerting rule: an output series of its expression, identified by its labels
 * (the series' labels without `__name__`, plus the rule's expanded labels and `alertname`). Times
 * are ms since the Unix epoch, undefined where upstream's are the zero time.
 */
export interface Alert {
  state: AlertState;
  labels: Labels;
  /** Expanded annotations by name (empty values kept, unlike labels). */
  annotations: Readonly<Record<string, string>>;
  /** The expression's value at the last evaluation. */
  value: number;
  /** When the condition started to hold (the alert became pending). */
  activeAt: number;
  firedAt: number | undefined;
  /** When a firing alert stopped firing; undefined while active. */
  resolvedAt: number | undefined;
  lastSentAt: number | undefined;
  /** Until when Alertmanager should consider the alert firing without news (endsAt). */
  validUntil: number | undefined;
  /** Since when a firing alert is kept firing by `keep_firing_for` although its condition is gone. */
  keepFiringSince: number | undefined;
}
