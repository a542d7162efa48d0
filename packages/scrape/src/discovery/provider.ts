import type { TargetGroup } from '@pyrometer/config';

/**
 * A source of target groups. After `start`, the provider calls `onUpdate` with its complete current
 * set of groups whenever it changes (and at least once, possibly with an empty set). `stop` ends
 * watching and timers; no update follows it.
 */
export interface DiscoveryProvider {
  start(onUpdate: (groups: TargetGroup[]) => void): void;
  stop(): void;
}

/** `static_configs`: the configured groups, once. */
export class StaticProvider implements DiscoveryProvider {
  constructor(private readonly groups: readonly TargetGroup[]) {}

  start(onUpdate: (groups: TargetGroup[]) => void): void {
    onUpdate(this.groups.map((g) => ({ ...g, source: `static:${g.source}` })));
  }

  stop(): void {}
}
