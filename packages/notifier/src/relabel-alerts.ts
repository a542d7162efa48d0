import { relabelBuilder, type Labels, type RelabelRule } from '@pyrometer/model';
import type { Alert } from './alert.js';

/**
 * Adds `externalLabels` an alert lacks (or has empty), then applies `rules`; alerts a rule drops
 * are left out. An alert whose labels did not change is returned as it was; a changed one is a new
 * object (the caller's alerts are never modified). Upstream's `relabelAlerts`.
 */
export function relabelAlerts(rules: readonly RelabelRule[], externalLabels: Labels, alerts: readonly Alert[]): Alert[] {
  if (rules.length === 0 && externalLabels.size === 0) return [...alerts];
  const out: Alert[] = [];
  for (const alert of alerts) {
    const builder = alert.labels.builder();
    externalLabels.forEach((name, value) => {
      if (alert.labels.get(name) === '') builder.set(name, value);
    });
    if (!relabelBuilder(builder, rules)) continue;
    const labels = builder.labels();
    out.push(labels.equals(alert.labels) ? alert : { ...alert, labels });
  }
  return out;
}
