import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir } from '@pyrometer/testkit';
import { buildTemplateData, NotificationTemplates, type TemplateData } from '@pyrometer/template';

/** Upstream Alertmanager's built-in templates, read unchanged from the shared conformance data. */
export function upstreamTemplateFiles(): { name: string; path: string; text: string }[] {
  const dir = conformanceDir('alertmanager-template');
  return ['default.tmpl', 'email.tmpl'].map((name) => ({ name, path: join(dir, name), text: readFileSync(join(dir, name), 'utf8') }));
}

/** A template set holding only upstream's built-in templates. */
export function upstreamTemplates(): NotificationTemplates {
  const templates = new NotificationTemplates({ builtins: false });
  for (const file of upstreamTemplateFiles()) templates.parse(file.name, file.text);
  return templates;
}

/** The names upstream's built-in templates define. */
export function upstreamTemplateNames(): string[] {
  return upstreamTemplates().templateNames().filter((n) => n !== 'default.tmpl' && n !== 'email.tmpl');
}

export const NOW = Date.parse('2024-03-10T12:00:00Z');

/**
 * Realistic notification data for a Flink job: two firing alerts and one resolved, label values
 * with characters that need escaping, a receiver name with a regexp metacharacter.
 */
export function flinkGroupData(): TemplateData {
  return buildTemplateData({
    receiver: 'team.flink',
    groupLabels: { alertname: 'FlinkCheckpointFailures', job: 'flink' },
    externalURL: 'http://alertmanager.example.com:9093',
    nowMs: NOW,
    alerts: [
      {
        labels: { alertname: 'FlinkCheckpointFailures', job: 'flink', severity: 'critical', job_name: 'orders <stream> & "co"', instance: 'tm-1:9249' },
        annotations: { summary: 'Checkpoints fail for orders', description: 'Failed checkpoints: 3 in 5m (>= 1)', runbook: 'https://wiki.example.com/flink?page=checkpoints&v=2' },
        startsAt: Date.parse('2024-03-10T11:45:30.250Z'),
        generatorURL: 'http://prometheus:9090/graph?g0.expr=increase%28flink_jobmanager_job_numberOfFailedCheckpoints%5B5m%5D%29+%3E+0&g0.tab=1',
        fingerprint: '3b15fd163d36582e',
      },
      {
        labels: { alertname: 'FlinkCheckpointFailures', job: 'flink', severity: 'critical', job_name: 'payments', instance: 'tm-2:9249' },
        annotations: { summary: 'Checkpoints fail for payments', runbook: 'https://wiki.example.com/flink?page=checkpoints&v=2' },
        startsAt: Date.parse('2024-03-10T11:50:00Z'),
        endsAt: Date.parse('2024-03-10T12:10:00Z'),
        generatorURL: 'http://prometheus:9090/graph?g0.expr=up&g0.tab=1',
        fingerprint: '9266ef3da838ad95',
      },
      {
        labels: { alertname: 'FlinkCheckpointFailures', job: 'flink', severity: 'critical', job_name: 'inventory', instance: 'tm-3:9249' },
        annotations: { summary: 'Checkpoints fail for inventory', runbook: 'https://wiki.example.com/flink?page=checkpoints&v=2' },
        startsAt: Date.parse('2024-03-10T10:00:00Z'),
        endsAt: Date.parse('2024-03-10T11:30:00Z'),
        generatorURL: '',
        fingerprint: 'c7e68cb08e3e67f9',
      },
    ],
  });
}

/** The same group with only the resolved alert: a `resolved` notification. */
export function resolvedGroupData(): TemplateData {
  return buildTemplateData({
    receiver: 'team-flink',
    groupLabels: { alertname: 'TaskManagerLost' },
    externalURL: 'http://alertmanager.example.com:9093',
    nowMs: NOW,
    alerts: [
      {
        labels: { alertname: 'TaskManagerLost', severity: 'warning', instance: 'tm-4:9249' },
        annotations: {},
        startsAt: Date.parse('2024-03-10T09:00:00Z'),
        endsAt: Date.parse('2024-03-10T09:30:00Z'),
        generatorURL: 'http://prometheus:9090/graph?g0.expr=up&g0.tab=1',
        fingerprint: '0123456789abcdef',
      },
    ],
  });
}
