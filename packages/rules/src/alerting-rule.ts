import type { Labels} from '@pyrometer/model';
import { METRIC_NAME_LABEL } from '@pyrometer/model';
import type { Sample } from '@pyrometer/promql';
import type { Expr } from '@pyrometer/promql/parser';
import type { Logger } from '@pyrometer/telemetry';
import { AlertTemplateExpander } from '@pyrometer/template';
import { stringify } from 'yaml';
import { AlertState, compareAlertStates, type Alert } from './alert.js';
import { RulesError } from './errors.js';
import { BaseRule, type RuleEvalContext } from './rule.js';

/** The series every alerting rule writes: `ALERTS{alertstate, …} 1` and `ALERTS_FOR_STATE{…} <activeAt s>`. */
export const ALERTS_METRIC = 'ALERTS';
export const ALERTS_FOR_STATE_METRIC = 'ALERTS_FOR_STATE';
const ALERT_NAME_LABEL = 'alertname';
const ALERT_STATE_LABEL = 'alertstate';

/** How long a resolved alert is kept (and re-sent as resolved), ms. */
export const RESOLVED_RETENTION = 15 * 60_000;

/** The definition of an alerting rule and what its templates see. Durations in ms. */
export interface AlertingRuleOptions {
  name: string;
  expr: Expr;
  /** `for`. */
  holdDuration: number;
  keepFiringFor: number;
  /** The rule's labels merged over its group's (templates, expanded per alert). */
  labels: Readonly<Record<string, string>>;
  /** Annotation templates by name. */
  annotations: Readonly<Record<string, string>>;
  externalLabels: Readonly<Record<string, string>>;
  externalURL: string;
  /** False while the `for` state still has to be restored: until then no ALERTS series are written. */
  restored: boolean;
  /** Where template failures are reported (they are also rendered into the text). */
  logger: Logger;
}

/**
 * An alerting rule (upstream's `rules.AlertingRule`): every output series of its expression is an
 * alert, pending until it has held for `for`, then firing; gone series resolve firing alerts
 * (unless `keep_firing_for` holds them), which are kept 15 minutes to be re-sent as resolved.
 * Alerts are keyed by their label set; the map is only touched by `eval` and the group.
 */
export class AlertingRule extends BaseRule {
  readonly kind = 'alerting';
  readonly holdDuration: number;
  readonly keepFiringFor: number;
  readonly annotations: Readonly<Record<string, string>>;
  restored: boolean;
  /** Current alerts (pending, firing, and resolved ones within their retention), by label key. */
  readonly active = new Map<string, Alert>();
  private readonly externalLabels: Readonly<Record<string, string>>;
  private readonly externalURL: string;
  private readonly logger: Logger;

  constructor(o: AlertingRuleOptions) {
    super(o.name, o.expr, o.labels);
    this.holdDuration = o.holdDuration;
    this.keepFiringFor = o.keepFiringFor;
    this.annotations = o.annotations;
    this.externalLabels = o.externalLabels;
    this.externalURL = o.externalURL;
    this.restored = o.restored;
    this.logger = o.logger;
  }

  /**
   * Evaluates the expression at `ts - queryOffset`, advances every alert's state to `ts`, and
   * returns the ALERTS and ALERTS_FOR_STATE samples to write (none until restored). A result with
   * two samples that end up with the same alert labels, or more alerts than `limit`, fails the
   * evaluation (the latter also forgets every alert, as upstream).
   */
  async eval(ctx: RuleEvalContext): Promise<Sample[]> {
    const { ts } = ctx;
    const at = ts - ctx.queryOffset;
    const result = await ctx.query(this.query, at, ctx.signal === undefined ? {} : { signal: ctx.signal });
    const current = new Map<string, Alert>();
    const expander = new AlertTemplateExpander({
      externalURL: this.externalURL,
      externalLabels: this.externalLabels,
      query: ctx.query,
      onError: (err, _text, alert) => this.logger.warn('Expanding alert template failed', { alert: this.name, err, labels: (alert.labels as Labels).toString() }),
    });
    for (const sample of result) {
      const alert = await this.newAlert(sample, ts, expander);
      const key = alert.labels.key();
      if (current.has(key)) throw new RulesError('duplicate_labelset', 'vector contains metrics with the same labelset after applying alert labels');
      current.set(key, alert);
    }
    for (const [key, alert] of current) {
      const known = this.active.get(key);
      if (known !== undefined && known.state !== AlertState.Inactive) {
        known.value = alert.value;
        known.annotations = alert.annotations;
      } else this.active.set(key, alert);
    }

    const out: Sample[] = [];
    let activeCount = 0;
    for (const [key, a] of this.active) {
      if (!current.has(key)) {
        let keepFiring = false;
        if (a.state === AlertState.Firing && this.keepFiringFor > 0) {
          a.keepFiringSince ??= ts;
          keepFiring = ts - a.keepFiringSince < this.keepFiringFor;
        }
        if (a.state === AlertState.Pending || (a.resolvedAt !== undefined && ts - a.resolvedAt > RESOLVED_RETENTION)) this.active.delete(key);
        if (!keepFiring) {
          if (a.state !== AlertState.Inactive) {
            a.state = AlertState.Inactive;
            a.resolvedAt = ts;
          }
          continue;
        }
      } else a.keepFiringSince = undefined;
      activeCount++;
      if (a.state === AlertState.Pending && ts - a.activeAt >= this.holdDuration) {
        a.state = AlertState.Firing;
        a.firedAt = ts;
      }
      if (this.restored) out.push(this.alertsSample(a, at), this.forStateSample(a.labels, at, Math.trunc(a.activeAt / 1000)));
    }
    if (ctx.limit > 0 && activeCount > ctx.limit) {
      this.active.clear();
      throw new RulesError('limit_exceeded', `exceeded limit of ${ctx.limit} with ${activeCount} alerts`);
    }
    return out;
  }

