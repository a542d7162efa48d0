import { Labels } from '@pyrometer/model';
import { loadNotificationTemplates } from '@pyrometer/template/node';
import type { LogFields, Logger } from '@pyrometer/telemetry';
import type { Alert } from '../alerts/alert.js';
import { ManualClock } from '../clock.js';
import { parseAlertmanagerConfig } from '../config/load.js';
import type { IntegrationConfigs, IntegrationType } from '../config/receivers/receiver.js';
import type { NotifyContext } from '../notify/context.js';
import type { IntegrationFactory, Notifier } from '../notify/notifier.js';
import { templateDataBuilder } from '../notify/template-data.js';

/** One line a {@link RecordingLogger} got. */
export interface LogLine {
  readonly level: string;
  readonly msg: string;
  readonly fields: LogFields;
}

/** Test helper: a logger keeping every line (with the fields of `with` merged in). */
export function recordingLogger(lines: LogLine[] = [], context: LogFields = {}): Logger & { lines: LogLine[] } {
  const log = (level: string) => (msg: string, fields: LogFields = {}) => lines.push({ level, msg, fields: { ...context, ...fields } });
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), with: (fields) => recordingLogger(lines, { ...context, ...fields }) };
}

/** One notifier built from a config, as the Alertmanager builds it, with what it logs. */
export interface NotifierUnderTest {
  readonly notifier: Notifier;
  readonly clock: ManualClock;
  readonly logs: LogLine[];
  /** Sends one notification for `alerts` as group `groupKey` (labels `groupLabels`) of the config's first receiver. */
  notify(alerts: readonly Alert[], group?: { key?: string; labels?: Record<string, string> }): Promise<void>;
}

/**
 * Test helper: loads `yaml` (an alertmanager.yml; globals and defaults applied, `templates:`
 * read), takes the first `<type>_configs` entry of the first receiver and builds its notifier
 * with `factory`, the external URL `http://am.example:9093` and a manual clock.
 */
export async function notifierFromConfig<K extends IntegrationType>(type: K, factory: IntegrationFactory<K>, yaml: string): Promise<NotifierUnderTest> {
  const { config } = parseAlertmanagerConfig(yaml, 'test.yml', { matcherMode: 'fallback' });
  const receiver = config.receivers[0];
  const entry = (receiver?.[type] as IntegrationConfigs[K][] | undefined)?.[0];
  if (receiver === undefined || entry === undefined) throw new Error(`the config has no ${type}_configs in its first receiver`);
  const clock = new ManualClock();
  const logger = recordingLogger();
  const templates = loadNotificationTemplates(config.templates, { now: () => clock.now() });
  const notifier = await factory(entry, { templateData: templateDataBuilder('http://am.example:9093'), templates, logger, clock, userAgent: 'Alertmanager/0.28.1' });
  return {
    notifier,
    clock,
    logs: logger.lines,
    notify(alerts, group = {}) {
      const ctx: NotifyContext = {
        groupKey: group.key ?? '{}:{alertname="FlinkJobDown"}',
        groupLabels: Labels.from(group.labels ?? { alertname: 'FlinkJobDown' }),
        receiver: receiver.name,
        routeId: '{}',
        repeatIntervalMs: 4 * 3_600_000,
        muteTimeIntervals: [],
        activeTimeIntervals: [],
        now: clock.now(),
        signal: AbortSignal.timeout(10_000),
      };
      return notifier.notify(ctx, alerts);
    },
  };
}
