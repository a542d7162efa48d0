import { compareUtf8, type Labels } from '@pyrometer/model';
import { resolvedAt, type Alert } from '../alerts/alert.js';
import { quoteMeta } from '../labels/regex.js';
import { ZERO_TIME } from '../time/instant.js';

/** One alert as templates and webhook payloads see it (`template.Alert`). */
export interface TemplateAlert {
  readonly status: 'firing' | 'resolved';
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** ns since the epoch; {@link ZERO_TIME} while firing. */
  readonly startsAt: bigint;
  readonly endsAt: bigint;
  readonly generatorURL: string;
  readonly fingerprint: string;
}

/**
 * The data notification templates and webhook payloads are built from (`template.Data`).
 * Label and annotation maps are plain records with keys in sorted order.
 */
export interface TemplateData {
  /** The receiver name, regex-quoted as upstream does (`team\.a`). */
  readonly receiver: string;
  readonly status: 'firing' | 'resolved';
  readonly alerts: readonly TemplateAlert[];
  readonly groupLabels: Readonly<Record<string, string>>;
  readonly commonLabels: Readonly<Record<string, string>>;
  readonly commonAnnotations: Readonly<Record<string, string>>;
  readonly externalURL: string;
}

/** Builds {@link TemplateData} for a notification; `now` (ns) decides which alerts have resolved. */
export type TemplateDataBuilder = (receiver: string, groupLabels: Labels, alerts: readonly Alert[], now: bigint) => TemplateData;

export function sortedRecord(entries: Iterable<readonly [string, string]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of [...entries].sort((a, b) => compareUtf8(a[0], b[0]))) out[k] = v;
  return out;
}

/** Upstream's `Template.Data` for an Alertmanager reachable at `externalUrl`. */
export function templateDataBuilder(externalUrl: string): TemplateDataBuilder {
  return (receiver, groupLabels, alerts, now) => {
    const list = alerts.map((a): TemplateAlert => {
      const resolved = resolvedAt(a, now);
      return {
        status: resolved ? 'resolved' : 'firing',
        labels: a.labels.toRecord(),
        annotations: sortedRecord(Object.entries(a.annotations)),
        startsAt: a.startsAt,
        endsAt: resolved ? a.endsAt : ZERO_TIME,
        generatorURL: a.generatorURL,
        fingerprint: a.fingerprint,
      };
    });
    let commonLabels: Map<string, string> = new Map(alerts[0] ? [...alerts[0].labels] : []);
    let commonAnnotations: Map<string, string> = new Map(alerts[0] ? Object.entries(alerts[0].annotations) : []);
    for (const a of alerts.slice(1)) {
      commonLabels = new Map([...commonLabels].filter(([k, v]) => a.labels.has(k) && a.labels.get(k) === v));
      commonAnnotations = new Map([...commonAnnotations].filter(([k, v]) => (a.annotations[k] ?? '') === v));
    }
    return {
      receiver: quoteMeta(receiver),
      status: list.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
      alerts: list,
      groupLabels: groupLabels.toRecord(),
      commonLabels: sortedRecord(commonLabels),
      commonAnnotations: sortedRecord(commonAnnotations),
      externalURL: externalUrl,
    };
  };
}
