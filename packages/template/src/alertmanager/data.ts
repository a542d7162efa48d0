import { GoTime } from '../gotime/time.js';
import { GO_METHODS, GO_TYPE, StringMap } from '../values.js';

/**
 * Alertmanager's template data model (`template/template.go`), as plain exported types the
 * Alertmanager builds notification data from. Templates reach the same fields and methods as
 * upstream's: `.Alerts.Firing`, `.GroupLabels.SortedPairs.Values`, `.CommonLabels.Remove …`.
 */

/** A name/value pair (`template.Pair`). */
export class Pair {
  static readonly [GO_TYPE] = 'template.Pair';
  constructor(
    readonly Name: string,
    readonly Value: string,
  ) {}
}

/** A list of strings with `Join` (`template.Strings` in later releases; a `[]string` to templates). */
export class Strings extends Array<string> {
  static readonly [GO_TYPE] = 'template.Strings';
  static readonly [GO_METHODS] = { Join: { params: ['string'] } };

  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  static fromList(items: readonly string[]): Strings {
    const s = new Strings();
    s.push(...items);
    return s;
  }

  Join(sep: string): string {
    return this.join(sep);
  }
}

/** A list of pairs (`template.Pairs`). */
export class Pairs extends Array<Pair> {
  static readonly [GO_TYPE] = 'template.Pairs';

  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  Names(): Strings {
    return Strings.fromList(this.map((p) => p.Name));
  }

  Values(): Strings {
    return Strings.fromList(this.map((p) => p.Value));
  }

  String(): string {
    return this.map((p) => `${p.Name}=${p.Value}`).join(', ');
  }
}

/** A label or annotation set (`template.KV`, a `map[string]string` with methods). */
export class KV extends StringMap {
  static readonly [GO_METHODS] = { Remove: { params: ['strings'] } };

  constructor(entries: Iterable<readonly [string, string]> | Readonly<Record<string, string>> = []) {
    super(entries, 'template.KV');
  }

  /** Pairs sorted by name, with `alertname` always first. */
  SortedPairs(): Pairs {
    const keys = this.sortedKeys();
    const alertname = keys.indexOf('alertname');
    if (alertname > 0) keys.unshift(...keys.splice(alertname, 1));
    const pairs = new Pairs();
    for (const k of keys) pairs.push(new Pair(k, this.get(k)!));
    return pairs;
  }

  /** A copy without the given keys. */
  Remove(keys: readonly string[]): KV {
    const drop = new Set(keys);
    return new KV([...this.entries].filter(([k]) => !drop.has(k)));
  }

  Names(): Strings {
    return this.SortedPairs().Names();
  }

  Values(): Strings {
    return this.SortedPairs().Values();
  }

  String(): string {
    return this.SortedPairs().String();
  }
}

/** One alert as templates see it (`template.Alert`). */
export class Alert {
  static readonly [GO_TYPE] = 'template.Alert';

  constructor(
    readonly Status: 'firing' | 'resolved',
    readonly Labels: KV,
    readonly Annotations: KV,
    readonly StartsAt: GoTime,
    readonly EndsAt: GoTime,
    readonly GeneratorURL: string,
    readonly Fingerprint: string,
  ) {}

  /** Go's JSON encoding of the alert: upstream's field names and order. */
  toJSON(): Record<string, unknown> {
    return {
      status: this.Status,
      labels: this.Labels,
      annotations: this.Annotations,
      startsAt: this.StartsAt,
      endsAt: this.EndsAt,
      generatorURL: this.GeneratorURL,
      fingerprint: this.Fingerprint,
    };
  }
}

/** A list of alerts (`template.Alerts`) with `Firing` and `Resolved`. */
export class Alerts extends Array<Alert> {
  static readonly [GO_TYPE] = 'template.Alerts';

  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  static fromList(items: readonly Alert[]): Alerts {
    const a = new Alerts();
    a.push(...items);
    return a;
  }