  /** The rule's state: the highest of its alerts', or unknown before its first evaluation. */
  state(): AlertState {
    if (this.evaluationTimestamp === undefined) return AlertState.Unknown;
    let max: AlertState = AlertState.Inactive;
    for (const a of this.active.values()) if (compareAlertStates(a.state, max) > 0) max = a.state;
    return max;
  }

  /** Copies of the alerts that are pending or firing (not resolved). */
  activeAlerts(): Alert[] {
    return [...this.active.values()].filter((a) => a.resolvedAt === undefined).map((a) => ({ ...a }));
  }

  /**
   * Marks the alerts that need (re)sending at `ts` as sent and returns copies of them: firing
   * alerts once per `resendDelay`, resolved ones as soon as they resolve and then again per
   * `resendDelay` while they are retained. Each is valid until `ts + 4·max(interval, resendDelay)`.
   */
  alertsToSend(ts: number, resendDelay: number, interval: number): Alert[] {
    const out: Alert[] = [];
    for (const a of this.active.values()) {
      if (a.state === AlertState.Pending) continue;
      const resolvedSinceSent = a.resolvedAt !== undefined && (a.lastSentAt === undefined || a.resolvedAt > a.lastSentAt);
      const resendDue = a.lastSentAt === undefined || a.lastSentAt + resendDelay < ts;
      if (!resolvedSinceSent && !resendDue) continue;
      a.lastSentAt = ts;
      a.validUntil = ts + 4 * Math.max(interval, resendDelay);
      out.push({ ...a });
    }
    return out;
  }

  /** `ALERTS_FOR_STATE` of this rule (with its configured labels) as a sample, to build selectors from. */
  forStateSample(alertLabels: Labels, t: number, value: number): Sample {
    const b = this.labels.builder();
    alertLabels.forEach((n, v) => b.set(n, v));
    b.set(METRIC_NAME_LABEL, ALERTS_FOR_STATE_METRIC).set(ALERT_NAME_LABEL, this.name);
    return { metric: b.labels(), t, f: value };
  }

  definition(): string {
    return stringify({
      alert: this.name,
      expr: this.query,
      ...(this.holdDuration !== 0 && { for: this.holdDuration }),
      ...(this.keepFiringFor !== 0 && { keep_firing_for: this.keepFiringFor }),
      ...(this.labelUpdates.length > 0 && { labels: Object.fromEntries(this.labelUpdates) }),
      ...(Object.keys(this.annotations).length > 0 && { annotations: sortedRecord(this.annotations) }),
    });
  }

  /** A pending alert for one result sample, its label and annotation templates expanded (text without `{{` is kept as is). */
  private async newAlert(sample: Sample, ts: number, expander: AlertTemplateExpander): Promise<Alert> {
    const expansion = { ruleName: this.name, labels: sample.metric, value: sample.h ?? sample.f, timeMs: ts };
    const expand = (text: string): Promise<string> | string => (text.includes('{{') ? expander.expand(text, expansion) : text);
    const b = sample.metric.builder().delete(METRIC_NAME_LABEL);
    for (const [name, value] of this.labelUpdates) b.set(name, await expand(value));
    b.set(ALERT_NAME_LABEL, this.name);
    const annotations = Object.create(null) as Record<string, string>;
    for (const [name, text] of Object.entries(sortedRecord(this.annotations))) annotations[name] = await expand(text);
    return { state: AlertState.Pending, labels: b.labels(), annotations, value: sample.f, activeAt: ts, firedAt: undefined, resolvedAt: undefined, lastSentAt: undefined, validUntil: undefined, keepFiringSince: undefined };
  }

  private alertsSample(a: Alert, t: number): Sample {
    const b = this.labels.builder();
    a.labels.forEach((n, v) => b.set(n, v));
    b.set(METRIC_NAME_LABEL, ALERTS_METRIC).set(ALERT_NAME_LABEL, this.name).set(ALERT_STATE_LABEL, a.state);
    return { metric: b.labels(), t, f: 1 };
  }
}

function sortedRecord(r: Readonly<Record<string, string>>): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const k of Object.keys(r).sort()) out[k] = r[k]!;
  return out;
}
