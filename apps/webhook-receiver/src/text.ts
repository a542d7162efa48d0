import type { ReceivedNotification } from './inbox.js';
import type { NotifiedAlert } from './payload.js';

/** `{a="1", b="2"}`, the way Prometheus prints a label set. */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
  return `{${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`;
}

/** The labels of an alert that its group's labels do not already say. */
export function ownLabels(alert: NotifiedAlert, groupLabels: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(alert.labels).filter(([k]) => !(k in groupLabels)));
}

/**
 * The lines the receiver prints for a notification: a headline (receiver, status, alert count,
 * group) and one line per alert with its status, name, summary and remaining labels.
 */
export function notificationLines(n: ReceivedNotification): string[] {
  const p = n.payload;
  const firing = p.alerts.filter((a) => a.status === 'firing').length;
  const counts = `${firing} firing, ${p.alerts.length - firing} resolved${p.truncatedAlerts > 0 ? `, ${p.truncatedAlerts} more not sent` : ''}`;
  const head = `notification #${n.id} for receiver ${JSON.stringify(p.receiver)} (POST ${n.path}): ${p.status.toUpperCase()} ${formatLabels(p.groupLabels)} — ${counts}`;
  const alerts = p.alerts.map((a) => `  ${a.status.padEnd(8)} ${a.labels['alertname'] ?? '(no alertname)'}: ${a.annotations['summary'] ?? '(no summary)'} ${formatLabels(ownLabels(a, p.groupLabels))}`);
  return [head, ...alerts];
}
