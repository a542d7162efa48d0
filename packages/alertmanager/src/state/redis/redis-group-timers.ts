import type { Logger } from '@pyrometer/telemetry';
import type { GroupTimerState } from '../../dispatch/aggregation-group.js';
import type { GroupTimerStore } from '../../dispatch/group-timer-store.js';
import type { RedisState } from './redis-state.js';

const HASH = 'group-timers';

/**
 * The groups' timer states in Redis, one JSON field per group. Replicas see the same alerts and
 * so have the same groups; whichever saved last wins, and a replica that restarts resumes the
 * timers from there. A field that does not read back is logged and skipped (its group starts anew).
 */
export class RedisGroupTimerStore implements GroupTimerStore {
  constructor(private readonly state: RedisState, private readonly logger: Logger) {}

  async load(): Promise<Map<string, GroupTimerState>> {
    const out = new Map<string, GroupTimerState>();
    for (const [key, json] of Object.entries(await this.state.readHash(HASH))) {
      try {
        const v = JSON.parse(json) as Partial<GroupTimerState>;
        if (typeof v.hasFlushed !== 'boolean' || typeof v.nextFlushAt !== 'number' || !Number.isFinite(v.nextFlushAt)) throw new Error('expected {hasFlushed: boolean, nextFlushAt: number}');
        out.set(key, { hasFlushed: v.hasFlushed, nextFlushAt: v.nextFlushAt });
      } catch (err) {
        this.logger.warn('skipping a group timer in Redis that does not read back', { group: key, err: (err as Error).message });
      }
    }
    return out;
  }

  save(states: ReadonlyMap<string, GroupTimerState>): Promise<void> {
    const fields = new Map<string, string>();
    for (const [key, s] of states) fields.set(key, JSON.stringify({ hasFlushed: s.hasFlushed, nextFlushAt: s.nextFlushAt }));
    return this.state.replaceHash(HASH, fields);
  }
}
