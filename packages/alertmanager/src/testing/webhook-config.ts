/** What {@link webhookConfig} varies: the grouping and the route's timers (Go durations). */
export interface WebhookConfigOptions {
  groupBy: readonly string[];
  groupWait: string;
  groupInterval: string;
  repeatInterval: string;
}

/**
 * Test helper: an alertmanager.yml that routes every alert to one receiver, `oncall`, whose
 * only integration is the webhook at `hookUrl` (with resolved notifications).
 */
export function webhookConfig(hookUrl: string, o: WebhookConfigOptions): string {
  return `route:
  receiver: oncall
  group_by: [${o.groupBy.join(', ')}]
  group_wait: ${o.groupWait}
  group_interval: ${o.groupInterval}
  repeat_interval: ${o.repeatInterval}
receivers:
- name: oncall
  webhook_configs: [{url: '${hookUrl}', send_resolved: true}]
`;
}
