import { compareUtf8 } from '@pyrometer/model';
import { jsonString, labelsJson } from '@pyrometer/http-api';
import type { Alert } from '../alerts/alert.js';
import type { AlertStatus } from '../alerts/marker.js';
import type { Matcher } from '../labels/matcher.js';
import { apiSilenceState, type Silence } from '../silences/silence.js';
import { formatRfc3339Millis } from '../time/instant.js';

// JSON of the API v2 models as go-swagger writes them: each model's own properties in name
// order, then those of the model it extends (`allOf`), HTML-safe escaping, dates with milliseconds.

const strings = (list: readonly string[]) => `[${list.map(jsonString).join(',')}]`;

export function recordJson(record: Readonly<Record<string, string>>): string {
  return '{' + Object.keys(record).sort(compareUtf8).map((k) => `${jsonString(k)}:${jsonString(record[k]!)}`).join(',') + '}';
}

/** `gettableAlert`; a non-empty `mutedBy` makes the state `suppressed`. */
export function gettableAlertJson(a: Alert, status: AlertStatus, receivers: readonly string[], mutedBy: readonly string[]): string {
  const state = mutedBy.length > 0 ? 'suppressed' : status.state;
  const generator = a.generatorURL === '' ? '' : `"generatorURL":${jsonString(a.generatorURL)},`;
  return (
    `{"annotations":${recordJson(a.annotations)},"endsAt":"${formatRfc3339Millis(a.endsAt)}","fingerprint":"${a.fingerprint}",` +
    `"receivers":[${receivers.map((r) => `{"name":${jsonString(r)}}`).join(',')}],"startsAt":"${formatRfc3339Millis(a.startsAt)}",` +
    `"status":{"inhibitedBy":${strings(status.inhibitedBy)},"mutedBy":${strings(mutedBy)},"silencedBy":${strings(status.silencedBy)},"state":"${state}"},` +
    `"updatedAt":"${formatRfc3339Millis(a.updatedAt)}",${generator}"labels":${labelsJson(a.labels)}}`
  );
}

function matcherJson(m: Matcher): string {
  return `{"isEqual":${m.isEqual},"isRegex":${m.isRegex},"name":${jsonString(m.name)},"value":${jsonString(m.value)}}`;
}

/** `gettableSilence`, its state computed at `now` (ns). */
export function gettableSilenceJson(s: Silence, now: bigint): string {
  return (
    `{"id":${jsonString(s.id)},"status":{"state":"${apiSilenceState(s, now)}"},"updatedAt":"${formatRfc3339Millis(s.updatedAt)}",` +
    `"comment":${jsonString(s.comment)},"createdBy":${jsonString(s.createdBy)},"endsAt":"${formatRfc3339Millis(s.endsAt)}",` +
    `"matchers":[${s.matchers.map(matcherJson).join(',')}],"startsAt":"${formatRfc3339Millis(s.startsAt)}"}`
  );
}

const STATE_ORDER = { active: 1, pending: 2, expired: 3 } as const;

/** Upstream's silence order: active by end, pending by start, then expired, latest end first. */
export function sortSilences(list: Silence[], now: bigint): Silence[] {
  return list.sort((a, b) => {
    const sa = apiSilenceState(a, now);
    const sb = apiSilenceState(b, now);
    if (sa !== sb) return STATE_ORDER[sa] - STATE_ORDER[sb];
    const cmp = (x: bigint, y: bigint) => (x < y ? -1 : x > y ? 1 : 0);
    if (sa === 'active') return cmp(a.endsAt, b.endsAt);
    if (sa === 'pending') return cmp(a.startsAt, b.startsAt);
    return cmp(b.endsAt, a.endsAt);
  });
}

/** Build facts reported under `versionInfo`. */
export interface VersionInfo {
  readonly version: string;
  readonly revision: string;
  readonly branch: string;
  readonly buildUser: string;
  readonly buildDate: string;
  readonly goVersion: string;
}

/** `alertmanagerStatus` of a single, unclustered Alertmanager. */
export function statusJson(original: string, uptime: bigint, v: VersionInfo): string {
  return (
    `{"cluster":{"peers":[],"status":"disabled"},"config":{"original":${jsonString(original)}},"uptime":"${formatRfc3339Millis(uptime)}",` +
    `"versionInfo":{"branch":${jsonString(v.branch)},"buildDate":${jsonString(v.buildDate)},"buildUser":${jsonString(v.buildUser)},"goVersion":${jsonString(v.goVersion)},"revision":${jsonString(v.revision)},"version":${jsonString(v.version)}}}`
  );
}
