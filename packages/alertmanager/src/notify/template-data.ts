import type { Labels } from '@pyrometer/model';
import { buildTemplateData, GoTime, type TemplateData } from '@pyrometer/template';
import type { Alert } from '../alerts/alert.js';
import { isZero } from '../time/instant.js';

/**
 * Builds upstream's template `Data` (the `@pyrometer/template` model: Receiver, Status, Alerts,
 * GroupLabels, CommonLabels, CommonAnnotations, ExternalURL) for one notification; `now` (ms)
 * decides which alerts have resolved. Times keep their nanoseconds.
 */
export type TemplateDataBuilder = (receiver: string, groupLabels: Labels, alerts: readonly Alert[], nowMs: number) => TemplateData;

/** The builder for an Alertmanager reachable at `externalUrl`. */
export function templateDataBuilder(externalUrl: string): TemplateDataBuilder {
  return (receiver, groupLabels, alerts, nowMs) =>
    buildTemplateData({
      receiver,
      groupLabels,
      externalURL: externalUrl,
      nowMs,
      alerts: alerts.map((a) => ({
        labels: a.labels,
        annotations: a.annotations,
        startsAt: GoTime.fromUnixNanos(a.startsAt),
        endsAt: isZero(a.endsAt) ? undefined : GoTime.fromUnixNanos(a.endsAt),
        generatorURL: a.generatorURL,
        fingerprint: a.fingerprint,
      })),
    });
}
