import { alertWith, type Alert } from './alert.js';

/**
 * One copy of each distinct string among the alerts of one POST: alerts of a batch repeat most
 * of their names and values (alert name, job, severity, runbook, description), and each parsed
 * JSON value is a string of its own. Scoped to the batch so that nothing outlives the alerts
 * holding it.
 */
export class StringPool {
  private readonly seen = new Map<string, string>();

  /** The pool's copy of `s` (its first occurrence). */
  readonly canonical = (s: string): string => {
    const known = this.seen.get(s);
    if (known !== undefined) return known;
    this.seen.set(s, s);
    return s;
  };

  /** A copy of `record` whose keys and values are the pool's copies. */
  record(record: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(record)) out[this.canonical(name)] = this.canonical(value);
    return out;
  }
}

function sameRecord(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const names = Object.keys(a);
  if (names.length !== Object.keys(b).length) return false;
  for (const name of names) if (a[name] !== b[name]) return false;
  return true;
}

/**
 * `alert` holding `previous`'s labels, annotations and generator URL where they are equal, so
 * that an alert re-sent unchanged (Prometheus re-sends every active alert each minute) keeps no
 * strings or label sets of its own.
 */
export function shareWithPrevious(alert: Alert, previous: Alert): Alert {
  return alertWith(alert, {
    labels: alert.labels.equals(previous.labels) ? previous.labels : alert.labels,
    annotations: sameRecord(alert.annotations, previous.annotations) ? previous.annotations : alert.annotations,
    generatorURL: alert.generatorURL === previous.generatorURL ? previous.generatorURL : alert.generatorURL,
  });
}
