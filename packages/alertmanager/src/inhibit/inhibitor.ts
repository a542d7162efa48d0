import type { Labels } from '@pyrometer/model';
import { resolvedAt, type Alert } from '../alerts/alert.js';
import type { Marker } from '../alerts/marker.js';
import type { AlertProvider } from '../alerts/provider.js';
import type { Clock } from '../clock.js';
import type { InhibitRuleConfig } from '../config/inhibit.js';
import { fingerprint } from '../labels/fingerprint.js';
import { Matcher, matchesAll, MatchType } from '../labels/matcher.js';
import { fromMillis } from '../time/instant.js';

const NOT_INHIBITED: readonly string[] = Object.freeze([]);

/** One inhibition rule with the firing alerts that match its source side. */
class InhibitRule {
  readonly source: Matcher[];
  readonly target: Matcher[];
  readonly equal: string[];
  readonly sources = new Map<string, Alert>();

  constructor(c: InhibitRuleConfig) {
    // Like routes, the deprecated regex maps pass the anchored pattern, which is anchored again.
    const build = (match: Record<string, string>, matchRe: Record<string, string>, matchers: Matcher[]) => [
      ...Object.entries(match).map(([n, v]) => new Matcher(MatchType.Equal, n, v)),
      ...Object.entries(matchRe).map(([n, v]) => new Matcher(MatchType.Regexp, n, `^(?:${v})$`)),
      ...matchers,
    ];
    this.source = build(c.sourceMatch, c.sourceMatchRe, c.sourceMatchers);
    this.target = build(c.targetMatch, c.targetMatchRe, c.targetMatchers);
    this.equal = c.equal;
  }

  /** A firing source alert with the same `equal` labels (absent = empty), not itself a target when `excludeTargets`. */
  inhibitor(labels: Labels, excludeTargets: boolean, now: bigint): string | undefined {
    outer: for (const a of this.sources.values()) {
      if (resolvedAt(a, now)) continue;
      for (const name of this.equal) if (a.labels.get(name) !== labels.get(name)) continue outer;
      if (excludeTargets && matchesAll(this.target, a.labels)) continue;
      return a.fingerprint;
    }
    return undefined;
  }
}

/**
 * Applies `inhibit_rules` (`inhibit.Inhibitor`): an alert matching a rule's target side is muted
 * while a firing alert matches its source side with equal values for the `equal` labels. An
 * alert matching both sides cannot inhibit itself through that rule. Results go to the marker.
 */
export class Inhibitor {
  private readonly rules: InhibitRule[];
  private unsubscribe: (() => void) | undefined;

  constructor(rules: readonly InhibitRuleConfig[], private readonly marker: Marker, private readonly clock: Clock) {
    this.rules = rules.map((r) => new InhibitRule(r));
  }

  /** Starts following the alert store (the current alerts first). */
  start(provider: AlertProvider): void {
    this.unsubscribe = provider.subscribe((alert) => {
      for (const r of this.rules) if (matchesAll(r.source, alert.labels)) r.sources.set(alert.fingerprint, alert);
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  mutes(labels: Labels, fp = fingerprint(labels)): boolean {
    const now = fromMillis(this.clock.now());
    for (const r of this.rules) {
      if (!matchesAll(r.target, labels)) continue;
      const by = r.inhibitor(labels, matchesAll(r.source, labels), now);
      if (by !== undefined) {
        this.marker.setInhibited(fp, [by]);
        return true;
      }
    }
    this.marker.setInhibited(fp, NOT_INHIBITED);
    return false;
  }

  /** Forgets resolved source alerts (upstream does so every 15 minutes). */
  gc(): void {
    const now = fromMillis(this.clock.now());
    for (const r of this.rules) for (const [fp, a] of r.sources) if (resolvedAt(a, now)) r.sources.delete(fp);
  }
}
