import { isValidUtf8, Labels } from '@pyrometer/model';
import { isZero } from '../time/instant.js';
import { newAlert, type Alert } from './alert.js';
import { StringPool } from './shared-strings.js';

/** An alert as a client posts it (`postableAlert`); absent times are {@link ZERO_TIME}. */
export interface PostedAlert {
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
  startsAt: bigint;
  endsAt: bigint;
  generatorURL: string;
}

/** The outcome of {@link acceptAlerts}: what to store, what was refused and why. */
export interface AcceptedAlerts {
  alerts: Alert[];
  /** One message per invalid alert, upstream's wording. */
  errors: string[];
  firing: number;
  resolved: number;
}

function labelSetProblem(set: Readonly<Record<string, string>>, isValidLabelName: (n: string) => boolean): string | undefined {
  for (const [name, value] of Object.entries(set)) {
    if (!isValidLabelName(name)) return `invalid name ${JSON.stringify(name)}`;
    if (!isValidUtf8(value)) return `invalid value ${JSON.stringify(value)}`;
  }
  return undefined;
}

/** Upstream's `Alert.Validate`, after the times were defaulted. */
function validate(labels: Labels, annotations: Readonly<Record<string, string>>, startsAt: bigint, endsAt: bigint, isValidLabelName: (n: string) => boolean): string | undefined {
  if (endsAt < startsAt) return 'start time must be before end time';
  if (labels.size === 0) return 'at least one label pair required';
  const inLabels = labelSetProblem(labels.toRecord(), isValidLabelName);
  if (inLabels !== undefined) return `invalid label set: ${inLabels}`;
  const inAnnotations = labelSetProblem(annotations, isValidLabelName);
  return inAnnotations === undefined ? undefined : `invalid annotations: ${inAnnotations}`;
}

/**
 * Upstream's handling of `POST /api/v2/alerts`: every alert is stamped `updatedAt = now`; a
 * missing `startsAt` becomes `endsAt` (or now), a missing `endsAt` becomes now +
 * `resolve_timeout` (marked as a timeout); labels with empty values are dropped; then each alert
 * is validated. Invalid alerts are reported, the valid ones are still accepted. The accepted
 * alerts share one copy of each string they repeat.
 */
export function acceptAlerts(posted: readonly PostedAlert[], now: bigint, resolveTimeoutMs: number, isValidLabelName: (n: string) => boolean): AcceptedAlerts {
  const out: AcceptedAlerts = { alerts: [], errors: [], firing: 0, resolved: 0 };
  const pool = new StringPool();
  for (const p of posted) {
    const startsAt = !isZero(p.startsAt) ? p.startsAt : !isZero(p.endsAt) ? p.endsAt : now;
    const timeout = isZero(p.endsAt);
    const endsAt = timeout ? now + BigInt(resolveTimeoutMs) * 1_000_000n : p.endsAt;
    if (endsAt > now) out.firing++;
    else out.resolved++;
    const labels = Labels.from(p.labels);
    const problem = validate(labels, p.annotations, startsAt, endsAt, isValidLabelName);
    if (problem !== undefined) {
      out.errors.push(problem);
      continue;
    }
    labels.shareStrings(pool.canonical);
    out.alerts.push(newAlert({ labels, annotations: pool.record(p.annotations), startsAt, endsAt, generatorURL: pool.canonical(p.generatorURL), updatedAt: now, timeout }));
  }
  return out;
}