  Firing(): Alert[] {
    return this.filter((a) => a.Status === 'firing');
  }

  Resolved(): Alert[] {
    return this.filter((a) => a.Status === 'resolved');
  }
}

/** The data of one notification (`template.Data`): what `{{ . }}` is in notification templates. */
export class TemplateData {
  static readonly [GO_TYPE] = '*template.Data';

  constructor(
    readonly Receiver: string,
    readonly Status: 'firing' | 'resolved',
    readonly Alerts: Alerts,
    readonly GroupLabels: KV,
    readonly CommonLabels: KV,
    readonly CommonAnnotations: KV,
    readonly ExternalURL: string,
  ) {}

  /** Go's JSON encoding (the webhook body embeds it): upstream's field names and order. */
  toJSON(): Record<string, unknown> {
    return {
      receiver: this.Receiver,
      status: this.Status,
      alerts: this.Alerts,
      groupLabels: this.GroupLabels,
      commonLabels: this.CommonLabels,
      commonAnnotations: this.CommonAnnotations,
      externalURL: this.ExternalURL,
    };
  }
}

/** An alert as the Alertmanager holds it, the input of {@link buildTemplateData}. */
export interface NotificationAlert {
  readonly labels: Iterable<readonly [string, string]> | Readonly<Record<string, string>>;
  readonly annotations: Iterable<readonly [string, string]> | Readonly<Record<string, string>>;
  /** Times as ms since the epoch, `Date`s or {@link GoTime}s; an unset `endsAt` is Go's zero time. */
  readonly startsAt: number | Date | GoTime;
  readonly endsAt?: number | Date | GoTime | undefined;
  readonly generatorURL: string;
  /** The alert's fingerprint as Alertmanager prints it (16 hex digits). */
  readonly fingerprint: string;
}

/** What {@link buildTemplateData} assembles a notification's data from. */
export interface TemplateDataInput {
  readonly receiver: string;
  readonly groupLabels: Iterable<readonly [string, string]> | Readonly<Record<string, string>>;
  readonly alerts: readonly NotificationAlert[];
  readonly externalURL: string;
  /** The current time in ms: alerts whose `endsAt` is not after it are resolved. */
  readonly nowMs: number;
}

/**
 * Assembles notification data as upstream's `Template.Data`: the receiver name regexp-quoted,
 * each alert's status from its end time, the group status (`firing` if any alert fires), and the
 * labels and annotations all alerts share.
 */
export function buildTemplateData(input: TemplateDataInput): TemplateData {
  const alerts = Alerts.fromList(
    input.alerts.map((a) => {
      const endsAt = a.endsAt === undefined ? GoTime.zero() : toGoTime(a.endsAt);
      const resolved = !endsAt.IsZero() && endsAt.toMillis() <= input.nowMs;
      return new Alert(resolved ? 'resolved' : 'firing', new KV(a.labels), new KV(a.annotations), toGoTime(a.startsAt), endsAt, a.generatorURL, a.fingerprint);
    }),
  );
  const status = alerts.some((a) => a.Status === 'firing') ? 'firing' : 'resolved';
  return new TemplateData(quoteMeta(input.receiver), status, alerts, new KV(input.groupLabels), common(alerts.map((a) => a.Labels)), common(alerts.map((a) => a.Annotations)), input.externalURL);
}

function common(sets: readonly KV[]): KV {
  const [first, ...rest] = sets;
  if (first === undefined) return new KV();
  return new KV(first.sortedKeys().filter((k) => rest.every((s) => s.has(k) && s.get(k) === first.get(k))).map((k) => [k, first.get(k)!] as const));
}

function toGoTime(t: number | Date | GoTime): GoTime {
  if (t instanceof GoTime) return t;
  return t instanceof Date ? GoTime.fromDate(t) : GoTime.fromMillis(t);
}

/** Go's `regexp.QuoteMeta`: backslashes before `\.+*?()|[]{}^$`. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}
